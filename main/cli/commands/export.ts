// `digit-studio export --model <modelDir|builtin> --format onnx|tfjs|web --out <path> [--json]`: exports a
// model folder (one the app or `train` saved, or any TF.js layers digit model) to ONNX, TensorFlow.js
// (a folder, or a zip when --out ends in .zip) or a standalone web page (one .html file). The same
// code as the app's "Export…" (main/export/). With --json: {"format","path","bytes"}.
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { MODEL_EXPORT_FORMATS, exportModel, type ModelExportFormat } from '../../export/export-model';
import pkg from '../../../package.json';
import { resolveModelArg } from '../../models/builtin-model';

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { model: 'string', format: 'string', out: 'string', json: 'boolean' });
  if (positional.length) throw new UserError(`export takes no positional arguments (got "${positional[0]}"); use --model, --format and --out`);
  if (typeof flags.model !== 'string' || !flags.model) throw new UserError('export needs --model <modelDir>');
  const format = flags.format;
  if (typeof format !== 'string' || !MODEL_EXPORT_FORMATS.includes(format as ModelExportFormat)) {
    throw new UserError(`export needs --format ${MODEL_EXPORT_FORMATS.join('|')}`);
  }
  if (typeof flags.out !== 'string' || !flags.out) throw new UserError('export needs --out <path>');
  const started = Date.now();
  const result = await exportModel(resolveModelArg(flags.model), format as ModelExportFormat, flags.out, pkg.version);
  if (flags.json === true) io.out(JSON.stringify(result));
  else io.out(`Exported ${result.format.toUpperCase()} to ${result.path} (${result.bytes.toLocaleString('en-US')} bytes, ${Date.now() - started} ms)`);
  return 0;
}
