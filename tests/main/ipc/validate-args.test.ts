import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, DEFAULT_TRAIN_SETTINGS, MAX_DROPPED_PATHS, type CallName } from '../../../preload/contract';
import { ARG_VALIDATORS, validateCallArgs } from '../../../main/ipc/validate-args';
import { ArgumentError, base64DecodedLength } from '../../../main/ipc/rules';
import { PIXELS_784, VALID_ARGS } from './call-examples';

function refused(name: CallName, args: unknown[], pattern?: RegExp): void {
  assert.throws(
    () => validateCallArgs(name, args),
    (err: unknown) => {
      assert.ok(err instanceof ArgumentError, `expected ArgumentError, got ${String(err)}`);
      assert.ok(err.message.startsWith(`${name}`), `message names the call: ${err.message}`);
      if (pattern) assert.match(err.message, pattern);
      return true;
    },
    `${name} ${JSON.stringify(args).slice(0, 200)} should be refused`,
  );
}

const training = (patch: Record<string, unknown>) => [
  { ...DEFAULT_TRAIN_SETTINGS, datasetIds: ['starter'], ...patch },
];

test('every call of the contract has a validator, and nothing else does', () => {
  assert.deepEqual(Object.keys(ARG_VALIDATORS).sort(), [...CALL_NAMES].sort());
});

test('every call accepts its valid example and returns an equal, clean copy', () => {
  for (const name of CALL_NAMES) {
    const args = VALID_ARGS[name] as unknown[];
    const out = validateCallArgs(name, args);
    assert.deepEqual(out, args, name);
    if (args.length) assert.notEqual(out[0], args[0], `${name}: a copy, not the caller's object`);
  }
});

test('every call refuses extra fields, wrong shapes and extra arguments', () => {
  for (const name of CALL_NAMES) {
    const args = VALID_ARGS[name] as unknown[];
    refused(name, [...args, {}, {}]);
    if (args.length === 0) {
      refused(name, [{ anything: 1 }]);
      continue;
    }
    refused(name, [{ ...(args[0] as object), sneaky: true }], /unknown field "sneaky"/);
    refused(name, []);
    refused(name, ['a string']);
    refused(name, [null]);
    refused(name, [[args[0]]]);
    refused(name, [new (class Impostor {})()]);
    // A key named __proto__ from JSON.parse is an own property: refused, never merged.
    const inner = JSON.stringify(args[0]).slice(1, -1);
    refused(name, [JSON.parse(`{"__proto__": {"polluted": true}${inner ? `, ${inner}` : ''}}`)], /__proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});

test('calls without arguments accept nothing, undefined or null (JSON turns undefined into null)', () => {
  for (const name of CALL_NAMES.filter((n) => (VALID_ARGS[n] as unknown[]).length === 0)) {
    assert.deepEqual(validateCallArgs(name, []), []);
    assert.deepEqual(validateCallArgs(name, [undefined]), []);
    assert.deepEqual(validateCallArgs(name, [null]), []);
  }
});

test('startTraining: ranges of the settings', () => {
  for (const ok of [0.05, 0.5, 0.2]) validateCallArgs('startTraining', training({ valSplit: ok }));
  for (const bad of [0.049, 0.51, -1, NaN, '0.1', null]) refused('startTraining', training({ valSplit: bad }), /valSplit/);
  for (const ok of [1, 200]) validateCallArgs('startTraining', training({ epochs: ok }));
  for (const bad of [0, 201, 1.5, Infinity]) refused('startTraining', training({ epochs: bad }), /epochs/);
  for (const ok of [8, 1024]) validateCallArgs('startTraining', training({ batchSize: ok }));
  for (const bad of [7, 1025, 64.5]) refused('startTraining', training({ batchSize: bad }), /batchSize/);
  for (const ok of [1, 1e-6, 0.5]) validateCallArgs('startTraining', training({ learningRate: ok }));
  for (const bad of [0, -0.001, 1.0001, NaN, Infinity, -Infinity]) refused('startTraining', training({ learningRate: bad }), /learningRate/);
  for (const bad of ['huge', 'SEED']) refused('startTraining', training({ model: bad }), /model/);
  for (const bad of [-1, 2 ** 32, 0.5]) refused('startTraining', training({ seed: bad }), /seed/);
  refused('startTraining', training({ name: 'x'.repeat(101) }), /name/);
  refused('startTraining', training({ name: 'bad\u0000name' }), /control/);
  refused('startTraining', training({ augment: 'yes' }), /augment/);
  refused('startTraining', training({ datasetIds: [] }), /at least one dataset/);
  refused('startTraining', training({ datasetIds: Array.from({ length: 201 }, (_, i) => `d${i}`) }), /datasetIds/);
  refused('startTraining', training({ baseModelId: '../models/x' }), /baseModelId/);
  const missing = { ...DEFAULT_TRAIN_SETTINGS, datasetIds: ['a'] } as Record<string, unknown>;
  delete missing.epochs;
  refused('startTraining', [missing], /epochs/);
  validateCallArgs('startTraining', training({ baseModelId: 'model-1', freezeFeatures: true }));
});

test('ids: plain names only, never paths', () => {
  for (const ok of ['a', 'starter', 'ds-2026.11.26_x', 'A'.repeat(128)]) validateCallArgs('removeDataset', [{ datasetId: ok }]);
  for (const bad of ['', '..', '../x', '.hidden', 'a/b', 'a\\b', 'a..b', 'C:', 'x'.repeat(129), 'a b', 'é', 5, null]) {
    refused('removeDataset', [{ datasetId: bad }], /datasetId/);
  }
});

test('datasetSamples: digit 0–9 or null, bounded offset and limit', () => {
  const base = { datasetId: 'ds', digit: null, offset: 0, limit: 10 };
  for (const d of [0, 9, null]) validateCallArgs('datasetSamples', [{ ...base, digit: d }]);
  for (const d of [-1, 10, 2.5, '3', undefined]) refused('datasetSamples', [{ ...base, digit: d }], /digit/);
  for (const bad of [-1, 1.5, 1e9]) refused('datasetSamples', [{ ...base, offset: bad }], /offset/);
  for (const bad of [0, 1001]) refused('datasetSamples', [{ ...base, limit: bad }], /limit/);
});

test('pixels: strict base64 of exactly the right decoded length', () => {
  assert.equal(base64DecodedLength(PIXELS_784), 784);
  refused('addCustomSample', [{ pixels: Buffer.alloc(783).toString('base64'), label: 1 }], /784 bytes/);
  refused('addCustomSample', [{ pixels: Buffer.alloc(785).toString('base64'), label: 1 }], /784 bytes/);
  refused('addCustomSample', [{ pixels: PIXELS_784.slice(0, -4) + '!!!!', label: 1 }], /784 bytes/);
  refused('addCustomSample', [{ pixels: 'A'.repeat(10_000_000), label: 1 }], /784 bytes/);
  refused('addCustomSample', [{ pixels: Array.from(Buffer.alloc(784)), label: 1 }], /pixels/);
  refused('addCustomSample', [{ pixels: PIXELS_784, label: 10 }], /label/);

  const drawing = (w: number, h: number, bytes: number) => [{ width: w, height: h, pixels: Buffer.alloc(bytes).toString('base64') }];
  validateCallArgs('predictDrawing', drawing(1, 1, 1));
  validateCallArgs('predictDrawing', drawing(1024, 1024, 1024 * 1024));
  refused('predictDrawing', drawing(100, 100, 9999), /10000 bytes/);
  refused('predictDrawing', drawing(1025, 10, 10250), /width/);
  refused('predictDrawing', drawing(0, 10, 0), /width/);
  refused('predictDrawing', [{ width: 10, height: 10, pixels: Buffer.alloc(100).toString('base64'), modelId: null }], /modelId/);
});

test('paths (preload-only calls): absolute, bounded, no NUL', () => {
  for (const ok of ['/a/b.png', 'C:\\x\\y.png', 'd:/x.png']) validateCallArgs('predictPath', [{ path: ok }]);
  // Windows UNC and device forms are refused on every platform: \\host\share makes Windows connect
  // over SMB, \\.\pipe\… and \\?\… reach pipes and devices.
  for (const bad of ['\\\\server\\share\\x.png', '\\\\.\\pipe\\digits', '\\\\?\\C:\\x.png', '\\\\?\\UNC\\host\\share\\x.png', '//server/share/x.png', '\\\\.\\PhysicalDrive0', '/\\server\\share\\x.png']) {
    refused('predictPath', [{ path: bad }], /network|device/);
    refused('importPaths', [{ paths: ['/ok.csv', bad] }], /paths\[1\].*(network|device)/);
  }
  for (const bad of ['', 'relative.png', './x.png', '../etc/passwd', '/a\0b', '/' + 'x'.repeat(5000), 'file:///etc/passwd', 7]) {
    refused('predictPath', [{ path: bad }], /path/);
  }
  refused('importPaths', [{ paths: [] }], /no files were dropped/);
  refused('importPaths', [{ paths: ['/ok', 'not/absolute'] }], /paths\[1\]/);
  // One limit on dropped paths, defined once (preload/contract.ts), the same in the preload and the service.
  validateCallArgs('importPaths', [{ paths: Array.from({ length: MAX_DROPPED_PATHS }, (_, i) => `/f${i}`) }]);
  refused('importPaths', [{ paths: Array.from({ length: MAX_DROPPED_PATHS + 1 }, (_, i) => `/f${i}`) }], /paths/);
});

// Fuzz: random and mutated arguments for every call never throw anything but ArgumentError, and
// anything accepted comes back with exactly the call's known fields.
test('fuzz: random and mutated arguments are refused cleanly or accepted as a clean copy', () => {
  let seed = 1234567;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const atoms = [0, -1, 1, 0.5, 1e308, NaN, Infinity, '', 'x', '../..', '/abs', true, false, null, undefined, [], {}, PIXELS_784, 'ds-1'];
  const mutate = (v: unknown, depth: number): unknown => {
    if (depth > 2 || rand() < 0.3) return pick(atoms);
    if (Array.isArray(v)) return v.map((x) => (rand() < 0.3 ? mutate(x, depth + 1) : x));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = { ...(v as object) };
      for (const k of Object.keys(o)) if (rand() < 0.3) o[k] = mutate(o[k], depth + 1);
      if (rand() < 0.1) delete o[pick(Object.keys(o)) ?? 'x'];
      return o;
    }
    return pick(atoms);
  };
  let accepted = 0;
  let refusedCount = 0;
  const rounds = 4000;
  for (let i = 0; i < rounds; i++) {
    for (const name of CALL_NAMES) {
      const args = (VALID_ARGS[name] as unknown[]).map((a) => mutate(a, 0));
      try {
        const out = validateCallArgs(name, args) as unknown[];
        accepted++;
        if (out.length && args[0] && typeof args[0] === 'object') {
          for (const k of Object.keys(out[0] as object)) assert.ok(Object.hasOwn(args[0] as object, k));
        }
      } catch (err) {
        assert.ok(err instanceof ArgumentError, `${name}: ${String(err)}`);
        refusedCount++;
      }
    }
  }
  assert.equal(accepted + refusedCount, rounds * CALL_NAMES.length);
  assert.ok(refusedCount > 0 && accepted > 0);
  console.log(`fuzz: ${rounds * CALL_NAMES.length} argument lists, ${accepted} accepted, ${refusedCount} refused, 0 crashes`);
});
