// The user's language and digit style, kept in <dataDir>/ui-settings.json (atomic writes). A
// missing or unreadable file means "not chosen yet": the language then follows the system.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DIGIT_STYLES, LANGUAGES, type UiSettings } from '../../preload/contract';
import { writeJsonAtomic } from '../util/atomic-file';

export const UI_SETTINGS_FILE = 'ui-settings.json';

const pick = <T extends string>(choices: readonly T[], value: unknown): T | null =>
  typeof value === 'string' && (choices as readonly string[]).includes(value) ? (value as T) : null;

export class UiSettingsStore {
  private current: UiSettings = { language: null, digits: null };
  private loaded: Promise<void> | null = null;

  constructor(private readonly dataDir: string) {}

  private load(): Promise<void> {
    this.loaded ??= readFile(path.join(this.dataDir, UI_SETTINGS_FILE), 'utf8').then(
      (text) => {
        // A damaged file is not worth an error: the user simply chooses again.
        let raw: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
        } catch {
          /* keep the defaults */
        }
        this.current = { language: pick(LANGUAGES, raw.language), digits: pick(DIGIT_STYLES, raw.digits) };
      },
      () => undefined,
    );
    return this.loaded;
  }

  async get(): Promise<UiSettings> {
    await this.load();
    return { ...this.current };
  }

  async set(change: Partial<UiSettings>): Promise<UiSettings> {
    await this.load();
    this.current = {
      language: change.language !== undefined ? change.language : this.current.language,
      digits: change.digits !== undefined ? change.digits : this.current.digits,
    };
    await writeJsonAtomic(path.join(this.dataDir, UI_SETTINGS_FILE), this.current);
    return { ...this.current };
  }
}
