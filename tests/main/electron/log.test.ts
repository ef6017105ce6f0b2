import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../main/electron/log';

test('the log keeps this session in main.log and the last one in main.previous.log, written atomically', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-log-'));
  try {
    await writeFile(path.join(dir, 'main.log'), 'last session\n');
    const echoed: string[] = [];
    const log = await createLogger(dir, { echo: (l) => echoed.push(l) });
    assert.equal(log.file, path.join(dir, 'main.log'));
    for (let i = 0; i < 6000; i++) log(`line ${i}`);
    await log.flush();
    const text = await readFile(log.file, 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 5000, 'capped');
    assert.match(lines.at(-1)!, /^\d{4}-\d\d-\d\dT[\d:.]+Z line 5999$/);
    assert.equal(echoed.length, 6000);
    assert.equal(await readFile(path.join(dir, 'main.previous.log'), 'utf8'), 'last session\n');
    assert.deepEqual((await readdir(dir)).sort(), ['main.log', 'main.previous.log'], 'no temp files left');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a log folder that cannot be written never breaks the app', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-log-'));
  try {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const log = await createLogger(path.join(blocker, 'logs'), { echo: () => undefined });
    log('still fine');
    await log.flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
