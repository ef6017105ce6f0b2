// Confusion-matrix cell colours. A cell is the theme surface mixed with a heat colour (accent on
// the diagonal, danger off it) in proportion to the share of that row; text stays the normal text
// colour on light mixes and switches to --accent-text on full-strength cells. The mix is capped
// below the point where normal text would lose contrast: tests/renderer/heat.test.ts checks every
// share against the real palettes of app.css (WCAG AA, 4.5:1) in both themes.

/** Strongest mix (percent) under which normal text keeps 4.5:1 on either theme. */
export const MAX_SOFT_MIX = 45;
/** Shares from here on get the full heat colour with --accent-text. */
export const FULL_FROM = 0.5;

export interface Heat {
  /** Percent of the heat colour mixed into the surface (0 = plain cell). */
  mix: number;
  /** True when the cell is full strength and its text must use --accent-text. */
  strong: boolean;
}

/** Heat of a cell from its share of the row (0..1). sqrt so that small error shares still show. */
export function heatFor(share: number): Heat {
  if (!Number.isFinite(share) || share <= 0) return { mix: 0, strong: false };
  if (share >= FULL_FROM) return { mix: 100, strong: true };
  return { mix: Math.round(8 + (MAX_SOFT_MIX - 8) * Math.sqrt(share / FULL_FROM)), strong: false };
}

/** The CSS background for a cell (color-mix in sRGB, as the tests compute it). */
export function heatBackground(heat: Heat, diagonal: boolean): string | undefined {
  if (heat.mix === 0) return undefined;
  const colour = diagonal ? 'var(--accent)' : 'var(--danger)';
  return heat.mix >= 100 ? colour : `color-mix(in srgb, ${colour} ${heat.mix}%, var(--surface))`;
}

// --- colour arithmetic (used by the contrast tests; kept here so the rule and its check agree) ---

export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** color-mix(in srgb, a p%, b): a straight mix of the encoded channels. */
export function mixSrgb(a: Rgb, b: Rgb, percentA: number): Rgb {
  const t = percentA / 100;
  return [0, 1, 2].map((i) => a[i]! * t + b[i]! * (1 - t)) as Rgb;
}

export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
