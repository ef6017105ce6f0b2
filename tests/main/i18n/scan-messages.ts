// Finds user-visible text written into main's code instead of taken from the catalogue
// (main/i18n): a UserError made from a string or template literal, an import skip reason or a zip
// refusal given as a literal, a task title, a dialog's title or button as a literal.
const PATTERNS: { what: string; re: RegExp; valuesOk?: boolean }[] = [
  { what: 'UserError with a literal message', re: /new UserError\(\s*['"`]/g },
  { what: 'UserError subclass with a literal message', re: /extends UserError \{[^}]*?super\(\s*['"`]/g },
  { what: 'skip reason as a literal', re: /\.skip\((?:[^,()]|\([^()]*\))+,\s*['"`]/g },
  { what: 'reason as a literal', re: /\breason: ['"`]/g },
  { what: 'title as a literal', re: /\btitle: ['"`]/g, valuesOk: true },
  { what: 'message as a literal', re: /\b(?:message|detail): ['"`]/g, valuesOk: true },
  { what: 'buttons as literals', re: /\bbuttons: \[\s*['"`]/g },
];

export interface Found {
  line: number;
  what: string;
  text: string;
}

/** The string or template literal opening at `at` (its quote), without nested templates. */
function literalAt(code: string, at: number): string {
  const quote = code[at]!;
  let i = at + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return code.slice(at + 1, i);
}

export function scanMain(source: string): Found[] {
  // Comments don't count: blank them out keeping the line breaks (so line numbers stay right).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: Found[] = [];
  for (const { what, re, valuesOk } of PATTERNS) {
    for (const m of code.matchAll(re)) {
      const line = code.slice(0, m.index).split('\n').length;
      // A title or message made only of values (a name and a version) has no words to translate.
      if (valuesOk && !/[A-Za-z]/.test(literalAt(code, m.index + m[0].length - 1).replace(/\$\{[^}]*\}/g, ''))) continue;
      found.push({ line, what, text: source.split('\n')[line - 1]!.trim().slice(0, 120) });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
