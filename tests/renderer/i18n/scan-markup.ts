// Finds user-visible text written straight into Svelte markup: text nodes and the title, aria-label,
// placeholder and alt attributes, once <script>, <style>, comments and every {expression} are set
// aside. What remains with a letter in it is a hard-coded string (it should come from t()).

/** Text that may stay as written: names, units and symbols that read the same in both languages. */
export const ALLOWED_TEXT: readonly string[] = ['Digit Studio', 'MNIST', 'train.csv', 'ONNX', 'TensorFlow.js', 'CSV', 'PNG', 'PDF', 'ZIP', 'px', 'ms', 'Ctrl+Z', 'Ctrl', 'A4', 'A ·', 'B ·', 'Backspace', 'Del'];
/** Whole texts that may stay: the letters naming the two compared models, and key caps. */
const ALLOWED_WHOLE = new Set(['A', 'B', 'Z', 'C']);

export interface Finding {
  line: number;
  text: string;
}

/** Replaces every balanced {…} (with strings and template literals inside) by a NUL, keeping newlines. */
function blankExpressions(src: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (depth === 0) {
      if (c === '{') {
        depth = 1;
        out += '\0';
      } else out += c;
      continue;
    }
    if (c === '\n') out += '\n';
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return out;
}

const shown = (s: string): string => s.replace(/^[\s\0]+|[\s\0]+$/g, '').replace(/\0/g, '{…}');

const hasWords = (s: string): boolean => {
  if (ALLOWED_WHOLE.has(s.replace(/\0/g, '').trim())) return false;
  let rest = s.replace(/\0/g, ' ');
  for (const ok of ALLOWED_TEXT) rest = rest.split(ok).join(' ');
  return /\p{L}/u.test(rest);
};

export function scanSvelte(source: string): Finding[] {
  // Keep line numbers: blank out the removed parts but keep their newlines.
  const keepLines = (m: string) => m.replace(/[^\n]/g, ' ');
  let src = source.replace(/<script[\s\S]*?<\/script>/g, keepLines).replace(/<style[\s\S]*?<\/style>/g, keepLines).replace(/<!--[\s\S]*?-->/g, keepLines);
  src = blankExpressions(src);
  const found: Finding[] = [];
  const lineAt = (index: number) => src.slice(0, index).split('\n').length;
  const tag = /<\/?[A-Za-z][^>]*>/g;
  let last = 0;
  for (const m of src.matchAll(tag)) {
    const text = src.slice(last, m.index);
    if (hasWords(text)) found.push({ line: lineAt(last + text.search(/\S/)), text: shown(text) });
    for (const a of m[0].matchAll(/\s(title|aria-label|placeholder|alt|aria-description|label)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      const value = a[3] ?? a[4] ?? '';
      if (hasWords(value)) found.push({ line: lineAt(m.index + a.index), text: `${a[1]}="${value.replace(/\0/g, '{…}')}"` });
    }
    last = m.index + m[0].length;
  }
  const tail = src.slice(last);
  if (hasWords(tail)) found.push({ line: lineAt(last + tail.search(/[^\s\0]/)), text: shown(tail) });
  return found;
}
