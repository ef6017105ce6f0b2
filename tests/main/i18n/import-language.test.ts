// Issue 15: an import's reasons and errors come in the user's language, still naming the file:
// through the import thread (which is told the language with its job) and in-process alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { setMessageLanguage } from '../../../main/i18n';
import { importPaths } from '../../../main/data/import';
import { importInThread } from '../../../main/data/import-thread';
import { loadStarterDataset } from '../../../main/data/starter';
import { UserError } from '../../../main/util/errors';
import type { Language } from '../../../preload/contract';

/** A folder "3" with a real digit and a file that only pretends to be a picture, and a folder "letters". */
async function fixture(): Promise<{ dir: string; broken: string; letters: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-language-'));
  const ds = await loadStarterDataset(1);
  const three = Array.from({ length: ds.count }, (_, i) => i).find((i) => ds.labels[i] === 3)!;
  await mkdir(path.join(dir, '3'));
  await mkdir(path.join(dir, 'letters'));
  await sharp(Buffer.from(ds.pixels.subarray(three * 784, three * 784 + 784)), { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toFile(path.join(dir, '3', 'good.png'));
  const broken = path.join(dir, '3', 'broken.png');
  await writeFile(broken, 'this is not a picture at all, only words');
  return { dir, broken, letters: path.join(dir, 'letters') };
}

async function inLanguage<T>(lang: Language, fn: () => Promise<T>): Promise<T> {
  setMessageLanguage(lang);
  try {
    return await fn();
  } finally {
    setMessageLanguage('en');
  }
}

const EXPECTED: Record<Language, { notImage: RegExp; letters: string; nothing: RegExp }> = {
  en: { notImage: /^not an image \(PNG, JPEG/, letters: 'folder "letters" is not named for a digit 0–9', nothing: /^\/.*\/3\/broken\.png: not an image \(PNG, JPEG/ },
  bn: { notImage: /^এটি ছবি নয় \(PNG, JPEG/, letters: '"letters" ফোল্ডারের নাম ০–৯ (0–9) এর কোনো অঙ্ক নয়', nothing: /^\/.*\/3\/broken\.png: এটি ছবি নয় \(PNG, JPEG/ },
};

for (const lang of ['en', 'bn'] as const) {
  test(`an import of a bad file gives its reason in ${lang === 'en' ? 'English' : 'Bengali'}, naming the file`, async () => {
    const { dir, broken, letters } = await fixture();
    try {
      const result = await inLanguage(lang, () => importInThread({ paths: [dir], saveTo: null }));
      assert.equal(result.onThread, true, 'the import ran on its thread, which was told the language');
      assert.equal(result.report.count, 1);
      const reasons = new Map(result.report.skipped.map((s) => [s.file, s.reason]));
      assert.match(reasons.get(broken) ?? '', EXPECTED[lang].notImage);
      assert.equal(reasons.get(letters), EXPECTED[lang].letters);

      // Nothing usable at all: the import fails, naming the file, in the same language.
      await rm(path.join(dir, '3', 'good.png'));
      await rm(letters, { recursive: true });
      await inLanguage(lang, () =>
        assert.rejects(importPaths([dir]), (err: unknown) => {
          assert.ok(err instanceof UserError);
          assert.match(err.message, EXPECTED[lang].nothing);
          assert.equal(err.file, broken);
          return true;
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
