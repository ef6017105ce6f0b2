import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MAIN_CATALOGUES, mt } from '../../../main/i18n';
import { UI_SETTINGS_FILE, UiSettingsStore } from '../../../main/i18n/ui-settings';
import { menuTemplate, type MenuActions } from '../../../main/electron/menu';
import { languageForLocale } from '../../../preload/contract';

test('main catalogue: every key in both languages, none empty, the same placeholders', () => {
  const en = MAIN_CATALOGUES.en as Record<string, string>;
  const bn = MAIN_CATALOGUES.bn as Record<string, string>;
  assert.deepEqual(Object.keys(bn).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    for (const [lang, text] of [['en', en[key]], ['bn', bn[key]]] as const) assert.ok(text && text.trim(), `${lang}:${key} is empty`);
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    assert.deepEqual(holes(bn[key]!), holes(en[key]!), key);
  }
  assert.equal(mt('bn', 'menu.about', { app: 'Digit Studio' }), 'Digit Studio সম্পর্কে');
});

test('the system locale picks the language: bn* is Bengali, anything else English', () => {
  for (const l of ['bn', 'bn-BD', 'bn-IN', 'BN']) assert.equal(languageForLocale(l), 'bn', l);
  for (const l of ['en-US', 'de', '', null, 'bnx']) assert.equal(languageForLocale(l), 'en', String(l));
});

test('settings are remembered in the data folder; a damaged file means "not chosen"', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ui-settings-'));
  try {
    assert.deepEqual(await new UiSettingsStore(dir).get(), { language: null, digits: null });
    await new UiSettingsStore(dir).set({ language: 'bn' });
    const again = new UiSettingsStore(dir);
    assert.deepEqual(await again.get(), { language: 'bn', digits: null });
    assert.deepEqual(await again.set({ digits: 'bengali' }), { language: 'bn', digits: 'bengali' });
    assert.deepEqual(JSON.parse(await readFile(path.join(dir, UI_SETTINGS_FILE), 'utf8')), { language: 'bn', digits: 'bengali' });
    await writeFile(path.join(dir, UI_SETTINGS_FILE), '{"language": "fr", "digits": 3');
    assert.deepEqual(await new UiSettingsStore(dir).get(), { language: null, digits: null });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

type Item = { label?: string; submenu?: Item[]; click?: () => void; checked?: boolean };
const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);

test('the menu speaks Bengali when asked, and its Language menu switches language and digits', () => {
  const calls: string[] = [];
  const actions = new Proxy({} as MenuActions, { get: (_t, name: string) => (arg?: string) => calls.push(arg ? `${name}:${arg}` : name) });
  const items = all(menuTemplate(actions, { appName: 'Digit Studio', recent: [], isMac: false, devTools: false, language: 'bn', digits: 'latin' }) as Item[]);
  const labels = items.map((i) => i.label);
  for (const l of ['&ফাইল', 'ডেটাসেট আনুন…', 'Digit Studio সম্পর্কে', '&ভাষা']) assert.ok(labels.includes(l), l);
  assert.ok(!labels.includes('Import Dataset…'));
  const bengali = items.find((i) => i.label === 'বাংলা (Bengali)')!;
  assert.equal(bengali.checked, true);
  items.find((i) => i.label === 'English')!.click!();
  items.find((i) => i.label === 'সংখ্যা বাংলা অঙ্কে দেখান (০–৯)')!.click!();
  assert.deepEqual(calls, ['setLanguage:en', 'setDigits:bengali']);
});

test('main catalogue: the area files of both languages have the same keys, none defined twice', async () => {
  const { EN_AREAS } = await import('../../../main/i18n/en');
  const { BN_AREAS } = await import('../../../main/i18n/bn');
  assert.deepEqual(Object.keys(BN_AREAS).sort(), Object.keys(EN_AREAS).sort());
  let total = 0;
  for (const [area, strings] of Object.entries(EN_AREAS)) {
    const other = (BN_AREAS as Record<string, object>)[area]!;
    assert.deepEqual(Object.keys(other).sort(), Object.keys(strings).sort(), area);
    total += Object.keys(strings).length;
  }
  assert.equal(total, Object.keys(MAIN_CATALOGUES.en).length, 'a key is defined in two areas');
});

test('msg() speaks English by default and the chosen language once set; errors name their file', async () => {
  const { msg, setMessageLanguage } = await import('../../../main/i18n');
  const { describeFsError } = await import('../../../main/util/errors');
  const enoent = Object.assign(new Error('x'), { code: 'ENOENT' });
  assert.equal(msg('fs.notFound', { file: 'a.csv' }), 'a.csv: not found');
  try {
    setMessageLanguage('bn');
    assert.equal(describeFsError(enoent, '/tmp/a.csv'), '/tmp/a.csv: খুঁজে পাওয়া যায়নি');
  } finally {
    setMessageLanguage('en');
  }
  assert.equal(describeFsError(enoent, '/tmp/a.csv'), '/tmp/a.csv: not found');
});
