import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { findAppRoot } from '@main/core/paths';

const root = findAppRoot(import.meta.dirname);

describe('electron-builder.yml', () => {
  it('loads and validates with electron-builder’s own loader', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('app.fieldmate.desktop');
    expect(config.productName).toBe('Fieldmate');
  });

  it('unpacks native modules, ships migrations and targets every desktop OS', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const unpack = ([] as string[]).concat(config.asarUnpack ?? []);
    for (const native of ['better-sqlite3', 'node-llama-cpp', '@node-llama-cpp']) expect(unpack.join('\n')).toContain(`node_modules/${native}/`);
    expect(JSON.stringify(config.extraResources)).toContain('drizzle');
    expect(JSON.stringify(config.linux?.target)).toMatch(/AppImage/);
    expect(JSON.stringify(config.linux?.target)).toMatch(/deb/);
    expect(JSON.stringify(config.win?.target)).toMatch(/nsis/);
    expect(JSON.stringify(config.mac?.target)).toMatch(/dmg/);
    expect(fs.existsSync(path.join(root, 'drizzle', 'meta', '_journal.json'))).toBe(true);
  });
});
