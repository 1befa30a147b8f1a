/**
 * A bounded walk over a GGUF header before node-llama-cpp's reader sees the file. That reader trusts
 * every count and length it reads (it loops 2^63 times over a key count and reads zeros past the end
 * of the file), so a 41-byte file could hang the main process and a 73-byte one take gigabytes. Here
 * every count and length is checked against the bytes the file has and against sane maxima, the work
 * is linear in the header's size, and the header's size is capped: a file that passes can be parsed
 * by the reader in bounded time and memory.
 */
import { open } from 'node:fs/promises';

/** A header larger than this is refused (real headers, vocabulary included, are a few MB). */
export const MAX_HEADER_BYTES = 128 * 1024 * 1024;
export const MAX_KEYS = 65_536;
export const MAX_TENSORS = 65_536;
/** Longest string value (a chat template is tens of kB); keys are capped at 65,535 bytes by the format. */
export const MAX_STRING_BYTES = 16 * 1024 * 1024;
const MAX_KEY_BYTES = 65_535;
/** Array elements over the whole header (a 256k vocabulary with scores, types and merges is ~1M). */
export const MAX_ARRAY_ELEMENTS = 16 * 1024 * 1024;
/** Arrays of arrays: the format allows them; no model nests deeper than one level. */
export const MAX_ARRAY_DEPTH = 3;
/** GGML_MAX_DIMS */
const MAX_TENSOR_DIMS = 4;
const FIRST_READ = 1024 * 1024;

/** Byte sizes of the fixed-size metadata value types (gguf.h gguf_type); 8 = string, 9 = array. */
const FIXED_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

/** The header breaks a rule; the message is a clause ("the key count is …") for the user's sentence. */
export class GgufHeaderError extends Error {
  constructor(
    message: string,
    /** The file does not start with "GGUF" at all. */
    readonly notGguf = false,
    /** The header runs past the end of the file: the bytes it needs at least (a truncated file). */
    readonly needed: number | null = null,
  ) {
    super(message);
  }
}

/** The walk needs bytes up to `end`, which the file has but the buffer does not yet. */
class NeedMore {
  constructor(readonly end: number) {}
}

class Walker {
  pos = 0;
  elements = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly fileSize: number,
  ) {}

  private need(n: number, what: string): void {
    const end = this.pos + n;
    if (end > this.fileSize) throw new GgufHeaderError(`${what} runs past the end of the file`, false, end);
    if (end > MAX_HEADER_BYTES) throw new GgufHeaderError(`the header is larger than ${MAX_HEADER_BYTES / 1024 / 1024} MB`);
    if (end > this.buf.length) throw new NeedMore(end);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A uint64 as a number; above 2^53 it is absurd for any count or length, so it is reported as such. */
  u64(what: string): number {
    this.need(8, what);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  }

  /** A count whose items need at least `minBytes` each must fit in the rest of the file. */
  count(what: string, max: number, minBytes: number): number {
    const n = this.u64(what);
    const room = Math.floor((this.fileSize - this.pos) / minBytes);
    if (n > max) throw new GgufHeaderError(`${what} is ${formatCount(n)}, more than the ${max.toLocaleString('en-US')} allowed`);
    if (n > room) throw new GgufHeaderError(`${what} is ${formatCount(n)}, more than the rest of the file can hold`);
    return n;
  }

  bytes(from: number, to: number): string {
    return this.buf.toString('latin1', from, to);
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  string(what: string, max: number): string | null {
    const length = this.u64(`the length of ${what}`);
    if (length > max) throw new GgufHeaderError(`${what} is ${formatCount(length)} bytes long, more than the ${max.toLocaleString('en-US')} allowed`);
    this.need(length, what);
    // Only keys are decoded (a few bytes each); values are skipped.
    const text = max === MAX_KEY_BYTES ? this.buf.toString('utf8', this.pos, this.pos + length) : null;
    this.pos += length;
    return text;
  }

  value(type: number, what: string, depth: number): void {
    const fixed = FIXED_SIZE[type];
    if (fixed !== undefined) return this.skip(fixed, what);
    if (type === STRING) {
      this.string(what, MAX_STRING_BYTES);
      return;
    }
    if (type !== ARRAY) throw new GgufHeaderError(`${what} has the unknown value type ${type}`);
    if (depth >= MAX_ARRAY_DEPTH) throw new GgufHeaderError(`${what} nests arrays more than ${MAX_ARRAY_DEPTH} deep`);
    const itemType = this.u32(`the item type of ${what}`);
    const itemSize = FIXED_SIZE[itemType] ?? (itemType === STRING ? 8 : itemType === ARRAY ? 12 : 0);
    if (itemSize === 0) throw new GgufHeaderError(`${what} holds items of the unknown type ${itemType}`);
    const n = this.count(`the length of ${what}`, MAX_ARRAY_ELEMENTS, itemSize);
    this.elements += n;
    if (this.elements > MAX_ARRAY_ELEMENTS) throw new GgufHeaderError(`its arrays hold more than ${MAX_ARRAY_ELEMENTS.toLocaleString('en-US')} items in all`);
    if (FIXED_SIZE[itemType] !== undefined) return this.skip(n * itemSize, what);
    for (let i = 0; i < n; i++) this.value(itemType, what, depth + 1);
  }
}

function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'above 2^53';
}

function walk(w: Walker, fileSize: number): void {
  if (fileSize < 4) throw new GgufHeaderError('it does not start with "GGUF"', true);
  w.skip(4, 'the magic');
  if (w.bytes(0, 4) !== 'GGUF') throw new GgufHeaderError('it does not start with "GGUF"', true);
  const version = w.u32('the version');
  // Version 1 (32-bit counts) is no longer loaded by llama.cpp; an unknown one would be guessed at.
  if (version !== 2 && version !== 3) throw new GgufHeaderError(`GGUF version ${version} is not supported (only 2 and 3 are)`);
  const tensors = w.count('the tensor count', MAX_TENSORS, 8 + 4 + 8 + 4 + 8);
  const keys = w.count('the key count', MAX_KEYS, 8 + 4 + 1);
  for (let i = 0; i < keys; i++) {
    const key = w.string(`key ${i + 1}`, MAX_KEY_BYTES) ?? '';
    const type = w.u32(`the type of ${key}`);
    const before = w.pos;
    w.value(type, key, 0);
    if (key === 'general.alignment') checkAlignment(w, type, before);
  }
  for (let i = 0; i < tensors; i++) {
    const name = `tensor ${i + 1}'s name`;
    w.string(name, MAX_KEY_BYTES);
    const dims = w.u32(`the dimension count of tensor ${i + 1}`);
    if (dims > MAX_TENSOR_DIMS) throw new GgufHeaderError(`tensor ${i + 1} has ${dims.toLocaleString('en-US')} dimensions, more than ${MAX_TENSOR_DIMS}`);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= w.u64(`a dimension of tensor ${i + 1}`);
    // No tensor type packs an element in less than one bit, so more elements than 8× the file is a lie.
    if (elements > fileSize * 8) throw new GgufHeaderError(`tensor ${i + 1} declares more elements than the file can hold`);
    w.skip(4 + 8, `tensor ${i + 1}`);
  }
}

/** gguf.cpp refuses an alignment that is not a power of two; node-llama-cpp would divide by it. */
function checkAlignment(w: Walker, type: number, at: number): void {
  const ok = (n: number) => n > 0 && n <= 1 << 30 && (n & (n - 1)) === 0;
  if (type !== 4) throw new GgufHeaderError('general.alignment is not a 32-bit unsigned number');
  const saved = w.pos;
  w.pos = at;
  const n = w.u32('general.alignment');
  w.pos = saved;
  if (!ok(n)) throw new GgufHeaderError(`general.alignment (${n}) is not a power of two`);
}

/**
 * Walk the header of the GGUF file at `path` and throw `GgufHeaderError` with the first rule it
 * breaks. Reads at most MAX_HEADER_BYTES; the buffer grows by doubling, so the walk is repeated at most
 * log2(header / 1 MB) times over a prefix that doubles each time (linear overall).
 */
export async function checkGgufHeader(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    let buf = Buffer.alloc(0);
    let want = Math.min(fileSize, FIRST_READ);
    for (;;) {
      const grown = Buffer.alloc(want);
      buf.copy(grown);
      const { bytesRead } = await handle.read(grown, buf.length, want - buf.length, buf.length);
      if (bytesRead < want - buf.length) throw new GgufHeaderError('the file shrank while it was read');
      buf = grown;
      try {
        walk(new Walker(buf, fileSize), fileSize);
        return;
      } catch (err) {
        if (!(err instanceof NeedMore)) throw err;
        want = Math.min(fileSize, MAX_HEADER_BYTES, Math.max(err.end, buf.length * 2));
      }
    }
  } finally {
    await handle.close();
  }
}
