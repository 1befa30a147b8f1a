import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { Unsupported } from './xlsx-xml';

/**
 * The parts of an OOXML package, read from a buffer with yauzl (central directory, zip64, size checks)
 * and inflated as streams, so a 150 MB worksheet part is never in memory whole. Part names are
 * case-insensitive (OPC).
 */
export interface ZipParts {
  has(name: string): boolean;
  /** A small part as text (workbook, relationships, styles). */
  text(name: string): Promise<string>;
  /** A part's text in pieces as it inflates; `onBytes` reports compressed bytes consumed (progress). */
  stream(name: string, onText: (text: string) => void, onBytes?: (done: number, total: number) => void): Promise<void>;
  compressedSize(name: string): number;
}

/** Above this, text() refuses a part: the caller should have streamed it. */
const MAX_TEXT_PART = 64 * 1024 * 1024;

export async function openZipParts(buf: Buffer): Promise<ZipParts> {
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      entries.set(e.fileName.toLowerCase(), e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });

  const entryOf = (name: string): Entry => {
    const e = entries.get(name.toLowerCase());
    if (!e) throw new Unsupported(`missing part ${name}`);
    if (e.isEncrypted() || !e.canDecodeFileData()) throw new Unsupported(`cannot decode ${name}`);
    return e;
  };

  const stream: ZipParts['stream'] = async (name, onText, onBytes) => {
    const entry = entryOf(name);
    const input = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)));
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    let inflated = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      onText(decoder.decode(chunk, { stream: true }));
      // The compressed position is not exposed; inflated bytes scaled by the ratio is close enough.
      onBytes?.(Math.min(entry.compressedSize, Math.round((inflated / Math.max(1, entry.uncompressedSize)) * entry.compressedSize)), entry.compressedSize);
    }
    const tail = decoder.decode();
    if (tail) onText(tail);
  };

  return {
    has: (name) => entries.has(name.toLowerCase()),
    compressedSize: (name) => entryOf(name).compressedSize,
    stream,
    text: async (name) => {
      if (entryOf(name).uncompressedSize > MAX_TEXT_PART) throw new Unsupported(`part ${name} is too large to read whole`);
      const parts: string[] = [];
      await stream(name, (t) => parts.push(t));
      return parts.join('');
    },
  };
}
