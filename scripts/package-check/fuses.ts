/**
 * Electron fuses as bytes. An Electron binary carries a sentinel followed by a wire: a version byte,
 * a length byte, then one byte per fuse ('0' off, '1' on, 'r' removed). @electron/fuses flips them at
 * packaging time; this module writes a stand-in wire for the package check and reads a built one back,
 * independently of the library that wrote it.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const WIRE_VERSION = 1;

/** Fuse order of wire version 1 (electron/electron shell/common/fuses.json), keyed as in electron-builder's `electronFuses`. */
export const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSE_ORDER)[number];
export type FuseSettings = Partial<Record<FuseName, boolean>>;

/** What a release must have: no Node mode, no NODE_OPTIONS, no inspector, only app.asar, checked asar, encrypted cookies, plain file://. */
export const REQUIRED_FUSES: Readonly<Record<Exclude<FuseName, 'loadBrowserProcessSpecificV8Snapshot'>, boolean>> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

/** Electron's own defaults, which a binary whose fuses were never flipped carries. */
export const ELECTRON_DEFAULT_FUSES: Readonly<Record<FuseName, boolean>> = {
  runAsNode: true,
  enableCookieEncryption: false,
  enableNodeOptionsEnvironmentVariable: true,
  enableNodeCliInspectArguments: true,
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: true,
};

/** Bytes that stand in for an Electron executable: some padding around a wire with the given fuses. */
export function standInExecutable(fuses: Readonly<Record<FuseName, boolean>> = ELECTRON_DEFAULT_FUSES): Buffer {
  const wire = FUSE_ORDER.map((name) => (fuses[name] ? 0x31 : 0x30));
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho "Fieldmate package-check stand-in, not Electron" >&2\nexit 1\n'),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([WIRE_VERSION, wire.length, ...wire]),
    Buffer.from('\n'),
  ]);
}

/** The fuses a binary carries, or an error sentence when it has no (or an unknown) wire. */
export function readFuses(binary: Buffer): FuseSettings {
  const at = binary.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error('The executable carries no Electron fuse wire.');
  const wireAt = at + FUSE_SENTINEL.length;
  const version = binary[wireAt];
  const length = binary[wireAt + 1] ?? 0;
  if (version !== WIRE_VERSION) throw new Error(`The executable's fuse wire has version ${String(version)}, not ${WIRE_VERSION}.`);
  const settings: FuseSettings = {};
  for (let i = 0; i < Math.min(length, FUSE_ORDER.length); i++) {
    const name = FUSE_ORDER[i];
    const state = binary[wireAt + 2 + i];
    if (name && (state === 0x30 || state === 0x31)) settings[name] = state === 0x31;
  }
  return settings;
}

/** One sentence per fuse that differs from what a release requires. */
export function fuseProblems(actual: FuseSettings, required: Readonly<FuseSettings> = REQUIRED_FUSES): string[] {
  const problems: string[] = [];
  for (const name of FUSE_ORDER) {
    const want = required[name];
    if (want === undefined) continue;
    if (actual[name] !== want) problems.push(`fuse ${name} is ${actual[name] === undefined ? 'missing' : actual[name] ? 'on' : 'off'}, a release needs it ${want ? 'on' : 'off'}`);
  }
  return problems;
}
