import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../composition/create-core';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { autoLoadFailure, autoLoadLastModel, forgetLoaded, rememberLoaded, type AutoLoadContext, type LastLoaded } from './autoload';

let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

function setup(load: (model: LastLoaded) => Promise<unknown>, enabled = true) {
  core = createTempCore();
  const db = core.db;
  const file = path.join(tempDir(), 'last.gguf');
  fs.writeFileSync(file, 'GGUF pretend weights');
  const loads: string[] = [];
  const ctx: AutoLoadContext = {
    db,
    log: () => undefined,
    enabled: () => enabled,
    busy: () => false,
    known: async (p) => (fs.existsSync(p) ? p : null),
    load: async (model) => {
      loads.push(model.path);
      return load(model);
    },
  };
  return { db, file, loads, ctx };
}

describe('loading the last model at start', () => {
  it('loads the model loaded last, with its settings, unless the setting is off or it was unloaded', async () => {
    const { db, file, loads, ctx } = setup(async () => ({}));
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('none');
    rememberLoaded(db, { path: file, contextSize: 2048 });
    expect(await autoLoadLastModel({ ...ctx, enabled: () => false }, new AbortController().signal)).toBe('disabled');
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('loaded');
    expect(loads).toEqual([file]);
    expect(autoLoadFailure(db)).toBeNull();
    forgetLoaded(db);
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('none');
  });

  it('does not retry a file that failed until it changes or the user loads it', async () => {
    const { db, file, loads, ctx } = setup(async () => {
      throw new Error('the model process crashed');
    });
    rememberLoaded(db, { path: file });
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('failed');
    expect(autoLoadFailure(db)?.reason).toMatch(/crashed/);
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('skipped_failed');
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('skipped_failed');
    expect(loads).toHaveLength(1);
    // A changed file (re-downloaded) gets one new chance.
    fs.appendFileSync(file, ' and more');
    expect(await autoLoadLastModel(ctx, new AbortController().signal)).toBe('failed');
    expect(loads).toHaveLength(2);
    // Loading it by hand trusts it again.
    rememberLoaded(db, { path: file });
    expect(autoLoadFailure(db)).toBeNull();
  });

  it('remembers a load the app did not survive', async () => {
    let started: () => void = () => undefined;
    const loadStarted = new Promise<void>((resolve) => (started = resolve));
    const { db, file, ctx } = setup(() => {
      started();
      return new Promise(() => undefined);
    });
    rememberLoaded(db, { path: file });
    void autoLoadLastModel(ctx, new AbortController().signal);
    await loadStarted;
    // As the next start would find it: a pending marker with the file's identity.
    expect(autoLoadFailure(db)).toMatchObject({ path: file, reason: expect.stringMatching(/stopped while loading/) });
    expect(await autoLoadLastModel({ ...ctx, load: async () => ({}) }, new AbortController().signal)).toBe('skipped_failed');
  });
});
