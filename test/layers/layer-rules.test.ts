import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layer rules are only worth something if they fail on a violation: each lint rule is run on code
// that breaks it (at a path inside the layer; ESLint lints the text, no file is written), and each
// layer's tsconfig compiles a fixture from test/layers/fixtures that uses what the layer lacks. Both
// fixture kinds are excluded from the normal lint and type-check.

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(root, 'test/layers/fixtures', name);

describe('lint layer rules', () => {
  const eslint = new ESLint({ cwd: root });
  const importErrors = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['src-shared/x.ts', "import { readFileSync } from 'node:fs';", 'src-shared is pure'],
    ['src-shared/x.ts', "import { StringDecoder } from 'string_decoder';", 'src-shared is pure'],
    ['src-shared/x.ts', "import { DatabaseSync } from 'node:sqlite';", 'src-shared is pure'],
    ['src-shared/x.ts', "import { app } from 'electron';", 'src-shared is pure'],
    ['src-shared/x.ts', "import { x } from '@main/core/runtime';", 'imports nothing from other layers'],
    ['src-shared/x.ts', "import { x } from '../src-renderer/src/api/client';", 'imports nothing from other layers'],
    ['src-renderer/src/x.ts', "import { Worker } from 'worker_threads';", 'no Node or Electron access'],
    ['src-renderer/src/x.ts', "import { readFile } from 'fs/promises';", 'no Node or Electron access'],
    ['src-renderer/src/x.ts', "import { ipcRenderer } from 'electron/renderer';", 'no Node or Electron access'],
    ['src-renderer/src/x.ts', "import { x } from '@main/pallets/store';", 'never imports src-main'],
    ['src-renderer/src/x.ts', "import { x } from '@main/pallets/store';", 'never imports src-main'],
    ['src-main/core/x.ts', "import { app } from 'electron';", 'Only the thin glue'],
    ['src-main/core/x.ts', "import { app } from 'electron/main';", 'Only the thin glue'],
    ['src-main/core/x.ts', "import { createWindow } from '../app/window';", 'Only src-main/app imports src-main/app'],
    ['src-main/pallets/rescore/x.ts', "import { createWindow } from '@main/app/window';", 'Only src-main/app imports src-main/app'],
    ['src-main/core/x.ts', "import { x } from '@renderer/api/client';", 'never imports renderer code'],
    ['test/x.test.ts', "import { createWindow } from '../src-main/app/window';", 'Only src-main/app imports src-main/app'],
    ['src-main/coaching/x.ts', "import { searchKnowledge } from '../knowledge/retrieval';", 'through its index.ts'],
    ['src-main/pallets/rescore/x.ts', "import { completedUpload } from '../../files/file-transfer';", 'through its index.ts'],
    ['src-main/cli/x.ts', "import { x } from '@main/sync/pull';", 'through its index.ts'],
    ['src-main/pallets/rescore/x.ts', "import { x } from '../../db/open';", 'Import through the layer alias'],
    ['src-main/core/x.ts', "import { x } from '../../src-shared/ids';", 'Import through the layer alias'],
    ['src-renderer/src/features/x.ts', "import { x } from '../../api/client';", 'Import through the layer alias'],
  ])('%s: %s is refused', async (filePath, code, message) => {
    const errors = await importErrors(filePath, `${code}\n`);
    // Another rule may refuse the same import too (a cross-layer path that also climbs ../../).
    expect(errors.some((error) => error.includes(message)), errors.join('\n')).toBe(true);
  });

  it.each([
    ['src-main/app/x.ts', "import { app } from 'electron/main';"],
    ['src-main/preload/x.ts', "import { contextBridge } from 'electron/renderer';"],
    ['src-main/core/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src-main/app/x.ts', "import { createWindow } from './window';"],
    ['src-renderer/src/x.ts', "import { z } from 'zod';"],
    ['src-shared/x.ts', "import { x } from './pallets/rules';"],
    ['src-main/coaching/x.ts', "import { searchKnowledge } from '../knowledge';"],
    ['src-main/coaching/x.ts', "import { x } from './sessions-repo';"],
    ['src-main/coaching/x.test.ts', "import { getKnowledge } from '../knowledge/knowledge-repo';"],
    ['src-main/pallets/rescore/x.ts', "import { x } from '@main/db/open';"],
    ['src-main/core/x.ts', "import { x } from '@shared/ids';"],
    ['src-main/coaching/x.test.ts', "import { x } from '../../test/helpers/temp-core';"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await importErrors(filePath, `${code}\n`)).toEqual([]);
  });
});

// Parsing lib.dom.d.ts and @types/node once instead of once per program keeps this test quick.
const sourceFiles = new Map<string, ts.SourceFile | undefined>();

function compileErrors(configName: string, fixtureName: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, configName), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`${configName} could not be read`);
  // The layer's own declaration files (ambient globals) belong to it; its sources are not needed.
  const declarations = parsed.fileNames.filter((file) => file.endsWith('.d.ts'));
  const host = ts.createCompilerHost(parsed.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!sourceFiles.has(key)) sourceFiles.set(key, readSourceFile(fileName, languageVersion, ...rest));
    return sourceFiles.get(key);
  };
  const program = ts.createProgram([fixture(fixtureName), ...declarations], parsed.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('per-layer tsconfigs', () => {
  it.each([
    ['tsconfig.shared.json', 'shared-uses-dom.ts', "Cannot find name 'localStorage'"],
    ['tsconfig.shared.json', 'shared-uses-node.ts', "Cannot find name 'setImmediate'"],
    ['tsconfig.renderer.json', 'renderer-uses-node.ts', "Cannot find name 'Buffer'"],
    ['tsconfig.main.json', 'main-uses-dom.ts', "Cannot find name 'document'"],
  ])('%s refuses %s', (config, fixtureName, message) => {
    const errors = compileErrors(config, fixtureName);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    // The same file compiles where DOM and Node are both present: the layer config is what refuses it.
    expect(compileErrors('tsconfig.json', fixtureName)).toEqual([]);
  });

  it.each(['tsconfig.shared.json', 'tsconfig.main.json', 'tsconfig.renderer.json'])('%s allows Web Crypto', (config) => {
    expect(compileErrors(config, 'shared-uses-crypto.ts')).toEqual([]);
  });
});
