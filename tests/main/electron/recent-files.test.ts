import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MAX_RECENT, RecentFiles } from '../../../main/electron/recent-files';

test('recent files: newest first, no duplicates, capped, persisted, tolerant of a bad file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-recent-'));
  try {
    const file = path.join(dir, 'recent-files.json');
    const changes: (readonly string[])[] = [];
    const recent = new RecentFiles(file, (items) => changes.push(items));
    assert.deepEqual(await recent.load(), []);
    await recent.add(['/a.csv']);
    await recent.add(['/b.zip', '/c.png']);
    await recent.add(['/a.csv']);
    assert.deepEqual(recent.list(), ['/a.csv', '/b.zip', '/c.png']);
    assert.equal(changes.length, 3);
    for (let i = 0; i < 20; i++) await recent.add([`/f${i}.png`]);
    assert.equal(recent.list().length, MAX_RECENT);
    assert.equal(recent.list()[0], '/f19.png');

    const again = new RecentFiles(file);
    assert.deepEqual(await again.load(), recent.list());
    await again.remove('/f19.png');
    assert.equal(again.list()[0], '/f18.png');
    await again.clear();
    assert.deepEqual(await new RecentFiles(file).load(), []);

    await writeFile(file, JSON.stringify(['/ok.png', 5, null, '', 'x'.repeat(5000), '/ok.png', { a: 1 }]));
    assert.deepEqual(await new RecentFiles(file).load(), ['/ok.png']);
    await writeFile(file, 'not json');
    assert.deepEqual(await new RecentFiles(file).load(), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
