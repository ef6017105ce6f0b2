// resources/installer.nsh (the Windows "Open with Digit Studio" registration) compiled with NSIS's
// makensis, warnings as errors, inside a minimal installer that defines what electron-builder's
// templates provide ($appExe, APP_EXECUTABLE_FILENAME). Needs makensis (Debian: apt-get install nsis);
// skipped, and saying so, where it is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const makensis = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' });
const missing = makensis.error ? 'makensis is not installed (apt-get install nsis)' : false;

test('installer.nsh compiles in an NSIS installer and uninstaller', { skip: missing }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-nsis-'));
  try {
    const nsi = path.join(dir, 'check.nsi');
    await writeFile(
      nsi,
      [
        'Unicode true',
        '!define APP_EXECUTABLE_FILENAME "Digit Studio.exe"',
        'Var appExe',
        `!include "${path.join(process.cwd(), 'resources', 'installer.nsh')}"`,
        `OutFile "${path.join(dir, 'check.exe')}"`,
        'RequestExecutionLevel user',
        'Section "install"',
        '  StrCpy $appExe "$INSTDIR\\${APP_EXECUTABLE_FILENAME}"',
        '  !insertmacro customInstall',
        '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
        'SectionEnd',
        'Section "un.uninstall"',
        '  !insertmacro customUnInstall',
        'SectionEnd',
      ].join('\n'),
    );
    const run = spawnSync('makensis', ['-V2', '-WX', nsi], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
