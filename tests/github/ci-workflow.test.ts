// .github/workflows/ci.yml can't run here (no GitHub, no Electron binary), so this checks its text:
// the three systems, an install WITH Electron, `npm test`, the end-to-end run on the real app
// (Xvfb on Linux), the installers and their upload, and that every script it runs exists.
// No YAML parser is installed: the checks read the text line by line, which is enough for a file
// this small and this conventional.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const text = readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const lines = text.split('\n');
/** The `run:` commands, one-line or block, without comments. */
const runs: string[] = [];
for (let i = 0; i < lines.length; i++) {
  const m = /^(\s*)(?:- )?run: ?(.*)$/.exec(lines[i]!);
  if (!m) continue;
  if (m[2] === '|') {
    const indent = m[1]!.length;
    for (i++; i < lines.length && (lines[i]!.trim() === '' || lines[i]!.search(/\S/) > indent); i++) {
      const cmd = lines[i]!.trim();
      if (cmd && !cmd.startsWith('#')) runs.push(cmd);
    }
    i--;
  } else runs.push(m[2]!.trim());
}

/** The block of a step whose `name:` matches, up to the next step. */
function step(name: RegExp): string {
  const start = lines.findIndex((l) => /^\s*- name: /.test(l) && name.test(l));
  assert.ok(start >= 0, `a step named ${name}`);
  let end = start + 1;
  while (end < lines.length && !/^\s*- (name|uses): /.test(lines[end]!)) end++;
  return lines.slice(start, end).join('\n');
}

test('the workflow is well-formed enough: no tabs, top-level keys, a job with steps', () => {
  assert.ok(!text.includes('\t'), 'YAML forbids tabs for indentation');
  for (const key of ['name:', 'on:', 'jobs:']) assert.ok(lines.some((l) => l.startsWith(key)), key);
  assert.match(text, /^\s+runs-on: \$\{\{ matrix\.os \}\}$/m);
  assert.match(text, /^\s+steps:$/m);
  assert.match(text, /^\s+- uses: actions\/checkout@v\d+$/m);
  assert.match(text, /^\s+- uses: actions\/setup-node@v\d+$/m);
});

test('Linux, Windows and macOS', () => {
  for (const os of ['ubuntu-latest', 'windows-latest', 'macos-latest']) assert.match(text, new RegExp(`- os: ${os}$`, 'm'), os);
  assert.match(text, /fail-fast: false/, 'one system failing still reports the others');
});

test('installs with Electronʼs binary, runs npm test, then the end-to-end tests on the real app', () => {
  assert.ok(!/ELECTRON_SKIP_BINARY_DOWNLOAD/.test(text.replace(/#.*$/gm, '')), 'Electron is not skipped');
  assert.ok(runs.includes('npm ci --no-audit --no-fund'));
  assert.ok(runs.includes('npm test'));
  const linux = step(/End-to-end tests on the real app \(Electron, Xvfb\)/);
  assert.match(linux, /if: runner\.os == 'Linux'/);
  assert.match(linux, /DIGIT_STUDIO_E2E: electron/);
  assert.match(linux, /run: xvfb-run --auto-servernum node tests\/run\.mjs tests\/e2e/);
  const others = step(/End-to-end tests on the real app \(Electron\)$/);
  assert.match(others, /if: runner\.os != 'Linux'/);
  assert.match(others, /DIGIT_STUDIO_E2E: electron/);
  assert.match(others, /run: node tests\/run\.mjs tests\/e2e/);
  assert.ok(runs.indexOf('npm test') < runs.findIndex((r) => r.includes('DIGIT_STUDIO_E2E') || r.includes('tests/e2e')), 'unit tests first');
  assert.ok(existsSync(path.join(root, 'tests', 'e2e')));
});

test('builds the installers with npm run dist and uploads what electron-builder writes', () => {
  assert.ok(runs.some((r) => /^npm run dist\b/.test(r)));
  const output = /^\s*output: (\S+)$/m.exec(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'))?.[1];
  assert.equal(output, 'release', "electron-builder's output folder");
  const upload = step(/Upload installers/);
  assert.match(upload, /uses: actions\/upload-artifact@v\d+/);
  for (const ext of ['AppImage', 'deb', 'exe', 'dmg']) assert.match(upload, new RegExp(`${output}/\\*\\.${ext}$`, 'm'), ext);
  assert.match(upload, /if-no-files-found: error/);
});

test('every npm script and file it runs exists', () => {
  const scripts = runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
  assert.ok(scripts.length > 0);
  for (const s of scripts) assert.ok(pkg.scripts[s], `package.json has the script "${s}"`);
  assert.ok(pkg.scripts.test, 'npm test');
  for (const r of runs) for (const m of r.matchAll(/node ([\w./-]+\.m?js)/g)) assert.ok(existsSync(path.join(root, m[1]!)), m[1]);
});
