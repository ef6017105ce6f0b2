// The renderer's catalogues: every key in both languages, no empty value, the same {placeholders}
// (a translation that drops "{n}" would hide a number). bn.ts is also typed against en.ts, so a
// missing key is a compile error; this test catches what types cannot (empty or untranslated-looking values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../../renderer/src/lib/i18n/en';
import { bn } from '../../../renderer/src/lib/i18n/bn';

const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

test('every key is in both languages, no value is empty, placeholders match', () => {
  const enKeys = Object.keys(en).sort();
  const bnKeys = Object.keys(bn).sort();
  assert.deepEqual(enKeys.filter((k) => !(k in bn)), [], 'keys missing in bn');
  assert.deepEqual(bnKeys.filter((k) => !(k in en)), [], 'keys in bn that en does not have');
  for (const key of enKeys) {
    const e = (en as Record<string, string>)[key]!;
    const b = (bn as Record<string, string>)[key]!;
    assert.ok(e.trim().length > 0, `en:${key} is empty`);
    assert.ok(b.trim().length > 0, `bn:${key} is empty`);
    assert.deepEqual(holes(b), holes(e), `${key}: placeholders differ`);
  }
});

test('the Bengali catalogue is Bengali: most values hold Bengali script', () => {
  // Names like "WebAssembly" may stay as they are, but a value copied from English by mistake
  // would show here as a drop in the share.
  const values = Object.values(bn as Record<string, string>);
  const bengali = values.filter((v) => /[\u0980-\u09FF]/.test(v)).length;
  assert.ok(bengali / values.length > 0.9, `only ${bengali} of ${values.length} Bengali values hold Bengali script`);
});
