// The ways batch readings are written (CLI `predict --format`, the app's "Save as CSV"):
//   kaggle  exactly Kaggle's Digit Recognizer submission: `ImageId,Label`, ids 1-based in row order;
//   csv     source (file or row), digit, confidence and the ten probabilities;
//   json    one object per line, {"file","digit","confidence","probabilities"} (what `predict --json` printed);
//   text    `source: digit (confidence%)`, for people (the CLI's default on a terminal).
import { UserError } from '../util/errors';

export type BatchFormat = 'kaggle' | 'csv' | 'json' | 'text';
export const BATCH_FORMATS: readonly BatchFormat[] = ['kaggle', 'csv', 'json', 'text'];

export function parseFormat(value: string): BatchFormat {
  if ((BATCH_FORMATS as readonly string[]).includes(value)) return value as BatchFormat;
  throw new UserError(`--format must be kaggle, csv or json (got "${value}")`);
}

/** The most likely digit and its probability, for the ten probabilities at `offset`. */
export function topOf(probabilities: ArrayLike<number>, offset = 0): { digit: number; confidence: number } {
  let digit = 0;
  for (let c = 1; c < 10; c++) if (probabilities[offset + c]! > probabilities[offset + digit]!) digit = c;
  return { digit, confidence: probabilities[offset + digit]! };
}

export function headerLine(format: BatchFormat): string | null {
  if (format === 'kaggle') return 'ImageId,Label';
  if (format === 'csv') return ['source', 'digit', 'confidence', ...Array.from({ length: 10 }, (_, d) => `p${d}`)].join(',');
  return null;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (file names can). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Probabilities in CSV: six significant digits are far more than a float32 softmax means. */
function num(p: number): string {
  return String(Number(p.toPrecision(6)));
}

/** The line for the `ordinal`-th reading (0-based) from `source`, with its ten probabilities at `offset`. */
export function readingLine(format: BatchFormat, ordinal: number, source: string, probabilities: ArrayLike<number>, offset = 0): string {
  const { digit, confidence } = topOf(probabilities, offset);
  switch (format) {
    case 'kaggle':
      return `${ordinal + 1},${digit}`;
    case 'csv': {
      const ps: string[] = [];
      for (let c = 0; c < 10; c++) ps.push(num(probabilities[offset + c]!));
      return `${csvField(source)},${digit},${num(confidence)},${ps.join(',')}`;
    }
    case 'json': {
      const ps: number[] = [];
      for (let c = 0; c < 10; c++) ps.push(probabilities[offset + c]!);
      return JSON.stringify({ file: source, digit, confidence, probabilities: ps });
    }
    default:
      return `${source}: ${digit} (${(confidence * 100).toFixed(1)}%)`;
  }
}
