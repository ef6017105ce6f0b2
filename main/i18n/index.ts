// The main process's catalogue: menus and dialogs in the user's language. Error messages from the
// services stay English (they name files and causes; the renderer shows them as they come).
import type { Language } from '../../preload/contract';
import { bn } from './bn';
import { en, type MainCatalogue, type MainKey } from './en';

export const MAIN_CATALOGUES: Record<Language, MainCatalogue> = { en, bn };

/** The string for `key` in `lang`, with {name} placeholders filled in. */
export function mt(lang: Language, key: MainKey, params: Record<string, string | number> = {}): string {
  const text = MAIN_CATALOGUES[lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

export type { MainKey };
