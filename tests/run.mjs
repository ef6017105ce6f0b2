// Runs every test file (tests/**/*.test.ts) with Node's own test runner, TypeScript loaded by tsx,
// and ends with the line CI reads: "N passed, N failed".
//   node tests/run.mjs            all tests (unit, integration, end-to-end)
//   node tests/run.mjs --unit     everything but tests/e2e
//   node tests/run.mjs <filter>   only files whose path contains <filter>
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = walk(path.join(root, 'tests')).map((f) => path.relative(root, f)).sort();
if (unitOnly) files = files.filter((f) => !f.startsWith(path.join('tests', 'e2e')));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.log('no test files matched');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', ...files],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DIGIT_STUDIO_TEST: '1' } },
);

let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const count = (label) => {
    const m = tail.match(new RegExp(`ℹ ${label} (\\d+)`));
    return m ? Number(m[1]) : 0;
  };
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (code !== 0 && failed === 0) failed = 1; // the runner itself failed: never report green
  console.log(`${passed} passed, ${failed} failed, ${count('skipped')} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
