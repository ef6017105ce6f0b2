// Small formatting helpers shared by the places, so numbers read the same everywhere: in the
// user's language (Intl with bn-BD or en) and digits (Latin or Bengali ০–৯, a separate setting).
import { deltaParts } from '../components/evaluate/metrics';
import { formatNumber, intlLocale, t } from './i18n/index.svelte';

export const percent = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : formatNumber(x, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });

export const count = (n: number): string => formatNumber(n);

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const two = (n: number) => formatNumber(n, { minimumIntegerDigits: 2 });
  if (s < 60) return t('time.s', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.minS', { m, s: two(s % 60) });
  return t('time.hMin', { h: Math.floor(m / 60), m: two(m % 60) });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

export const fixed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '—'
    : formatNumber(x, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });

/** A change in percentage points, signed ("+1.2 pts", "−0.4 pts", "±0.0 pts"), or "—". */
export function pointsDelta(delta: number, digits = 1): string {
  const p = deltaParts(delta, digits);
  return p ? t('fmt.points', { sign: p.sign, n: formatNumber(p.points, { minimumFractionDigits: digits, maximumFractionDigits: digits }) }) : '—';
}
