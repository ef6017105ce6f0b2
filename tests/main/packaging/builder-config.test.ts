// The electron-builder configuration, checked without building (the Electron binary can't be
// downloaded here): against electron-builder's own JSON schema (with ajv, and with electron-builder's
// own validateConfiguration), and for what the release needs: targets, icons, file associations,
// native modules unpacked, npm rebuild off, the afterPack hook, and which files ship.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_EXTENSIONS, DATA_EXTENSIONS } from '../../../main/electron/open-files';
import { APP_ID } from '../../../main/electron/app-identity';

/* eslint-disable @typescript-eslint/no-require-imports */
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (options: Record<string, unknown>) => {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { Minimatch } = require('minimatch') as { Minimatch: new (pattern: string, options: object) => { match(p: string): boolean } };
/* eslint-enable @typescript-eslint/no-require-imports */

const root = process.cwd();
type Config = Record<string, any>;
const loadConfig = (): Config => yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
const schema = JSON.parse(readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));

function schemaErrors(config: unknown): string[] {
  // strict: false because the schema uses a few non-standard keywords (e.g. "typeof").
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validate(config) ? [] : (validate.errors ?? []).map((e) => JSON.stringify(e));
}

test("the config is valid against electron-builder's JSON schema (ajv)", () => {
  assert.deepEqual(schemaErrors(loadConfig()), []);
});

test('the schema check is not vacuous: a misspelt or mistyped option is refused', () => {
  assert.ok(schemaErrors({ ...loadConfig(), npmRebiuld: false }).length > 0);
  assert.ok(schemaErrors({ ...loadConfig(), asar: 'yes please' }).length > 0);
  const config = loadConfig();
  config.mac.fileAssociations = [{ ext: 5 }];
  assert.ok(schemaErrors(config).length > 0);
});

test("electron-builder's own validateConfiguration accepts the config and refuses a bad one", async () => {
  await validateConfiguration(loadConfig(), new DebugLogger(false));
  await assert.rejects(validateConfiguration({ ...loadConfig(), npmRebiuld: false }, new DebugLogger(false)), /npmRebiuld/);
});

test('identity, targets and categories', () => {
  const c = loadConfig();
  assert.equal(c.appId, APP_ID, 'the same id the app gives Windows (AppUserModelId)');
  assert.equal(c.productName, 'Digit Studio');
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.equal(c.linux.category, 'Education');
  assert.deepEqual(c.win.target, [{ target: 'nsis', arch: ['x64'] }]);
  assert.deepEqual(c.mac.target, [{ target: 'dmg', arch: ['x64', 'arm64'] }]);
  assert.equal(c.mac.category, 'public.app-category.education');
  assert.equal(c.asar, true);
  assert.equal(c.npmRebuild, false, 'tfjs-node is N-API: no rebuild against Electron');
  assert.equal(c.nsis.deleteAppDataOnUninstall, false, "uninstalling never deletes the user's data");
  assert.equal(c.electronFuses.runAsNode, false);
  assert.equal(c.electronFuses.onlyLoadAppFromAsar, true);
});

test('file associations: csv, zip and every image type, as "Open with" (never taking over the default)', () => {
  const c = loadConfig();
  const wanted = [...DATA_EXTENSIONS, ...IMAGE_EXTENSIONS].sort();
  for (const platform of ['mac', 'linux']) {
    const assoc = c[platform].fileAssociations as { ext: string | string[]; mimeType?: string; rank?: string }[];
    assert.deepEqual(assoc.flatMap((a) => a.ext).sort(), wanted, platform);
    for (const a of assoc) {
      assert.equal(a.rank, 'Alternate', `${platform} ${a.ext}`);
      assert.match(a.mimeType ?? '', /^[a-z]+\/[a-z.+-]+$/, `${platform} ${a.ext} has a MIME type (needed on Linux)`);
    }
  }
  assert.equal(c.fileAssociations, undefined, 'none at the top level: they would reach NSIS, which makes them defaults');
  assert.equal(c.win.fileAssociations, undefined);
  const nsh = readFileSync(path.join(root, c.nsis.include), 'utf8');
  const registered = [...nsh.matchAll(/!insertmacro \$\{MACRO\} "([a-z]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(registered, wanted, 'the Windows installer registers the same types');
  assert.match(nsh, /OpenWithProgids/);
  assert.doesNotMatch(nsh, /WriteRegStr SHELL_CONTEXT "Software\\Classes\\\.\$\{EXT\}" ""/, 'never the default value of an extension');
  assert.match(nsh, /!macro customUnInstall[\s\S]*DeleteRegKey/);
});

test('icons exist in every format the targets need, at the sizes they need', () => {
  const c = loadConfig();
  const ico = readFileSync(path.join(root, c.win.icon));
  assert.equal(ico.readUInt16LE(2), 1, 'ICO type');
  const count = ico.readUInt16LE(4);
  const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
  assert.ok(sizes.includes(256) && sizes.includes(16) && sizes.includes(32) && sizes.includes(48), `ico sizes ${sizes}`);
  for (let i = 0; i < count; i++) {
    const size = ico.readUInt32LE(6 + 16 * i + 8);
    const offset = ico.readUInt32LE(6 + 16 * i + 12);
    assert.ok(offset + size <= ico.length, 'entry inside the file');
  }

  const icns = readFileSync(path.join(root, c.mac.icon));
  assert.equal(icns.toString('latin1', 0, 4), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length);
  const types: string[] = [];
  for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.toString('latin1', at, at + 4));
  for (const t of ['ic07', 'ic08', 'ic09', 'ic10']) assert.ok(types.includes(t), `icns has ${t}`);

  const linuxDir = path.join(root, c.linux.icon);
  const pngs = readdirSync(linuxDir).sort();
  for (const s of [16, 32, 48, 64, 128, 256, 512]) assert.ok(pngs.includes(`${s}x${s}.png`), `${s}x${s}.png`);
  for (const name of pngs) {
    const png = readFileSync(path.join(linuxDir, name));
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.equal(`${w}x${h}.png`, name, 'named for its real size');
  }
  assert.ok(existsSync(path.join(root, 'resources', 'icon.svg')), 'the vector source is kept');
  let total = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      // The two shipped models have their own limits (shipped-files.test.ts).
      if (e.isDirectory()) {
        if (e.name !== 'base-model' && e.name !== 'read-verifier') walk(path.join(d, e.name));
      }
      else total += readFileSync(path.join(d, e.name)).length;
    }
  };
  walk(path.join(root, 'resources'));
  assert.ok(total < 200_000, `resources/ (icons) stays small (${total} bytes)`);
});

test('native modules and WASM files are unpacked from the archive (patterns match the real files)', () => {
  const c = loadConfig();
  const unpack = (c.asarUnpack as string[]).map((p) => new Minimatch(p, { dot: true }));
  const unpacked = (rel: string) => unpack.some((m) => m.match(rel));
  for (const file of readdirSync(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')).filter((f) => f.endsWith('.wasm'))) {
    assert.ok(unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`), file);
  }
  assert.ok(!unpacked('node_modules/@tensorflow/tfjs-backend-wasm/dist/index.js'), 'JavaScript stays in the archive');
  assert.ok(unpacked('node_modules/sharp/lib/index.js'));
  // The base model's files are read by the ML process as a plain folder.
  for (const f of ['model.json', 'weights.bin', 'metadata.json']) assert.ok(unpacked(`resources/base-model/${f}`), f);
  const img = readdirSync(path.join(root, 'node_modules/@img'));
  assert.ok(img.length > 0);
  for (const pkg of img) assert.ok(unpacked(`node_modules/@img/${pkg}/package.json`), pkg);
  assert.ok(unpacked('node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'));
  assert.ok(unpacked('node_modules/@tensorflow/tfjs-node/deps/lib/tensorflow.dll'));
  // The built-in MNIST sets: plain files for the ML process (main/data/builtin/files.ts).
  for (const f of ['builtin.json', 'mnist-train.dsb', 'mnist-test.dsb']) assert.ok(unpacked(`out/builtin/${f}`), f);
  assert.ok(!unpacked('out/main/index.js'), 'the bundles stay in the archive');
});

test('the afterPack hook exists and is the one electron-builder will load', () => {
  const c = loadConfig();
  const hook = path.resolve(root, c.afterPack);
  assert.ok(existsSync(hook));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(hook) as { afterPack?: unknown };
  assert.equal(typeof mod.afterPack, 'function', 'electron-builder uses the export named after the hook');
});
