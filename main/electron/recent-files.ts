// Recently opened files and folders for File ▸ Open Recent, kept in userData/recent-files.json
// (written atomically, read tolerantly: a damaged file just means an empty list).
import { promises as fs } from 'node:fs';
import { writeJsonAtomic } from '../util/atomic-file';
import { MAX_PATH_LENGTH } from '../ipc/rules';

export const MAX_RECENT = 10;

export class RecentFiles {
  private items: string[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onChange: (items: readonly string[]) => void = () => undefined,
  ) {}

  async load(): Promise<readonly string[]> {
    try {
      const raw: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      const list = Array.isArray(raw) ? raw : [];
      this.items = [...new Set(list.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= MAX_PATH_LENGTH))].slice(0, MAX_RECENT);
    } catch {
      this.items = [];
    }
    return this.list();
  }

  list(): readonly string[] {
    return [...this.items];
  }

  /** Puts `paths` at the top, in the order given, without duplicates. */
  add(paths: readonly string[]): Promise<void> {
    const fresh = paths.filter((p) => p.length > 0 && p.length <= MAX_PATH_LENGTH);
    if (!fresh.length) return this.saving;
    this.items = [...new Set([...fresh, ...this.items])].slice(0, MAX_RECENT);
    return this.save();
  }

  remove(path: string): Promise<void> {
    this.items = this.items.filter((p) => p !== path);
    return this.save();
  }

  clear(): Promise<void> {
    this.items = [];
    return this.save();
  }

  private save(): Promise<void> {
    const snapshot = [...this.items];
    this.onChange(snapshot);
    this.saving = this.saving.then(() => writeJsonAtomic(this.file, snapshot)).catch(() => undefined);
    return this.saving;
  }
}
