// `digit-studio predict --model <modelDir|builtin> <test.csv | folder | zip | picture>...
//   [--out predictions.csv] [--format kaggle|csv|json] [--json]`
// Reads everything like the app imports it (import thread, MNIST-style normalisation), predicts it
// in blocks in the ML process (main/batch/) and writes the readings as they come:
//   kaggle  `ImageId,Label`, 1-based ids in row order; a row that can't be read stops it (exit 2);
//   csv     source, digit, confidence, p0..p9;
//   json    one {"file","digit","confidence","probabilities"} per line (also --json);
//   without --format: `source: digit (confidence%)` lines, or csv when --out is given (json for .json).
// --out is written atomically. Progress and every row or picture that couldn't be read go to stderr.
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { MlClient } from '../../models/ml-client';
import { forkSpawner } from '../../models/fork-spawner';
import { parseFormat, type BatchFormat } from '../../batch/formats';
import { resolveModelArg } from '../../batch/model-arg';
import { predictInputs } from '../../batch/predict-inputs';

export async function predictCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { model: 'string', json: 'boolean', out: 'string', format: 'string' });
  if (typeof flags.model !== 'string' || !flags.model) throw new UserError('predict needs --model <modelDir>');
  if (!positional.length) {
    throw new UserError('predict needs at least one image, folder, zip or CSV: digit-studio predict --model <dir> <image|folder|zip|test.csv>...');
  }
  const outFile = typeof flags.out === 'string' ? flags.out : null;
  if (flags.json === true && flags.format !== undefined && flags.format !== 'json') throw new UserError('--json and --format disagree: give one of them');
  const format: BatchFormat =
    typeof flags.format === 'string' ? parseFormat(flags.format) : flags.json === true ? 'json' : outFile ? (/\.jsonl?$/i.test(outFile) ? 'json' : 'csv') : 'text';
  if (format === 'text' && flags.format !== undefined) throw new UserError('--format must be kaggle, csv or json');
  const modelDir = resolveModelArg(flags.model);

  const progress = progressLine(io);
  const client = new MlClient(forkSpawner());
  try {
    const r = await predictInputs({
      ml: client,
      modelDir,
      inputs: positional,
      format,
      outFile,
      out: (line) => io.out(line),
      onImportProgress: (p) => progress(`reading ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} ${p.unit}`, p.done, p.total),
      onPredictProgress: (done, total) => progress(`predicting ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`, done, total),
    });
    progress(null, 0, 0);
    // Never silently dropped: every row or picture that couldn't be read is named, with its reason.
    for (const s of r.skipped) io.err(`not read: ${s.file}: ${s.reason}`);
    if (r.skippedCount > r.skipped.length) io.err(`not read: ${r.skippedCount - r.skipped.length} more`);
    const where = outFile ? ` → ${path.resolve(outFile)}` : '';
    io.err(
      `predicted ${r.count.toLocaleString('en-US')} digit${r.count === 1 ? '' : 's'}` +
        `${r.skippedCount ? `, ${r.skippedCount.toLocaleString('en-US')} could not be read` : ''}${where} ` +
        `(read ${r.seconds.read.toFixed(1)} s, predicted ${r.seconds.predict.toFixed(1)} s${r.helper ? ' on 2 threads' : ''})`,
    );
    return 0;
  } finally {
    progress(null, 0, 0);
    await client.dispose();
  }
}

/** Progress on stderr: a redrawn line on a terminal, else a line every few seconds. null clears it. */
function progressLine(io: CliIo): (text: string | null, done: number, total: number) => void {
  let shown = false;
  let last = Date.now();
  return (text, done, total) => {
    if (text === null) {
      if (shown && io.isTty) process.stderr.write('\r\x1b[K');
      shown = false;
      return;
    }
    const now = Date.now();
    if (io.isTty) {
      if (now - last < 100 && done < total) return;
      last = now;
      process.stderr.write(`\r\x1b[K${text}`);
      shown = true;
    } else if (now - last >= 3000) {
      last = now;
      io.err(text);
    }
  };
}
