import { fake } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimSingleInstance } from '../../../main/electron/single-instance';
import { runApp } from '../../../main/electron/app';

function resetApp(lockAvailable: boolean) {
  fake.app.listeners.clear();
  fake.app.lockAvailable = lockAvailable;
  fake.app.lockData = undefined;
  fake.app.quitCalls = 0;
}

test('a second instance offers its files to the first and is told to quit', () => {
  resetApp(false);
  const got: string[][] = [];
  assert.equal(claimSingleInstance(fake.app as never, ['/home/ann/seven.png'], (f) => got.push(f)), false);
  assert.deepEqual(fake.app.lockData, { files: ['/home/ann/seven.png'] });
  assert.equal(fake.app.listenerCount('second-instance'), 0);
});

test('the first instance receives the files of later launches', () => {
  resetApp(true);
  const got: string[][] = [];
  assert.equal(claimSingleInstance(fake.app as never, [], (f) => got.push(f)), true);
  fake.app.emit('second-instance', {}, ['/opt/ds/digit-studio', 'ignored.png'], '/home/ann', { files: ['/home/ann/a.csv', '/home/ann/b.png'] });
  // additionalData missing or damaged: the argv is parsed instead.
  fake.app.emit('second-instance', {}, ['/opt/ds/digit-studio', '--some-switch', 'c.zip'], '/home/ann', undefined);
  fake.app.emit('second-instance', {}, ['/opt/ds/digit-studio', 'd.png'], '/tmp', { files: 'nope' });
  fake.app.emit('second-instance', {}, ['/opt/ds/digit-studio'], '/tmp', null);
  assert.deepEqual(got, [['/home/ann/a.csv', '/home/ann/b.png'], ['/home/ann/c.zip'], ['/tmp/d.png'], []]);
});

test('runApp as a second instance: forwards its file arguments, quits, opens no window', () => {
  resetApp(false);
  const argv = process.argv;
  process.argv = ['/opt/ds/digit-studio', 'seven.png', '--no-sandbox'];
  let created = 0;
  try {
    runApp({ createServices: async () => { created++; throw new Error('must not start'); } });
  } finally {
    process.argv = argv;
  }
  assert.deepEqual(fake.app.lockData, { files: [`${process.cwd()}/seven.png`] });
  assert.equal(fake.app.quitCalls, 1);
  assert.equal(fake.app.listenerCount('ready'), 0);
  assert.equal(fake.app.listenerCount('web-contents-created'), 0, 'nothing else was set up');
  assert.equal(created, 0);
});
