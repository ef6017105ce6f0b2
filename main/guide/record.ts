// The guided flow's record (issue 18) and its pure transitions: what is asked next, what was drawn,
// skipped or undone, and which step the flow is at. No I/O here: flow.ts applies these and persists
// the record (store.ts) after every change, so a restart resumes exactly where the user stopped.
import type { GuideCheck, GuideNote, GuideResult, GuideStep } from '../../preload/contract';
import { NUM_CLASSES } from '../data/dataset';
import { seededRandom } from '../data/dataset-ops';

export const RECORD_VERSION = 1;
/** Samples asked for per digit unless the user picks another number. */
export const DEFAULT_PER_DIGIT = 10;
export const PER_DIGIT_LIMITS = { min: 2, max: 100 } as const;
/** Share of the collected samples kept aside to measure the model before and after. */
export const HELD_OUT_FRACTION = 0.2;
/** Fewest samples worth checking and fine-tuning on. */
export const MIN_SAMPLES = 10;

/** One drawing saved into the handwriting set; `source` is unique, so it is found again after restarts. */
export interface DrawnSample {
  source: string;
  label: number;
}

export interface FlowRecord {
  version: typeof RECORD_VERSION;
  /** Names this flow's drawings in the handwriting set ("make-it-yours <id> #n"). */
  id: string;
  seed: number;
  step: GuideStep;
  perDigit: number;
  /** Digits still to ask for, front first (shuffled rounds of 0–9). */
  queue: number[];
  samples: DrawnSample[];
  /** Counter for the next drawing's source name (never reused, even after an undo). */
  next: number;
  datasetIds: string[];
  /** Keys of the held-out samples: kept once chosen, topped up as more are collected. */
  heldOut: string[];
  baseModelId: string | null;
  check: GuideCheck | null;
  result: GuideResult | null;
  note: GuideNote | null;
  dismissed: boolean;
  /** MNIST test accuracy per model id, so the 10,000 digits are read once per model. */
  mnist: Record<string, number>;
}

/** Shuffled rounds: each digit once per round, so every digit comes up early and often. */
export function promptQueue(perDigit: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const queue: number[] = [];
  for (let r = 0; r < perDigit; r++) {
    const round = Array.from({ length: NUM_CLASSES }, (_, d) => d);
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [round[i], round[j]] = [round[j]!, round[i]!];
    }
    // Never the same digit twice in a row across rounds.
    if (queue.length && queue[queue.length - 1] === round[0]) round.push(round.shift()!);
    queue.push(...round);
  }
  return queue;
}

export function newRecord(id: string, seed: number, perDigit = DEFAULT_PER_DIGIT): FlowRecord {
  return {
    version: RECORD_VERSION,
    id,
    seed,
    step: 'intro',
    perDigit,
    queue: promptQueue(perDigit, seed),
    samples: [],
    next: 1,
    datasetIds: [],
    heldOut: [],
    baseModelId: null,
    check: null,
    result: null,
    note: null,
    dismissed: false,
    mnist: {},
  };
}

/** The digit to ask for: the first queued one still short of its share, given the counts so far. */
export function currentPrompt(rec: FlowRecord, counts: readonly number[]): number | null {
  for (const d of rec.queue) if ((counts[d] ?? 0) < rec.perDigit) return d;
  for (let d = 0; d < NUM_CLASSES; d++) if ((counts[d] ?? 0) < rec.perDigit) return d;
  return null;
}

/** The source name the next drawing gets in the handwriting set. */
export function nextSource(rec: FlowRecord): string {
  return `make-it-yours ${rec.id} #${rec.next}`;
}

/** After a drawing of `label` was saved under `source`. */
export function recordDrawing(rec: FlowRecord, source: string, label: number): FlowRecord {
  const queue = [...rec.queue];
  const at = queue.indexOf(label);
  if (at >= 0) queue.splice(at, 1);
  return { ...rec, queue, samples: [...rec.samples, { source, label }], next: rec.next + 1, note: null };
}

/** The digit asked for now goes to the back of the queue. */
export function recordSkip(rec: FlowRecord, prompt: number | null): FlowRecord {
  if (prompt === null) return rec;
  const queue = [...rec.queue];
  const at = queue.indexOf(prompt);
  if (at >= 0) queue.splice(at, 1);
  queue.push(prompt);
  return { ...rec, queue };
}

/** The last drawing is gone: forget it and ask for its digit again first. */
export function recordUndo(rec: FlowRecord): { rec: FlowRecord; undone: DrawnSample | null } {
  const undone = rec.samples[rec.samples.length - 1] ?? null;
  if (!undone) return { rec, undone: null };
  return {
    rec: { ...rec, samples: rec.samples.slice(0, -1), queue: [undone.label, ...rec.queue], heldOut: rec.heldOut.filter((k) => k !== undone.source) },
    undone,
  };
}

/** Going back to collecting keeps the check and the result visible until they are redone. */
export function toCollect(rec: FlowRecord): FlowRecord {
  return { ...rec, step: 'collect' };
}

/**
 * A restart finds the record as it was last written. A fine-tune can't survive the process that ran
 * it, so a record left in 'finetune' goes back to the check, and says so; the base model is still
 * the active one (the flow never activates a model on its own).
 */
export function afterRestart(rec: FlowRecord): FlowRecord {
  if (rec.step !== 'finetune') return rec;
  return { ...rec, step: rec.check ? 'check' : 'collect', note: { kind: 'interrupted' } };
}
