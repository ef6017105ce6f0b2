// The renderer's language and digit style, and t(): the one way markup gets its words.
// The state is reactive, so switching language redraws every string and number at once.
// The choice is kept by main (<dataDir>/ui-settings.json, the uiSettings calls); until the user
// chooses, the language follows the system (navigator.language: bn* → Bengali).
import { languageForLocale, type DigitStyle, type Language, type UiSettings } from '../../../../preload/contract';
import { bn } from './bn';
import { en, type Catalogue, type Key } from './en';
import { fill, type Params } from './fill';

export type { Key };
export const CATALOGUES: Record<Language, Catalogue> = { en, bn };

const systemLanguage = (): Language => languageForLocale(typeof navigator === 'undefined' ? 'en' : navigator.language);
const defaultDigits = (lang: Language): DigitStyle => (lang === 'bn' ? 'bengali' : 'latin');

export const locale = $state({ lang: systemLanguage() as Language, digits: defaultDigits(systemLanguage()) as DigitStyle });

/** Applies what main remembers (null fields keep following the system). */
export function applyUiSettings(s: UiSettings): void {
  locale.lang = s.language ?? systemLanguage();
  locale.digits = s.digits ?? defaultDigits(locale.lang);
  if (typeof document !== 'undefined') document.documentElement.lang = locale.lang;
}

export type { Params };

/** The string for `key` in the current language, {name} placeholders filled (numbers formatted). */
export function t(key: Key, params?: Params): string {
  return fill(CATALOGUES[locale.lang][key] ?? en[key], params, (n) => formatNumber(n));
}

/** English needs "1 sample" / "2 samples"; Bengali says both the same way. */
export const plural = (n: number, one: Key, other: Key, params: Params = {}): string => t(n === 1 ? one : other, { n, ...params });

/** The Intl locale for numbers and dates: Bengali (Bangladesh) or English, digits as chosen. */
export function intlLocale(): string {
  const base = locale.lang === 'bn' ? 'bn-BD' : 'en-US';
  return `${base}-u-nu-${locale.digits === 'bengali' ? 'beng' : 'latn'}`;
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(), options).format(n);
}

const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';
/** Any ASCII digits in `s` written in the chosen style (for readings such as "7" or "3 0 1"). */
export function digits(s: string | number): string {
  const text = String(s);
  return locale.digits === 'bengali' ? text.replace(/[0-9]/g, (d) => BENGALI_DIGITS[Number(d)]!) : text;
}

/**
 * For text drawn outside Svelte's markup (a chart's canvas: ticks, titles, tooltips): calls
 * `redraw` when the language or digit style changes after the first drawing. Call it while a
 * component is being set up (it makes an effect that lives as long as the component).
 */
export function redrawOnLocaleChange(drawn: () => boolean, redraw: () => void): void {
  let drawnFor = `${locale.lang}/${locale.digits}`;
  $effect(() => {
    const now = `${locale.lang}/${locale.digits}`;
    if (now === drawnFor || !drawn()) return;
    drawnFor = now;
    redraw();
  });
}
