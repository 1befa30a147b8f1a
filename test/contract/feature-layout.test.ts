import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventChannels, features, requestChannels, type FeatureName } from '@shared/contract';
import { scriptedLlm } from '../helpers/scripted-llm';
import { findAppRoot } from '@main/core/paths';
import { createTempCore } from '../helpers/temp-core';

// Prefix = contract file = feature folder: `<prefix>:<verb>` is declared in src-shared/contract/<prefix>.ts
// and handled by src-main/<prefix>/index.ts, so a newcomer finds any behaviour in two hops.
const root = findAppRoot(import.meta.dirname);
const prefixOf = (channel: string) => channel.slice(0, channel.indexOf(':'));
const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

interface Feature {
  handlers: Record<string, unknown>;
  close?: () => Promise<void>;
}

const core = createTempCore();
afterAll(() => core.close());

/** One context that satisfies every feature's declared context (each takes only what it names). */
const context = {
  db: core.db,
  events: core.events,
  operations: core.operations,
  log: core.log,
  paths: core.paths,
  dataDir: core.paths.dataDir,
  appRoot: core.paths.appRoot,
  allowPaths: false,
  osLocale: 'en-US',
  transport: 'cli' as const,
  appVersion: 'test',
  status: () => core.status(),
  isOnline: () => false,
  language: () => 'en' as const,
  defaultLanguage: () => 'en' as const,
  threads: () => 1,
  llm: scriptedLlm(),
  runtime: {
    loadedPath: () => null,
    broken: () => [],
    load: () => Promise.reject(new Error('no model in this test')),
    unload: () => Promise.resolve(),
    inspect: () => Promise.reject(new Error('no model in this test')),
    threads: () => 1,
  },
};

describe('feature layout', () => {
  it('every channel prefix has its contract file and its feature folder', () => {
    const prefixes = new Set([...requestChannels, ...eventChannels].map(prefixOf));
    expect([...prefixes].sort()).toEqual(Object.keys(features).sort());
    for (const prefix of prefixes) {
      expect(fs.existsSync(path.join(root, 'src-shared', 'contract', `${prefix}.ts`)), `src-shared/contract/${prefix}.ts`).toBe(true);
      expect(fs.existsSync(path.join(root, 'src-main', prefix, 'index.ts')), `src-main/${prefix}/index.ts`).toBe(true);
    }
  });

  it("every contract file declares only its own prefix's channels", () => {
    for (const [name, contract] of Object.entries(features)) {
      for (const channel of [...Object.keys(contract.requests), ...Object.keys(contract.events)]) expect(prefixOf(channel), channel).toBe(name);
    }
  });

  it("every feature's factory handles exactly its contract's requests", async () => {
    for (const name of Object.keys(features) as FeatureName[]) {
      const module = (await import(`../../src-main/${name}/index.ts`)) as Record<string, unknown>;
      const factory = module[`create${capitalised(name)}Feature`];
      expect(typeof factory, `src-main/${name}/index.ts exports create${capitalised(name)}Feature`).toBe('function');
      const feature = (factory as (ctx: typeof context) => Feature)(context);
      expect(Object.keys(feature.handlers).sort(), name).toEqual(Object.keys(features[name].requests).sort());
      await feature.close?.();
    }
  });
});
