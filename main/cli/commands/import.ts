// `digit-studio import <path>... [--json] [--out file.dsb]`: imports CSV, IDX, zips, folders of
// digit pictures and prints the report. With --json the last line is exactly
// {"count":N,"perClass":[10 numbers],"skipped":[{"file","reason"}]}. Bad input: exit 2, one line.
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { importInThread } from '../../data/import-thread';
import { importSheets } from './import-sheet';

export async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { json: 'boolean', out: 'string', sheet: 'boolean', rows: 'string' });
  if (!positional.length) throw new UserError('import needs at least one path: digit-studio import <path>... [--json]');
  if (flags.sheet === true) return importSheets(positional, flags, io);
  if (flags.rows !== undefined) throw new UserError('--rows goes with --sheet (the order of the rows on a handwriting sheet)');
  const json = flags.json === true;
  let lastDrawn = -1;
  const out = typeof flags.out === 'string' ? path.resolve(flags.out) : null;
  // The app's own path: a worker thread reads, normalises and saves; only the report comes back.
  const result = await importInThread({ paths: positional, saveTo: out }, {
    onProgress: io.isTty
      ? (p) => {
          const pct = p.total ? Math.floor((100 * p.done) / p.total) : 0;
          if (pct === lastDrawn) return;
          lastDrawn = pct;
          const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
          process.stderr.write(`\r[${bar}] ${pct}% ${p.done}/${p.total} ${p.unit}`);
        }
      : undefined,
  });
  if (io.isTty && lastDrawn >= 0) process.stderr.write('\n');
  const { report } = result;

  if (!json) {
    io.out(`Imported ${report.count} digit${report.count === 1 ? '' : 's'} from ${result.name} (${result.kind}${result.labelled ? '' : ', unlabelled'})`);
    io.out(`Per digit: ${report.perClass.map((n, d) => `${d}: ${n}`).join('  ')}`);
    if (report.skippedCount) {
      io.out(`Skipped ${report.skippedCount}:`);
      for (const s of report.skipped) io.out(`  ${s.file}: ${s.reason}`);
      if (report.skippedCount > report.skipped.length) io.out(`  … and ${report.skippedCount - report.skipped.length} more`);
    }
    if (out) io.out(`Saved to ${out}`);
  } else {
    io.out(JSON.stringify({ count: report.count, perClass: report.perClass, skipped: report.skipped.map((s) => ({ file: s.file, reason: s.reason })) }));
  }
  return 0;
}
