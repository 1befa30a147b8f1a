import { AppError } from '@shared/contract/errors';
import type { FileInfo, ImportProgress } from '@shared/pallets/schemas';
import { newId } from '@shared/ids';
import type { SpreadsheetReader } from './spreadsheet';

/** Opens a file in a worker (the service's `openSpreadsheet` with its worker entry and limits). */
export type ReaderFactory = (path: string, signal: AbortSignal, onProgress?: (p: ImportProgress) => void) => Promise<SpreadsheetReader>;

interface Entry {
  id: string;
  /** What was opened (the upload or the path): opening it again replaces this entry. */
  key: string;
  path: string;
  file: FileInfo;
  /** Null after a failed or cancelled operation left the worker unusable: reopened on next use. */
  reader: SpreadsheetReader | null;
  /** Operations on one workbook run one after another (the worker serves one request at a time). */
  tail: Promise<unknown>;
  timer: ReturnType<typeof setTimeout> | null;
  closed: boolean;
}

/** Does the reader's worker still answer (a one-row read of the first sheet)? */
async function alive(reader: SpreadsheetReader): Promise<boolean> {
  const sheet = reader.file.sheets[0];
  if (!sheet) return false;
  try {
    await reader.head(sheet.name, 1);
    return true;
  } catch {
    return false;
  }
}

/**
 * Workbooks opened by the import wizard, parsed once in a worker and kept for previews and the import.
 * An entry ends with `close`, a new open of the same upload, `idleMs` without use, or `closeAll` (core close).
 */
export class OpenFiles {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly openReader: ReaderFactory,
    private readonly idleMs = 10 * 60_000,
    private readonly log: (line: string) => void = () => {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async open(key: string, path: string, signal?: AbortSignal, onProgress?: (p: ImportProgress) => void): Promise<{ fileId: string; file: FileInfo }> {
    for (const entry of [...this.entries.values()]) if (entry.key === key) await this.close(entry.id);
    // The worker outlives the request that opened it: the request's signal may cancel the open only.
    const life = new AbortController();
    const cancel = () => life.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    let reader: SpreadsheetReader;
    try {
      if (signal?.aborted) throw new AppError('CANCELLED', 'The operation was cancelled.');
      reader = await this.openReader(path, life.signal, onProgress);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
    const entry: Entry = { id: newId(), key, path, file: reader.file, reader, tail: Promise.resolve(), timer: null, closed: false };
    this.entries.set(entry.id, entry);
    this.arm(entry);
    return { fileId: entry.id, file: reader.file };
  }

  /** Runs `fn` with the file's reader after the operations already queued on it. */
  use<T>(fileId: string, fn: (reader: SpreadsheetReader, file: FileInfo) => Promise<T>): Promise<T> {
    const entry = this.entries.get(fileId);
    if (!entry) return Promise.reject(new AppError('NOT_FOUND', 'The spreadsheet is no longer open; open the file again.'));
    const run = async (): Promise<T> => {
      if (entry.closed) throw new AppError('NOT_FOUND', 'The spreadsheet is no longer open; open the file again.');
      this.disarm(entry);
      try {
        entry.reader ??= await this.openReader(entry.path, new AbortController().signal);
        return await fn(entry.reader, entry.file);
      } catch (error) {
        // A cancelled stream or a dead worker leaves the reader unusable: the next use re-reads the file.
        // Other errors (no such sheet, no header) leave it as it was; re-parsing a big file costs seconds.
        if (entry.reader && !(await alive(entry.reader))) {
          const broken = entry.reader;
          entry.reader = null;
          await broken.close().catch(() => undefined);
        }
        throw error;
      } finally {
        if (!entry.closed) this.arm(entry);
      }
    };
    const result = entry.tail.then(run, run);
    entry.tail = result.catch(() => undefined);
    return result;
  }

  async close(fileId: string): Promise<boolean> {
    const entry = this.entries.get(fileId);
    if (!entry) return false;
    this.entries.delete(fileId);
    entry.closed = true;
    this.disarm(entry);
    // Wait for running work: closing the worker under a running import would fail it for no reason.
    await entry.tail;
    await entry.reader?.close().catch(() => undefined);
    entry.reader = null;
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }

  private arm(entry: Entry): void {
    this.disarm(entry);
    entry.timer = setTimeout(() => {
      this.log(`[pallets] closing ${entry.file.fileName}: idle for ${Math.round(this.idleMs / 1000)} s`);
      void this.close(entry.id);
    }, this.idleMs);
    entry.timer.unref?.();
  }

  private disarm(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
  }
}
