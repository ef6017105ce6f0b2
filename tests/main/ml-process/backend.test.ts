// Choosing the TensorFlow backend: DIGIT_STUDIO_BACKEND picks one, a backend that was asked for and
// can't load is an error (never a silent fallback), and with nothing asked the best available loads.
// Each case runs in a fresh process, since TensorFlow loads once per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { requestedBackend } from '../../../main/ml-process/backend';
import { expectedBackendKind, nativeTensorFlowInstalled } from '../../helpers/backend';

const backendModule = path.resolve(__dirname, '../../../main/ml-process/backend.ts');

function loadIn(value: string | undefined): { ok: true; kind: string; reason: string } | { ok: false; error: string } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  if (value === undefined) delete env.DIGIT_STUDIO_BACKEND;
  else env.DIGIT_STUDIO_BACKEND = value;
  const script = `require(${JSON.stringify(backendModule)}).loadTf().then(
    (r) => console.log(JSON.stringify({ ok: true, kind: r.info.kind, reason: r.info.reason })),
    (e) => console.log(JSON.stringify({ ok: false, error: e.message })))`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('requestedBackend reads DIGIT_STUDIO_BACKEND and refuses anything else', () => {
  assert.equal(requestedBackend(undefined), null);
  assert.equal(requestedBackend(''), null);
  assert.equal(requestedBackend('wasm'), 'wasm');
  assert.equal(requestedBackend('tensorflow'), 'tensorflow');
  assert.equal(requestedBackend('cpu'), 'cpu');
  assert.throws(() => requestedBackend('WASM'), /must be tensorflow, wasm or cpu \(got "WASM"\)/);
  assert.throws(() => requestedBackend('gpu'), /got "gpu"/);
});

test('wasm and cpu load when asked for, and say that they were asked for', () => {
  const wasm = loadIn('wasm');
  assert.deepEqual(wasm, { ok: true, kind: 'wasm', reason: 'WASM: WASM requested by DIGIT_STUDIO_BACKEND' });
  const cpu = loadIn('cpu');
  assert.deepEqual(cpu, { ok: true, kind: 'cpu', reason: 'CPU requested by DIGIT_STUDIO_BACKEND' });
});

test('native TensorFlow when asked for: loads where installed, else a plain error instead of a fallback', () => {
  const r = loadIn('tensorflow');
  if (nativeTensorFlowInstalled()) assert.deepEqual(r, { ok: true, kind: 'tensorflow', reason: 'native module loaded' });
  else assert.deepEqual(r, { ok: false, error: "native TensorFlow was requested by DIGIT_STUDIO_BACKEND but can't be used: native module not installed" });
});

test('nothing asked: the best backend installed here', () => {
  const r = loadIn(undefined);
  assert.ok(r.ok);
  const saved = process.env.DIGIT_STUDIO_BACKEND;
  delete process.env.DIGIT_STUDIO_BACKEND;
  try {
    assert.equal(r.kind, expectedBackendKind());
  } finally {
    if (saved !== undefined) process.env.DIGIT_STUDIO_BACKEND = saved;
  }
});

test('an unknown value is an error when TensorFlow loads', () => {
  assert.deepEqual(loadIn('gpu'), { ok: false, error: 'DIGIT_STUDIO_BACKEND must be tensorflow, wasm or cpu (got "gpu")' });
});
