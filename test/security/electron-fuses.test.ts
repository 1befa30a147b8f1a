import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { findAppRoot } from '@main/core/paths';
import { ELECTRON_DEFAULT_FUSES, FUSE_ORDER, fuseProblems, readFuses, REQUIRED_FUSES, standInExecutable } from '../../scripts/package-check/fuses';

// Issue 13 item 9: the packaged binary's fuses. electron-builder.yml asks for them; the package check
// (npm run package:check) reads them back from the built executable with readFuses.
const root = findAppRoot(import.meta.dirname);

describe('Electron fuses', () => {
  it('electron-builder.yml flips every fuse a release needs', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    expect(config.electronFuses).toBeTruthy();
    for (const [name, value] of Object.entries(REQUIRED_FUSES)) expect(config.electronFuses?.[name as keyof typeof REQUIRED_FUSES], name).toBe(value);
  });

  it('a binary with Electron’s defaults fails the release rule on every fuse that matters', () => {
    const problems = fuseProblems(readFuses(standInExecutable()));
    expect(problems.join('\n')).toMatch(/runAsNode is on/);
    expect(problems.join('\n')).toMatch(/enableNodeOptionsEnvironmentVariable is on/);
    expect(problems.join('\n')).toMatch(/enableNodeCliInspectArguments is on/);
    expect(problems.join('\n')).toMatch(/onlyLoadAppFromAsar is off/);
    expect(problems.join('\n')).toMatch(/enableEmbeddedAsarIntegrityValidation is off/);
    expect(problems.join('\n')).toMatch(/enableCookieEncryption is off/);
  });

  it('reads back what @electron/fuses (the library electron-builder uses) writes', async () => {
    const { flipFuses, FuseV1Options, FuseVersion } = await import('@electron/fuses');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-fuses-'));
    try {
      const binary = path.join(dir, 'electron');
      fs.writeFileSync(binary, standInExecutable(ELECTRON_DEFAULT_FUSES), { mode: 0o755 });
      expect(readFuses(fs.readFileSync(binary))).toEqual(ELECTRON_DEFAULT_FUSES);
      await flipFuses(binary, {
        version: FuseVersion.V1,
        [FuseV1Options.RunAsNode]: false,
        [FuseV1Options.EnableCookieEncryption]: true,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
        [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      });
      const flipped = readFuses(fs.readFileSync(binary));
      expect(fuseProblems(flipped)).toEqual([]);
      expect(Object.keys(flipped)).toEqual([...FUSE_ORDER]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a binary without a fuse wire', () => {
    expect(() => readFuses(Buffer.from('not electron'))).toThrow(/no Electron fuse wire/);
  });
});
