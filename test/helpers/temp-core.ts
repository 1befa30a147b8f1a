import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';

export function tempDir(prefix = 'fieldmate-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real core on a real SQLite file in a fresh temp folder. */
export function createTempCore(options: { dataDir?: string; osLocale?: string; logs?: string[] } = {}): Core {
  const dataDir = options.dataDir ?? tempDir();
  const logs = options.logs;
  return createCore({
    paths: appPaths(dataDir, findAppRoot(import.meta.dirname)),
    transport: 'cli',
    appVersion: 'test',
    osLocale: options.osLocale ?? 'en-US',
    log: (line) => logs?.push(line),
    isOnline: () => false,
  });
}
