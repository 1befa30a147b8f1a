import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { AppError } from '@shared/contract/errors';
import { ModelEntry } from '@shared/contract/models';
import { addModelFile, defaultModelFolders, deleteModelFile, scanModels } from './model-catalog';

const root = mkdtempSync(join(tmpdir(), 'fm-catalog-'));
const devDir = join(root, 'repo', 'models');
const userData = join(root, 'user-data');
const elsewhere = join(root, 'Downloads');
const folders = defaultModelFolders({ devDir, userDataDir: userData });
const userModels = join(userData, 'models');

beforeAll(() => {
  for (const d of [devDir, userModels, elsewhere]) mkdirSync(d, { recursive: true });
  writeTestGguf(join(devDir, 'dev-model.gguf'), { name: 'dev model' });
  writeTestGguf(join(userModels, 'nested', 'user-model.gguf'), { type: 'f32' });
  writeTestGguf(join(userModels, 'big-00001-of-00002.gguf'));
  writeFileSync(join(userModels, 'big-00002-of-00002.gguf'), 'second part');
  writeFileSync(join(userModels, 'half.gguf.partial'), 'partial download');
  writeFileSync(join(devDir, 'readme.gguf'), 'not a model');
  writeTestGguf(join(elsewhere, 'external.gguf'), { seed: 2 });
  writeTestGguf(join(elsewhere, 'aborts.gguf'), { omitKeys: ['llama.attention.head_count'] });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('model catalog', () => {
  it('lists GGUF files from the dev and user-data folders with header metadata and errors', async () => {
    const models = await scanModels({ folders, broken: [{ path: join(devDir, 'dev-model.gguf'), reason: 'it crashed' }], loadedPath: join(userModels, 'nested', 'user-model.gguf') });
    expect(models.map((m) => [m.fileName, m.source])).toEqual([
      ['big-00001-of-00002.gguf', 'user'],
      ['dev-model.gguf', 'dev'],
      ['readme.gguf', 'dev'],
      ['user-model.gguf', 'user'],
    ]);
    for (const m of models) ModelEntry.parse(m);
    const byName = Object.fromEntries(models.map((m) => [m.fileName, m]));
    expect(byName['dev-model.gguf']).toMatchObject({ broken: 'it crashed', loaded: false, error: null, summary: { name: 'dev model', architecture: 'llama' } });
    expect(byName['user-model.gguf']).toMatchObject({ loaded: true, summary: { quantisation: 'ALL_F32' } });
    expect(byName['readme.gguf']).toMatchObject({ summary: null, error: 'readme.gguf is not a GGUF model file (it does not start with "GGUF").' });
  });

  it('adds a file by copying it into the user models folder, or by linking it where it is', async () => {
    const copied = await addModelFile(join(elsewhere, 'external.gguf'), { modelsDir: userModels, mode: 'copy' });
    expect(copied).toMatchObject({ path: join(userModels, 'external.gguf'), source: 'user', summary: { loadable: true } });
    expect(existsSync(join(userModels, 'external.gguf.copying'))).toBe(false);
    await expect(addModelFile(join(elsewhere, 'external.gguf'), { modelsDir: userModels, mode: 'copy' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const linked = await addModelFile(join(elsewhere, 'external.gguf'), { modelsDir: userModels, mode: 'link' });
    expect(linked).toMatchObject({ path: join(elsewhere, 'external.gguf'), source: 'added' });
    const listed = await scanModels({ folders, addedFiles: [linked.path] });
    expect(listed.filter((m) => m.fileName === 'external.gguf').map((m) => m.source).sort()).toEqual(['added', 'user']);
  });

  it('refuses to add a file that would crash the model process', async () => {
    const error = await addModelFile(join(elsewhere, 'aborts.gguf'), { modelsDir: userModels, mode: 'copy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/aborts\.gguf cannot be used: The header is missing llama\.attention\.head_count/);
  });

  it('deletes files in the model folders (with download leftovers) but only forgets linked ones', async () => {
    writeTestGguf(join(userModels, 'old.gguf'));
    writeFileSync(join(userModels, 'old.gguf.partial.json'), '{}');
    expect(await deleteModelFile(join(userModels, 'old.gguf'), { folders })).toEqual({ deleted: true });
    expect(existsSync(join(userModels, 'old.gguf'))).toBe(false);
    expect(existsSync(join(userModels, 'old.gguf.partial.json'))).toBe(false);
    writeTestGguf(join(userModels, 'half.gguf'));
    expect(await deleteModelFile(join(userModels, 'half.gguf.partial'), { folders })).toEqual({ deleted: true });
    expect(existsSync(join(userModels, 'half.gguf.partial'))).toBe(false);
    expect(existsSync(join(userModels, 'half.gguf'))).toBe(true);
    expect(await deleteModelFile(join(elsewhere, 'external.gguf'), { folders })).toEqual({ deleted: false });
    expect(existsSync(join(elsewhere, 'external.gguf'))).toBe(true);
    await expect(deleteModelFile(join(devDir, 'dev-model.gguf'), { folders, loadedPath: join(devDir, 'dev-model.gguf') })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
