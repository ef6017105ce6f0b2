// The data folder marker: written on a new, empty or our-layout folder, never on a folder holding
// other things; a folder is deletable only when marked or holding only our layout.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DATA_DIR_MARKER, markDataDir, mustBeDataDir } from '../../../main/services/data-dir-marker';

test('new and our-layout folders are marked; a folder with other things is not, and may not be deleted', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ds-marker-'));
  try {
    const fresh = path.join(root, 'fresh');
    await markDataDir(fresh);
    assert.ok(existsSync(path.join(fresh, DATA_DIR_MARKER)));
    await mustBeDataDir(fresh);

    const old = path.join(root, 'old');
    await mkdir(path.join(old, 'datasets'), { recursive: true });
    await mkdir(path.join(old, 'runs'));
    await mustBeDataDir(old); // from before the marker: our layout only
    await markDataDir(old);
    assert.ok(existsSync(path.join(old, DATA_DIR_MARKER)));

    const home = path.join(root, 'home');
    await mkdir(path.join(home, 'models'), { recursive: true });
    await writeFile(path.join(home, 'thesis.docx'), 'years of work');
    const lines: string[] = [];
    await markDataDir(home, (l) => lines.push(l));
    assert.ok(!existsSync(path.join(home, DATA_DIR_MARKER)), 'not marked');
    assert.match(lines[0]!, /thesis\.docx/);
    await assert.rejects(mustBeDataDir(home), /does not look like a Digit Studio data folder \(it holds thesis\.docx\)/);
    await mustBeDataDir(path.join(root, 'missing')); // nothing there to delete
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
