// Issue 15: what main shows the user comes from its catalogue (main/i18n), in English or Bengali,
// never from a literal in the code. The CLI (main/cli/) stays English by design and is not scanned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { scanMain } from './scan-messages';

/** Outside main/cli/ but used by the CLI alone (they speak of its options), so English by design. */
const CLI_ONLY = new Set(['batch/formats.ts', 'batch/predict-inputs.ts']);

const root = path.join(__dirname, '..', '..', '..', 'main');
const files = (readdirSync(root, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => !f.startsWith('cli/') && !CLI_ONLY.has(f))
  .sort();

/**
 * Files not converted yet. The list may only shrink: a listed file with nothing left to convert
 * fails the test too, so it is taken off.
 */
const NOT_YET_CONVERTED = new Set<string>([
]);

test('the scanner finds literal messages and skips comments and catalogue calls', () => {
  const found = scanMain(`// new UserError('in a comment')
throw new UserError(msg('fs.notFound', { file }), file);
throw new UserError(\`\${file}: broken\`, file);
builder.skip(where, 'symbolic link: not followed');
builder.skip(path.join(dir, f(x)), msg('import.symlink'));
refused.push({ name, reason: 'encrypted entry' });
/* title: 'x' */ const t = { title: 'Export the model' };`);
  assert.deepEqual(
    found.map((f) => [f.line, f.what]),
    [
      [3, 'UserError with a literal message'],
      [4, 'skip reason as a literal'],
      [6, 'reason as a literal'],
      [7, 'title as a literal'],
    ],
  );
});

test('no user-visible message is hard-coded in main (outside the CLI)', () => {
  assert.ok(files.length > 100, 'the main files were found');
  const problems: string[] = [];
  for (const file of files) {
    const found = scanMain(readFileSync(path.join(root, file), 'utf8'));
    if (NOT_YET_CONVERTED.has(file)) {
      if (!found.length) problems.push(`${file}: converted now, take it off NOT_YET_CONVERTED`);
      continue;
    }
    for (const f of found) problems.push(`${file}:${f.line}: ${f.what}: ${f.text}`);
  }
  assert.deepEqual(problems, []);
});
