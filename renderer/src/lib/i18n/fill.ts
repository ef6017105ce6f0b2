// Filling a catalogue string's {name} placeholders: plain TypeScript with no Svelte state, so pure
// modules and the unit tests can use it with either catalogue (index.svelte.ts's t() calls it with
// the user's language and number format).
export type Params = Record<string, string | number>;

/** `text` with each {name} replaced by params[name]; numbers go through `formatNumber`; unknown names stay. */
export function fill(text: string, params: Params | undefined, formatNumber: (n: number) => string = String): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = params[name];
    return v === undefined ? all : typeof v === 'number' ? formatNumber(v) : v;
  });
}
