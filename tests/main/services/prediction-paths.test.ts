// predictPath reads only what a dropped picture can be: a regular file with a picture's name, on
// this computer. Pipes, devices, folders, other files and Windows network/device paths are refused
// with words before anything is read (a link to /dev/zero would otherwise block or exhaust main).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { PredictionService } from '../../../main/services/prediction-service';
import type { MlClient } from '../../../main/models/ml-client';
import type { ModelLibrary } from '../../../main/models/model-library';
import type { ModelSummary } from '../../../preload/contract';

let dir: string;
let service: PredictionService;
const seen: Uint8Array[] = [];

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-predict-paths-'));
  const model: ModelSummary = {
    id: 'm1', name: 'm1', arch: 'seed', createdAt: '', valAccuracy: null, trainedOn: '', backend: 'wasm', baseModelId: null, active: true,
  };
  // A stand-in model library and ML process: these tests are about which paths are read at all.
  const models = { list: () => [model], dirOf: () => dir } as unknown as ModelLibrary;
  const ml = {
    predict: async (_dir: string, inputs: Uint8Array[]) => {
      seen.push(...inputs);
      return inputs.map(() => [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    },
  } as unknown as MlClient;
  service = new PredictionService({ dialogs: { openPaths: async () => null } } as never, ml, models);
});
after(() => rm(dir, { recursive: true, force: true }));

test('a picture on this computer is read; pipes, devices, folders, other files and network paths are not', async () => {
  const png = path.join(dir, 'seven.png');
  await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } })
    .composite([{ input: { create: { width: 8, height: 30, channels: 3, background: '#000000' } }, left: 16, top: 5 }])
    .png()
    .toFile(png);
  const ok = await service.predictPath({ path: png });
  assert.equal(ok.file, 'seven.png');
  assert.equal(seen.length, 1);

  const fifo = path.join(dir, 'pipe.png');
  execFileSync('mkfifo', [fifo]);
  const zero = path.join(dir, 'zero.png');
  await symlink('/dev/zero', zero);
  const folder = path.join(dir, 'folder.png');
  await mkdir(folder);
  const text = path.join(dir, 'notes.txt');
  await writeFile(text, 'not a picture');
  const cases: [string, RegExp][] = [
    [fifo, /pipe\.png.*not a regular file/],
    [zero, /zero\.png.*not a regular file/],
    [folder, /folder\.png.*folder/],
    [text, /notes\.txt.*not a picture/],
    [path.join(dir, 'missing.png'), /missing\.png/],
    ['\\\\host\\share\\seven.png', /network|device/],
    ['\\\\.\\pipe\\seven.png', /network|device/],
    ['\\\\?\\C:\\seven.png', /network|device/],
    ['//host/share/seven.png', /network|device/],
  ];
  for (const [p, message] of cases) await assert.rejects(service.predictPath({ path: p }), message, p);
  assert.equal(seen.length, 1, 'nothing refused reached the model');
});
