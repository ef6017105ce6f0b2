// No user-visible string hard-coded in the renderer's markup: text nodes and title / aria-label /
// placeholder / alt / label attributes must come from t() (renderer/src/lib/i18n). Exceptions are
// a short list of names, units and symbols (ALLOWED_TEXT in scan-markup.ts). Nor in code: a toast,
// an error set on the page or a chart's label built in a script is a t() call too (scan-code.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { codeOfSvelte, scanCode } from './scan-code';
import { scanSvelte } from './scan-markup';

const root = path.join(__dirname, '..', '..', '..', 'renderer', 'src');
const all = (readdirSync(root, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
const files = all.filter((f) => f.endsWith('.svelte'));
/** Code the scan reads: every .svelte file and every .ts file but the catalogues themselves. */
const codeFiles = all.filter((f) => (f.endsWith('.svelte') || f.endsWith('.ts')) && !f.startsWith('lib/i18n/'));

/** Scripts not converted yet (the guided flow's state, with NOT_YET_CONVERTED's guide files). May only shrink. */
const CODE_NOT_YET_CONVERTED = new Set<string>(['components/guide/guide-state.svelte.ts']);

/**
 * Files not converted yet (issue 15 is converting them in batches). The list may only shrink: a file
 * listed here that no longer has hard-coded text fails the test too, so it is taken off.
 */
const NOT_YET_CONVERTED = new Set<string>([
]);

test('the scanner finds hard-coded text and ignores expressions, scripts and allowed names', () => {
  const found = scanSvelte(`<script>const a = '<p>x</p>';</script>
<h1>{t('a')}</h1>
<p title="Hello {name}">Save {count}</p>
<button aria-label={t('b')}>×</button>
<span>Digit Studio 12 %</span>
{#if ok}<em>{x > 1 ? 'a' : 'b'}</em>{:else}Nothing here{/if}
<style>p::after { content: 'no'; }</style>`);
  assert.deepEqual(
    found.map((f) => [f.line, f.text]),
    [
      [3, 'title="Hello {…}"'],
      [3, 'Save'],
      [6, 'Nothing here'],
    ],
  );
});

test('no user-visible string is hard-coded in renderer markup', () => {
  assert.ok(files.length > 20, 'the renderer files were found');
  const problems: string[] = [];
  for (const file of files) {
    const found = scanSvelte(readFileSync(path.join(root, file), 'utf8'));
    if (NOT_YET_CONVERTED.has(file)) {
      if (!found.length) problems.push(`${file}: converted now, take it off NOT_YET_CONVERTED`);
      continue;
    }
    for (const f of found) problems.push(`${file}:${f.line}: ${f.text}`);
  }
  assert.deepEqual(problems, []);
});

test('the code scanner finds English sentences in strings and leaves keys, paths, comments and CSS alone', () => {
  const code = codeOfSvelte(`<script lang="ts">
  import X from './lib/x.svelte';
  // Could not do this: a comment
  const a = attempt(() => api.go(), 'Could not open the file');
  const b = t('rh.openFailed', { name: \`\${run.name} copy\` });
  const c = \`Saved \${n} digits as a dataset\`;
</script>
<p title={t('x')}>{ok ? 'In use' : t('models.inUse')}</p>
<style>p::after { content: 'no such thing'; }</style>`);
  assert.deepEqual(
    scanCode(code).map((f) => [f.line, f.text]),
    [
      [4, 'Could not open the file'],
      [6, 'Saved … digits as a dataset'],
      [8, 'In use'],
    ],
  );
});

test('no English sentence is built in renderer code (toasts, errors, chart labels)', () => {
  assert.ok(codeFiles.some((f) => f === 'lib/format.ts'), 'the .ts files were found');
  const problems: string[] = [];
  for (const file of codeFiles) {
    if (NOT_YET_CONVERTED.has(file)) continue;
    const source = readFileSync(path.join(root, file), 'utf8');
    const found = scanCode(file.endsWith('.svelte') ? codeOfSvelte(source) : source);
    if (CODE_NOT_YET_CONVERTED.has(file)) {
      if (!found.length) problems.push(`${file}: converted now, take it off CODE_NOT_YET_CONVERTED`);
      continue;
    }
    for (const f of found) problems.push(`${file}:${f.line}: ${f.text}`);
  }
  assert.deepEqual(problems, []);
});
