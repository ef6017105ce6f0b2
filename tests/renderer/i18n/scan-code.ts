// Finds English sentences written as string literals in renderer code: .ts files, the <script> of
// .svelte files and the {expressions} in their markup (which scan-markup.ts sets aside). A toast,
// an error shown on the page or a chart's label built in code must come from t() too.
// Only literals of two or more words are looked at: single words are mostly class names, ids and
// enum values, and would drown the rule in exceptions.

/** Code strings that are not shown to the user: developer errors and CSS. */
export const ALLOWED_CODE: readonly RegExp[] = [
  /^color-mix\(in srgb, /,
  /^\(prefers-color-scheme: dark\)$/,
  /^system-ui, sans-serif$/,
  /^not a #rrggbb colour: /,
  /^raster size must be a positive integer, got /,
  /^index\.html has no #app element$/,
];

export interface CodeFinding {
  line: number;
  text: string;
}

/** The parts of a .svelte file that are code: its <script> blocks and the {…} in its markup. */
export function codeOfSvelte(source: string): string {
  const keepLines = (m: string) => m.replace(/[^\n]/g, ' ');
  let out = '';
  const src = source.replace(/<style[\s\S]*?<\/style>/g, keepLines).replace(/<!--[\s\S]*?-->/g, keepLines);
  let i = 0;
  for (const m of src.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    out += markupExpressions(src.slice(i, m.index)) + keepLines(m[0].slice(0, m[0].indexOf('>') + 1)) + m[1] + keepLines('</script>');
    i = m.index + m[0].length;
  }
  return out + markupExpressions(src.slice(i));
}

/** Markup with everything but its {expressions} blanked (newlines kept, so lines still count). */
function markupExpressions(src: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (depth === 0) {
      if (c === '{') depth = 1;
      out += c === '\n' ? '\n' : ' ';
      continue;
    }
    if (quote) {
      if (c === '\\') {
        out += c + (src[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = null;
      out += c;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        out += ' ';
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** String literals (template ones with their ${…} as "…") with the line each starts on; comments skipped. */
export function stringLiterals(code: string): CodeFinding[] {
  const found: CodeFinding[] = [];
  let line = 1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '\n') line++;
    else if (c === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++;
      i--;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      line += (code.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop - 1;
    } else if (c === '"' || c === "'" || c === '`') {
      const start = line;
      let text = '';
      let j = i + 1;
      for (; j < code.length && code[j] !== c; j++) {
        if (code[j] === '\n') line++;
        if (code[j] === '\\') {
          text += code[j + 1] ?? '';
          j++;
        } else if (c === '`' && code[j] === '$' && code[j + 1] === '{') {
          let depth = 1;
          j += 2;
          for (; j < code.length && depth > 0; j++) {
            if (code[j] === '{') depth++;
            else if (code[j] === '}') depth--;
            else if (code[j] === '\n') line++;
          }
          j--;
          text += '…';
        } else text += code[j];
      }
      found.push({ line: start, text });
      i = j;
    }
  }
  return found;
}

/** Literals that read as English words (two or more), less the allowed ones. */
export function scanCode(code: string): CodeFinding[] {
  return stringLiterals(code).filter((s) => /[A-Za-z]{2,}[,.:;!?…—]?\s+[A-Za-z]{2,}/.test(s.text) && !ALLOWED_CODE.some((re) => re.test(s.text)));
}
