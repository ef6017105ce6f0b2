// Runs every test file (tests/**/*.test.ts) with Node's own test runner, TypeScript loaded by tsx,
// and ends with the line CI reads: "N passed, N failed, N skipped". Exits 1 on any failure.
//   node tests/run.mjs                 all tests (unit, integration, end-to-end)
//   node tests/run.mjs --unit          everything but tests/e2e
//   node tests/run.mjs <filter>...     only files whose path contains one of the filters
//   node tests/run.mjs --backend=wasm  load TensorFlow on that backend only (wasm, tensorflow, cpu)
//   node tests/run.mjs --dir=<folder>  take test files from another folder (tests of this script)
//
// Two backends: when native TensorFlow (@tensorflow/tfjs-node) is installed, the app trains on it,
// but the WASM backend (with our own kernels) is what ships where it doesn't install. So unless
// --backend is given, the files that load TensorFlow (BACKEND_DIRS) run a second time with
// DIGIT_STUDIO_BACKEND=wasm, and the counts include both passes.
//
// The counts come from Node's own summary, written by tests/summary-reporter.mjs to a file of its
// own, never parsed from the human-readable output (which can be any length).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reporter = path.join(root, 'tests', 'summary-reporter.mjs');
const BACKEND_DIRS = ['tests/main/ml-process/', 'tests/main/models/', 'tests/main/cli/'];

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const unitOnly = args.includes('--unit');
const backend = option('backend');
const testDir = path.resolve(root, option('dir') ?? 'tests');
const filters = args.filter((a) => !a.startsWith('--'));

if (backend !== undefined && !['wasm', 'tensorflow', 'cpu'].includes(backend)) {
  console.log(`--backend must be wasm, tensorflow or cpu (got "${backend}")`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(p);
  }
  return out;
}

const slash = (p) => p.split(path.sep).join('/');
let files = walk(testDir).map((f) => path.relative(root, f)).sort();
if (unitOnly) files = files.filter((f) => !slash(f).startsWith('tests/e2e/'));
if (filters.length) files = files.filter((f) => filters.some((x) => slash(f).includes(slash(x)) || f.includes(x)));
if (!files.length) {
  console.log('no test files matched');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

function nativeTensorFlowInstalled() {
  try {
    createRequire(path.join(root, 'package.json')).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function childEnv(extra) {
  const env = { ...process.env, DIGIT_STUDIO_TEST: '1', ...extra };
  // Set when this script itself runs under node:test (its own tests): a nested runner that
  // inherits it would report to its parent in a binary protocol instead of running as a runner.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** One `node --test` run; resolves to Node's summary counts (empty if the runner wrote none). */
function runNodeTest(list, env) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'digit-studio-run-'));
  const summaryFile = path.join(tmp, 'summary.json');
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-timeout=600000',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${reporter}`, `--test-reporter-destination=${summaryFile}`,
      ...list,
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: childEnv(env) },
  );
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      let summary = {};
      try {
        summary = JSON.parse(readFileSync(summaryFile, 'utf8').trim().split('\n').pop() || '{}');
      } catch {
        // no summary: counted as a failure below
      }
      rmSync(tmp, { recursive: true, force: true });
      resolve({ code: signal ? 1 : code, summary });
    });
  });
}

const passes = [{ files, env: backend ? { DIGIT_STUDIO_BACKEND: backend } : {}, label: null }];
if (!backend && nativeTensorFlowInstalled()) {
  const again = files.filter((f) => BACKEND_DIRS.some((d) => slash(f).startsWith(d)));
  if (again.length) {
    passes.push({ files: again, env: { DIGIT_STUDIO_BACKEND: 'wasm' }, label: `again on the WASM backend (native TensorFlow is installed too): ${again.length} files` });
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const p of passes) {
  if (p.label) console.log(`\n▶ ${p.label}`);
  const { code, summary } = await runNodeTest(p.files, p.env);
  const n = (k) => (Number.isFinite(summary[k]) ? summary[k] : 0);
  let f = n('fail') + n('cancelled');
  // The runner failed without a failing test (crashed, killed, wrote no summary): never report green.
  if ((code !== 0 || summary.pass === undefined) && f === 0) f = 1;
  passed += n('pass');
  failed += f;
  skipped += n('skipped') + n('todo');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
