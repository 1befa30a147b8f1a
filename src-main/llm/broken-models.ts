import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

interface Entry {
  reason: string;
  /** The file's identity when it was marked; NaN until stat answers. */
  size: number;
  mtimeMs: number;
}

/**
 * Model files that crashed the model process, with the reason. A mark lasts until the file changes
 * on disk (a fixed or re-downloaded file gets a new chance) or the user clears it.
 */
export class BrokenModels {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onChange: () => void) {}

  /** Recorded at once (the next queued load may start immediately); the file's identity follows. */
  mark(path: string, reason: string): void {
    const absolute = resolve(path);
    const entry: Entry = { reason, size: Number.NaN, mtimeMs: Number.NaN };
    this.entries.set(absolute, entry);
    this.onChange();
    void stat(absolute).then((s) => Object.assign(entry, { size: s.size, mtimeMs: s.mtimeMs }), () => undefined);
  }

  /** The reason `path` is marked broken, or null (also when the file changed since it was marked). */
  async reason(path: string): Promise<string | null> {
    const absolute = resolve(path);
    const entry = this.entries.get(absolute);
    if (!entry) return null;
    const s = await stat(absolute).catch(() => null);
    if (s && !Number.isNaN(entry.size) && (s.size !== entry.size || s.mtimeMs !== entry.mtimeMs)) {
      this.entries.delete(absolute);
      this.onChange();
      return null;
    }
    return entry.reason;
  }

  clear(path: string): void {
    if (this.entries.delete(resolve(path))) this.onChange();
  }

  list(): { path: string; reason: string }[] {
    return [...this.entries.entries()].map(([path, e]) => ({ path, reason: e.reason }));
  }
}
