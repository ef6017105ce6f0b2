// The trained models in <dataDir>/models/<id>/ (model.json, weights.bin, metadata.json), and which
// one is active (<dataDir>/models/active.json). Corrupt or half-present entries are skipped and
// reported, never fatal; leftovers of interrupted saves are removed on open. The shipped base model
// (main/models/builtin-model.ts), when given, is one more entry: id "builtin", read-only (it can't be
// removed or replaced), and the active one until the user has chosen another.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ModelSummary } from '../../preload/contract';
import { cleanStaleTemps, isTempName, writeJsonAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { METADATA_JSON, MODEL_JSON, WEIGHTS_BIN, modelInputOf, readMetadata, type ModelMetadata } from './model-metadata';
import { BASE_MODEL_NAME, BUILTIN_MODEL_ID } from './builtin-model';

const ACTIVE_FILE = 'active.json';
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface LibraryProblem {
  id: string;
  reason: string;
}

export class ModelLibrary {
  private entries = new Map<string, ModelSummary>();
  private activeId: string | null = null;
  private issues: LibraryProblem[] = [];

  private constructor(
    readonly root: string,
    /** The shipped base model's folder, or null for a library without one. */
    private readonly builtinDir: string | null,
  ) {}

  static async open(dataDir: string, builtinDir: string | null = null): Promise<ModelLibrary> {
    const lib = new ModelLibrary(path.join(dataDir, 'models'), builtinDir);
    await fs.mkdir(lib.root, { recursive: true });
    await cleanStaleTemps(lib.root);
    await lib.refresh();
    return lib;
  }

  /** Re-reads the folder. */
  async refresh(): Promise<void> {
    const entries = new Map<string, ModelSummary>();
    const issues: LibraryProblem[] = [];
    const names = await fs.readdir(this.root, { withFileTypes: true }).catch(() => []);
    for (const d of names) {
      if (!d.isDirectory() || isTempName(d.name) || !ID_PATTERN.test(d.name) || d.name === BUILTIN_MODEL_ID) continue;
      const summary = await this.readEntry(d.name).catch((err: Error) => {
        issues.push({ id: d.name, reason: err.message });
        return null;
      });
      if (summary) entries.set(d.name, summary);
    }
    if (this.builtinDir) {
      const builtin = await this.readBuiltin().catch((err: Error) => {
        issues.push({ id: BUILTIN_MODEL_ID, reason: err.message });
        return null;
      });
      if (builtin) entries.set(BUILTIN_MODEL_ID, builtin);
    }
    let active: string | null = null;
    try {
      const raw = JSON.parse(await fs.readFile(path.join(this.root, ACTIVE_FILE), 'utf8')) as { id?: unknown };
      if (typeof raw.id === 'string' && entries.has(raw.id)) active = raw.id;
    } catch {
      // No choice saved yet, or an unreadable one: fall back below.
    }
    this.entries = entries;
    this.issues = issues;
    // First start: the base model, so Predict and Evaluate work before any training.
    this.activeId = active ?? (entries.has(BUILTIN_MODEL_ID) ? BUILTIN_MODEL_ID : this.newest()?.id) ?? null;
    for (const [id, s] of this.entries) s.active = id === this.activeId;
  }

  private async readEntry(id: string): Promise<ModelSummary> {
    const dir = path.join(this.root, id);
    for (const f of [MODEL_JSON, WEIGHTS_BIN]) {
      const st = await fs.stat(path.join(dir, f)).catch(() => null);
      if (!st?.isFile()) throw new Error(`${path.join(dir, f)} is missing`);
    }
    const meta = await readMetadata(dir);
    if (!meta) throw new Error(`${path.join(dir, METADATA_JSON)} is missing or unreadable`);
    return summaryOf(id, meta);
  }

  private async readBuiltin(): Promise<ModelSummary> {
    const dir = this.builtinDir!;
    for (const f of [MODEL_JSON, WEIGHTS_BIN]) {
      const st = await fs.stat(path.join(dir, f)).catch(() => null);
      if (!st?.isFile()) throw new Error(`the base model's ${f} is missing (${dir})`);
    }
    const meta = await readMetadata(dir);
    if (!meta) throw new Error(`the base model's metadata.json is missing or unreadable (${dir})`);
    return { ...summaryOf(BUILTIN_MODEL_ID, meta), name: BASE_MODEL_NAME, builtIn: true };
  }

  private isBuiltin(id: string): boolean {
    return id === BUILTIN_MODEL_ID && this.builtinDir !== null && this.entries.has(BUILTIN_MODEL_ID);
  }

  /** The newest of the user's models (the base model is the fallback only when there are none). */
  private newest(): ModelSummary | null {
    let best: ModelSummary | null = null;
    for (const s of this.entries.values()) if (!s.builtIn && (!best || s.createdAt > best.createdAt)) best = s;
    if (!best && this.entries.has(BUILTIN_MODEL_ID)) return this.entries.get(BUILTIN_MODEL_ID)!;
    return best;
  }

  /** Newest first, the base model last. */
  list(): ModelSummary[] {
    return [...this.entries.values()]
      .map((s) => ({ ...s }))
      .sort((a, b) => Number(Boolean(a.builtIn)) - Number(Boolean(b.builtIn)) || b.createdAt.localeCompare(a.createdAt));
  }

  /** Entries that could not be read, with why. */
  problems(): LibraryProblem[] {
    return [...this.issues];
  }

  get(id: string): ModelSummary {
    const s = this.entries.get(id);
    if (!s) throw new UserError(msg('model.noSuch', { id }));
    return { ...s };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The model's folder (the shipped, read-only one for "builtin"). */
  dirOf(id: string): string {
    if (this.isBuiltin(id)) return this.builtinDir!;
    if (!ID_PATTERN.test(id) || id === BUILTIN_MODEL_ID) throw new UserError(msg('model.badId', { id }));
    return path.join(this.root, id);
  }

  active(): ModelSummary | null {
    return this.activeId ? this.get(this.activeId) : null;
  }

  async setActive(id: string): Promise<void> {
    this.get(id);
    await writeJsonAtomic(path.join(this.root, ACTIVE_FILE), { id });
    this.activeId = id;
    for (const [k, s] of this.entries) s.active = k === id;
  }

  /** A fresh id for a model about to be saved in dirOf(id). */
  newId(): string {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return `m-${stamp}-${randomBytes(3).toString('hex')}`;
  }

  /** Registers a model the ML process saved in dirOf(id); it becomes active when `activate` is set or none is. */
  async add(id: string, activate = false): Promise<ModelSummary> {
    if (id === BUILTIN_MODEL_ID) throw new UserError(msg('model.builtinNotReplaced'));
    const summary = await this.readEntry(id);
    this.entries.set(id, summary);
    if (activate || !this.activeId) await this.setActive(id);
    else summary.active = false;
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    if (this.isBuiltin(id)) throw new UserError(msg('model.builtinNotDeleted'));
    await fs.rm(this.dirOf(id), { recursive: true, force: true });
    this.entries.delete(id);
    if (this.activeId === id) {
      this.activeId = this.newest()?.id ?? null;
      if (this.activeId) await this.setActive(this.activeId);
    }
  }
}

function summaryOf(id: string, m: ModelMetadata): ModelSummary {
  return {
    id,
    name: typeof m.name === 'string' && m.name ? m.name : id,
    arch: m.arch === 'seed' ? 'seed' : 'default',
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : '',
    valAccuracy: typeof m.metrics?.valAccuracy === 'number' ? m.metrics.valAccuracy : null,
    trainedOn: typeof m.trainedOn === 'string' ? m.trainedOn : '',
    backend: typeof m.backend === 'string' ? m.backend : '',
    baseModelId: typeof m.baseModelId === 'string' ? m.baseModelId : null,
    active: false,
    ...(Array.isArray(m.trainedOnDatasetIds) && m.trainedOnDatasetIds.every((x) => typeof x === 'string')
      ? { trainedOnDatasetIds: [...m.trainedOnDatasetIds] }
      : {}),
    ...(modelInputOf(m).deskew ? { deskew: true } : {}),
  };
}
