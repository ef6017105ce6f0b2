// The afterPack hook on fake packed layouts (Windows, Linux, macOS), built on disk the way
// electron-builder lays them out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const hook = require('../../../scripts/electron-builder-after-pack.cjs') as {
  afterPack(context: unknown): Promise<void>;
  copyTensorflowDll(unpackedDir: string, log?: (l: string) => void): string[];
  verifyUnpacked(unpackedDir: string, target?: { platform: string; arch: number | string } | null): void;
  resourcesDirFor(context: unknown): string;
  sharpPackageFor(platform: string, arch: number | string): string | null;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const ARCH_X64 = 1;
const ARCH_ARM64 = 3;
const DLL = Buffer.from('MZ fake tensorflow.dll');

async function put(file: string, data: string | Buffer = ''): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

/** A packed app folder: resources/app.asar.unpacked with what asarUnpack puts there. */
async function fakeLayout(
  appOutDir: string,
  options: { resources?: string; sharp?: string[]; tfjsNode?: 'none' | 'dll-in-deps' | 'no-dll' | 'already-beside'; wasm?: boolean },
): Promise<string> {
  const unpacked = path.join(options.resources ?? path.join(appOutDir, 'resources'), 'app.asar.unpacked');
  const nm = path.join(unpacked, 'node_modules');
  if (options.wasm !== false) {
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      await put(path.join(nm, '@tensorflow', 'tfjs-backend-wasm', 'dist', f), 'wasm');
    }
  }
  await put(path.join(nm, 'sharp', 'package.json'), '{}');
  for (const pkg of options.sharp ?? []) await put(path.join(nm, '@img', pkg, 'package.json'), '{}');
  const tfjs = path.join(nm, '@tensorflow', 'tfjs-node');
  switch (options.tfjsNode ?? 'none') {
    case 'dll-in-deps':
      await put(path.join(tfjs, 'deps', 'lib', 'tensorflow.dll'), DLL);
      await put(path.join(tfjs, 'lib', 'napi-v8', 'tfjs_binding.node'), 'node');
      break;
    case 'no-dll':
      await put(path.join(tfjs, 'lib', 'napi-v8', 'tfjs_binding.node'), 'node');
      break;
    case 'already-beside':
      await put(path.join(tfjs, 'lib', 'napi-v8', 'tfjs_binding.node'), 'node');
      await put(path.join(tfjs, 'lib', 'napi-v8', 'tensorflow.dll'), DLL);
      break;
    default:
      break;
  }
  return unpacked;
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-afterpack-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const winContext = (appOutDir: string) => ({ appOutDir, electronPlatformName: 'win32', arch: ARCH_X64, packager: { appInfo: { productFilename: 'Digit Studio' } } });

test('Windows: tensorflow.dll is copied beside the N-API binding', async () => {
  await withTemp(async (dir) => {
    const unpacked = await fakeLayout(dir, { sharp: ['sharp-win32-x64'], tfjsNode: 'dll-in-deps' });
    const binding = path.join(unpacked, 'node_modules', '@tensorflow', 'tfjs-node', 'lib', 'napi-v8');
    assert.ok(!existsSync(path.join(binding, 'tensorflow.dll')));
    await hook.afterPack(winContext(dir));
    assert.deepEqual(readFileSync(path.join(binding, 'tensorflow.dll')), DLL);
    assert.deepEqual((await readdir(binding)).sort(), ['tensorflow.dll', 'tfjs_binding.node']);
    // Running again changes nothing.
    assert.deepEqual(hook.copyTensorflowDll(unpacked, () => undefined), []);
  });
});

test('Windows: every napi-v* binding folder gets the dll; a dll already beside the binding is used', async () => {
  await withTemp(async (dir) => {
    const unpacked = await fakeLayout(dir, { sharp: ['sharp-win32-x64'], tfjsNode: 'already-beside' });
    const lib = path.join(unpacked, 'node_modules', '@tensorflow', 'tfjs-node', 'lib');
    await put(path.join(lib, 'napi-v9', 'tfjs_binding.node'), 'node');
    await put(path.join(lib, 'napi-v7', 'README'), 'no binding here');
    const written = hook.copyTensorflowDll(unpacked, () => undefined);
    assert.deepEqual(written, [path.join(lib, 'napi-v9', 'tensorflow.dll')]);
    assert.ok(!existsSync(path.join(lib, 'napi-v7', 'tensorflow.dll')));
  });
});

test('Windows: tfjs-node absent is fine (WASM); a binding without any dll fails the build', async () => {
  await withTemp(async (dir) => {
    await fakeLayout(dir, { sharp: ['sharp-win32-x64'], tfjsNode: 'none' });
    const lines: string[] = [];
    const logged = console.log;
    console.log = (l: string) => lines.push(l);
    try {
      await hook.afterPack(winContext(dir));
    } finally {
      console.log = logged;
    }
    assert.ok(lines.some((l) => /WASM/.test(l)));
  });
  await withTemp(async (dir) => {
    await fakeLayout(dir, { sharp: ['sharp-win32-x64'], tfjsNode: 'no-dll' });
    await assert.rejects(hook.afterPack(winContext(dir)), /tensorflow\.dll not found/);
  });
});

test('every platform: missing WASM files or a sharp build for the wrong platform fail the build', async () => {
  await withTemp(async (dir) => {
    await fakeLayout(dir, { sharp: ['sharp-linux-x64', 'sharp-libvips-linux-x64'], wasm: false });
    await assert.rejects(
      hook.afterPack({ appOutDir: dir, electronPlatformName: 'linux', arch: ARCH_X64, packager: {} }),
      /tfjs-backend-wasm-simd\.wasm is missing/,
    );
  });
  await withTemp(async (dir) => {
    await fakeLayout(dir, { sharp: ['sharp-linux-x64', 'sharp-libvips-linux-x64'] });
    await hook.afterPack({ appOutDir: dir, electronPlatformName: 'linux', arch: ARCH_X64, packager: {} });
    await assert.rejects(hook.afterPack(winContext(dir)), /not sharp-win32-x64/, 'Linux sharp in a Windows build');
  });
});

test('macOS: the Resources folder inside the .app bundle is checked, per arch', async () => {
  await withTemp(async (dir) => {
    const context = { appOutDir: dir, electronPlatformName: 'darwin', arch: ARCH_ARM64, packager: { appInfo: { productFilename: 'Digit Studio' } } };
    const resources = hook.resourcesDirFor(context);
    assert.equal(resources, path.join(dir, 'Digit Studio.app', 'Contents', 'Resources'));
    await fakeLayout(dir, { resources, sharp: ['sharp-darwin-arm64', 'sharp-libvips-darwin-arm64'] });
    await hook.afterPack(context);
    await assert.rejects(hook.afterPack({ ...context, arch: ARCH_X64 }), /not sharp-darwin-x64/);
  });
  assert.equal(hook.sharpPackageFor('mas', ARCH_ARM64), 'sharp-darwin-arm64');
  assert.equal(hook.sharpPackageFor('linux', 'x64'), 'sharp-linux-x64');
});
