// The flow's record on disk: <dataDir>/guide/state.json, written atomically after every change. A
// missing file is a flow not yet started; an unreadable one is set aside (renamed, never deleted) and
// the flow starts again, because the samples themselves live in the handwriting set, not here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../util/atomic-file';
import { messageOf } from '../util/errors';
import { RECORD_VERSION, type FlowRecord } from './record';

export const GUIDE_DIR = 'guide';
const STATE_FILE = 'state.json';
const STEPS = ['intro', 'collect', 'check', 'finetune', 'result'];

export function guideDir(dataDir: string): string {
  return path.join(dataDir, GUIDE_DIR);
}

function isDigitList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0 && d <= 9);
}

const NOTE_KINDS = ['interrupted', 'cancelled', 'failed', 'missing'];

/** A note as the renderer words it; anything else (a note saved as English text before session 4) is dropped. */
function noteOf(v: unknown): FlowRecord['note'] {
  if (!v || typeof v !== 'object') return null;
  const n = v as Record<string, unknown>;
  if (typeof n.kind !== 'string' || !NOTE_KINDS.includes(n.kind)) return null;
  if ((n.kind === 'cancelled' || n.kind === 'failed') && typeof n.model !== 'string') return null;
  if (n.kind === 'failed' && typeof n.error !== 'string') return null;
  if (n.kind === 'missing' && !Number.isInteger(n.count)) return null;
  return n as FlowRecord['note'];
}

/** The record's shape, checked field by field: a hand-edited or truncated file is refused, not trusted. */
function valid(v: unknown): v is FlowRecord {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    r.version === RECORD_VERSION &&
    typeof r.id === 'string' &&
    /^[a-z0-9-]{1,64}$/.test(r.id) &&
    Number.isInteger(r.seed) &&
    typeof r.step === 'string' &&
    STEPS.includes(r.step) &&
    Number.isInteger(r.perDigit) &&
    isDigitList(r.queue) &&
    Array.isArray(r.samples) &&
    r.samples.every((s: { source?: unknown; label?: unknown }) => typeof s?.source === 'string' && isDigitList([s.label])) &&
    Number.isInteger(r.next) &&
    Array.isArray(r.datasetIds) &&
    r.datasetIds.every((d) => typeof d === 'string') &&
    Array.isArray(r.heldOut) &&
    r.heldOut.every((d) => typeof d === 'string') &&
    (r.baseModelId === null || typeof r.baseModelId === 'string') &&
    typeof r.dismissed === 'boolean' &&
    !!r.mnist &&
    typeof r.mnist === 'object'
  );
}

export class FlowStore {
  constructor(private readonly dataDir: string) {}

  get file(): string {
    return path.join(guideDir(this.dataDir), STATE_FILE);
  }

  /** The saved record, or null when there is none (or it was unreadable: `problem` says why). */
  async load(): Promise<{ record: FlowRecord | null; problem: string | null }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { record: null, problem: null };
      return { record: null, problem: `${this.file}: ${messageOf(err)}` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      parsed = err;
    }
    if (valid(parsed)) return { record: { ...parsed, note: noteOf(parsed.note) }, problem: null };
    const aside = `${this.file}.unreadable-${Date.now()}`;
    await fs.rename(this.file, aside).catch(() => undefined);
    return { record: null, problem: `${this.file} could not be read as the guided flow's state; kept as ${path.basename(aside)} and started again` };
  }

  async save(record: FlowRecord): Promise<void> {
    await fs.mkdir(guideDir(this.dataDir), { recursive: true });
    await writeJsonAtomic(this.file, record);
  }
}
