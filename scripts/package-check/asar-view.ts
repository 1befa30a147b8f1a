import fs from 'node:fs';
import path from 'node:path';
import { getRawHeader } from '@electron/asar';

/**
 * app.asar as the packaged app sees it: every entry with whether it lives inside the archive or in
 * app.asar.unpacked beside it (Electron's fs shows both under the archive's path).
 */
export interface AsarEntry {
  kind: 'file' | 'directory' | 'link';
  unpacked: boolean;
  size: number;
  executable: boolean;
  offset: number;
  link?: string;
}

interface RawNode {
  files?: Record<string, RawNode>;
  unpacked?: boolean;
  size?: number;
  offset?: string;
  executable?: boolean;
  link?: string;
}

export interface AsarListing {
  archive: string;
  /** Posix paths relative to the archive root ("out/main/index.js"). */
  entries: Map<string, AsarEntry>;
  dataStart: number;
}

export function readAsar(archive: string): AsarListing {
  const raw = getRawHeader(archive);
  const entries = new Map<string, AsarEntry>();
  const walk = (node: RawNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const at = prefix ? `${prefix}/${name}` : name;
      const unpacked = child.unpacked === true;
      if (child.files) {
        entries.set(at, { kind: 'directory', unpacked, size: 0, executable: false, offset: 0 });
        walk(child, at);
      } else if (child.link !== undefined) {
        entries.set(at, { kind: 'link', unpacked, size: 0, executable: false, offset: 0, link: child.link });
      } else {
        entries.set(at, { kind: 'file', unpacked: child.unpacked === true, size: child.size ?? 0, executable: child.executable === true, offset: Number(child.offset ?? 0) });
      }
    }
  };
  walk(raw.header as RawNode, '');
  return { archive, entries, dataStart: 8 + raw.headerSize };
}

export function isFile(listing: AsarListing, posixPath: string): boolean {
  return listing.entries.get(posixPath)?.kind === 'file';
}

/**
 * Writes the archive's view into `dest`: packed files copied out, unpacked files hard-linked from
 * app.asar.unpacked (no 700 MB copy). Returns one sentence per unpacked file the header lists but the
 * unpacked folder lacks: such a file would be missing at run time too.
 */
export function materialise(listing: AsarListing, dest: string): string[] {
  const problems: string[] = [];
  const fd = fs.openSync(listing.archive, 'r');
  try {
    fs.mkdirSync(dest, { recursive: true });
    for (const [rel, entry] of listing.entries) {
      const target = path.join(dest, ...rel.split('/'));
      if (entry.kind === 'directory') {
        fs.mkdirSync(target, { recursive: true });
      } else if (entry.kind === 'link') {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const linkTo = path.relative(path.dirname(rel), entry.link ?? '');
        fs.symlinkSync(linkTo, target);
      } else if (entry.unpacked) {
        const source = path.join(`${listing.archive}.unpacked`, ...rel.split('/'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (!fs.existsSync(source)) {
          problems.push(`${rel} is marked unpacked but app.asar.unpacked has no such file`);
          continue;
        }
        try {
          fs.linkSync(source, target);
        } catch {
          fs.copyFileSync(source, target);
        }
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const buffer = Buffer.alloc(entry.size);
        if (entry.size > 0) fs.readSync(fd, buffer, 0, entry.size, listing.dataStart + entry.offset);
        fs.writeFileSync(target, buffer, { mode: entry.executable ? 0o755 : 0o644 });
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return problems;
}
