// The main process's catalogue: everything main shows the user (menus, dialogs, errors, import
// reasons, task titles) in English and Bengali. msg() formats in the current message language,
// which is English until the app sets the user's choice (AppService): the CLI and the tests that
// run without the app stay English. Worker threads and the ML process are told the language with
// their job or call (import-thread.ts, ml-client.ts), since they don't share this module's state.
import type { Language } from '../../preload/contract';
import { bn } from './bn';
import { en } from './en';
import type { Holes } from './shape';

export type MainKey = keyof typeof en;
export type MainCatalogue = Record<MainKey, string>;

export const MAIN_CATALOGUES: Record<Language, MainCatalogue> = { en, bn };

/** The string for `key` in `lang`, with {name} placeholders filled in. */
export function mt(lang: Language, key: MainKey, params: Record<string, string | number> = {}): string {
  const text = MAIN_CATALOGUES[lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

let current: Language = 'en';

/** The language msg() speaks from now on (the user's choice, or the system's). */
export function setMessageLanguage(lang: Language): void {
  current = lang;
}

export function messageLanguage(): Language {
  return current;
}

/** A message's parameters: exactly its placeholders (none: no argument). */
export type MsgParams<K extends MainKey> = [Holes<(typeof en)[K]>] extends [never] ? [] : [Record<Holes<(typeof en)[K]>, string | number>];

/** The message `key` in the current language, its placeholders filled from `params`. */
export function msg<K extends MainKey>(key: K, ...params: MsgParams<K>): string {
  return mt(current, key, params[0]);
}
