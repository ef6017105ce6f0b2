// `digit-studio export-data <dataset> --format csv|zip --out <path> [--json]`: writes a dataset as a
// Kaggle-style CSV or a zip of PNG folders 0–9, which `import` (and the app) read back with identical
// pixels and labels. <dataset> is a .dsb dataset file, builtin:train or builtin:test (the built-in
// MNIST sets), or anything `import` reads (CSV, IDX, zip, folder), imported the app's way first.
// The file is written on a worker thread (main/export/dataset-export-thread.ts). With --json: {"format","path","bytes","count","leftOut"}.
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { loadDatasetFile } from '../../data/dataset-file';
import { DATA_EXPORT_FORMATS, type DataExportFormat } from '../../export/dataset-export';
import { exportDatasetInThread } from '../../export/dataset-export-thread';
import { importToTemp } from '../support';
import { builtinRefFile, isBuiltinRef } from '../builtin-data';

export async function exportDataCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { format: 'string', out: 'string', json: 'boolean' });
  if (positional.length !== 1) throw new UserError('export-data needs one dataset: digit-studio export-data <dataset> --format csv|zip --out <path>');
  const format = flags.format;
  if (typeof format !== 'string' || !DATA_EXPORT_FORMATS.includes(format as DataExportFormat)) {
    throw new UserError(`export-data needs --format ${DATA_EXPORT_FORMATS.join('|')}`);
  }
  if (typeof flags.out !== 'string' || !flags.out) throw new UserError('export-data needs --out <path>');
  const arg = positional[0]!;
  const source = isBuiltinRef(arg) ? (await builtinRefFile(arg)).file : path.resolve(arg);
  if (path.resolve(flags.out) === source) throw new UserError(`${source}: --out would overwrite the dataset being exported`);
  let result;
  if (source.toLowerCase().endsWith('.dsb')) {
    result = await exportDatasetInThread(await loadDatasetFile(source), format as DataExportFormat, flags.out);
  } else {
    const temp = await importToTemp([source], io, 'export');
    try {
      result = await exportDatasetInThread(await loadDatasetFile(temp.files[0]!), format as DataExportFormat, flags.out);
    } finally {
      await temp.cleanup();
    }
  }
  const { onThread: _onThread, ...report } = result;
  if (flags.json === true) io.out(JSON.stringify(report));
  else {
    io.out(`Exported ${result.count.toLocaleString('en-US')} samples as ${result.format.toUpperCase()} to ${result.path} (${result.bytes.toLocaleString('en-US')} bytes)`);
    if (result.leftOut) io.out(`Left out ${result.leftOut.toLocaleString('en-US')} unlabelled sample(s): ${result.format === 'zip' ? 'folders 0–9 need a label' : 'a labelled CSV needs one on every row'}`);
  }
  return 0;
}
