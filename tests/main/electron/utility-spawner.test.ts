import { fake, FakeUtilityProcess } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUtilitySpawner } from '../../../main/electron/utility-spawner';

test('the ML process is a utilityProcess on the worker entry, told where the WASM files are', () => {
  FakeUtilityProcess.forks.length = 0;
  const lines: string[] = [];
  const spawn = createUtilitySpawner({ entry: '/app.asar/out/main/ml-worker.js', wasmDir: '/app.asar.unpacked/wasm', log: (l) => lines.push(l) });
  const handle = spawn();
  assert.equal(FakeUtilityProcess.forks.length, 1);
  const { entry, options, child } = FakeUtilityProcess.forks[0]!;
  assert.equal(entry, '/app.asar/out/main/ml-worker.js');
  assert.equal(options.env.DIGIT_STUDIO_WASM_DIR, '/app.asar.unpacked/wasm');
  assert.equal(options.stdio, 'pipe');
  assert.equal(handle.pid, 4242);

  const received: unknown[] = [];
  handle.onMessage((m) => received.push(m));
  handle.send({ type: 'hello' });
  assert.deepEqual(child.posted, [{ type: 'hello' }]);
  child.emit('message', { type: 'ready' });
  assert.deepEqual(received, [{ type: 'ready' }]);

  const exits: unknown[] = [];
  handle.onExit((code, signal) => exits.push([code, signal]));
  child.emit('exit', 134);
  child.emit('exit', 134);
  assert.deepEqual(exits, [[134, null]], 'exit reported once');
  handle.send({ type: 'late' });
  assert.equal(child.posted.length, 1, 'nothing sent to a dead process');
  const late: unknown[] = [];
  handle.onExit((code) => late.push(code));
  assert.deepEqual(late, [null], 'a listener added after the exit hears about it at once');
  handle.kill();
  assert.equal(child.killed, false, 'no kill of an exited process');
  assert.ok(lines.some((l) => l.includes('exited (code 134')));
  void fake;
});
