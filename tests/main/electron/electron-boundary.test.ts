// Only main/electron/** and preload/index.ts may import 'electron' (DESIGN.md): everything else runs
// in plain Node (CLI, harness, tests) or in the renderer. And main/ipc stays transport-agnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(sources(rel));
    else if (/\.(ts|mts|cts|js|mjs|cjs|svelte)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const IMPORTS_ELECTRON = /(?:from\s+|require\(\s*|import\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

test("only main/electron and preload/index.ts import 'electron'", () => {
  const files = [...sources('main'), ...sources('preload'), ...sources('renderer/src')];
  assert.ok(files.length > 20);
  const offenders = files.filter((f) => {
    const allowed = f.startsWith(path.join('main', 'electron') + path.sep) || f === path.join('preload', 'index.ts');
    return !allowed && IMPORTS_ELECTRON.test(readFileSync(path.join(root, f), 'utf8'));
  });
  assert.deepEqual(offenders, []);
});

test('the guard itself recognises an electron import', () => {
  assert.ok(IMPORTS_ELECTRON.test("import { app } from 'electron';"));
  assert.ok(IMPORTS_ELECTRON.test('const { ipcRenderer } = require("electron")'));
  assert.ok(!IMPORTS_ELECTRON.test("import x from 'electron-builder';"));
});
