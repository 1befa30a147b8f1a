import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { mbText, Refused, XLSX_CAPS, XmlGuard, type XlsxCaps } from './xlsx-limits';
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
  stream(name: string, onText: (text: string) => void, onBytes?: (done: number, total: number) => void, options?: StreamOptions): Promise<void>;
  compressedSize(name: string): number;
  /** Every entry's name (lower case). */
  names(): string[];
}

export interface StreamOptions {
  /**
   * Watch the XML with an XmlGuard (default). The streaming reader turns it off for the two big parts,
   * worksheets and shared strings, whose scanners are linear by construction and guard only the
   * fragments they read with patterns (rich text, a sheet's tail): a guard over 70 MB of cells cost a
   * fifth of the read.
   */
  guard?: boolean;
}

/** Parts whose text is XML (the guard watches them as they inflate). */
const XML_PART = /\.(xml|rels|vml)$/i;

const tooBig = (limit: number) => new Refused(`The spreadsheet unpacks to more than ${mbText(limit)}, more than it can be read safely.`);

/** Above this, text() refuses a part: the caller should have streamed it. */
const MAX_TEXT_PART = 64 * 1024 * 1024;

/**
 * `limit` caps the inflated bytes of all parts (checked against the directory first, then while
 * inflating: yauzl fails a part that inflates past its declared size); every XML part passes through
 * an XmlGuard (nesting, tag length) as it inflates; `onTag` sees its start tags.
 */
export async function openZipParts(buf: Buffer, caps: XlsxCaps = XLSX_CAPS, limit = caps.maxInflatedBytes, onTag?: (part: string, tag: string) => void): Promise<ZipParts> {
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    let declared = 0;
    zip.on('entry', (e: Entry) => {
      entries.set(e.fileName.toLowerCase(), e);
      declared += e.uncompressedSize;
      if (entries.size > caps.maxEntries) reject(new Refused(`The spreadsheet's ZIP container holds more than ${caps.maxEntries.toLocaleString('en')} parts.`));
      else if (declared > limit) reject(tooBig(limit));
      else zip.readEntry();
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

  let inflatedAll = 0;
  const stream: ZipParts['stream'] = async (name, onText, onBytes, options) => {
    const entry = entryOf(name);
    const guard = XML_PART.test(name) && options?.guard !== false ? new XmlGuard(caps, onTag && ((tag) => onTag(name, tag))) : null;
    const input = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)));
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    let inflated = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      inflatedAll += chunk.length;
      // Not reached through yauzl's own check (sizes are validated against the directory) unless a part is read twice.
      if (inflatedAll > limit) throw tooBig(limit);
      const text = decoder.decode(chunk, { stream: true });
      guard?.push(text);
      onText(text);
      // The compressed position is not exposed; inflated bytes scaled by the ratio is close enough.
      onBytes?.(Math.min(entry.compressedSize, Math.round((inflated / Math.max(1, entry.uncompressedSize)) * entry.compressedSize)), entry.compressedSize);
    }
    const tail = decoder.decode();
    guard?.push(tail);
    if (tail) onText(tail);
  };

  return {
    has: (name) => entries.has(name.toLowerCase()),
    names: () => [...entries.keys()],
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
