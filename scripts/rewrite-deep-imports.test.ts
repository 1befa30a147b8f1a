import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteSource } from './rewrite-deep-imports.mjs';

const root = path.resolve(import.meta.dirname, '..');
const rewrite = (file: string, source: string) => rewriteSource(path.join(root, file), source).text;

describe('rewrite-deep-imports', () => {
  it('turns imports that leave their layer or climb two folders into the layer alias', () => {
    expect(rewrite('src-main/pallets/store.ts', "import { AppError } from '../../src-shared/contract/errors';"))
      .toBe("import { AppError } from '@shared/contract/errors';");
    expect(rewrite('src-main/pallets/rescore/scan.ts', "import type { Db } from '../../db/open';"))
      .toBe("import type { Db } from '@main/db/open';");
    expect(rewrite('src-renderer/src/features/pallets/lines/Table.tsx', "import { t } from '../../../i18n';"))
      .toBe("import { t } from '@renderer/i18n';");
    expect(rewrite('test/sync/sync.test.ts', "export { x } from '../../src-main/sync/engine';"))
      .toBe("export { x } from '@main/sync/engine';");
  });

  it('finds dynamic imports, type imports and vitest mocks', () => {
    const source = [
      "const m = await import('../../src-main/llm/index');",
      "type T = typeof import('../../src-shared/ids');",
      "vi.mock('../../src-main/core/paths');",
      "const a = await vi.importActual<typeof import('../../src-main/core/paths')>('../../src-main/core/paths');",
    ].join('\n');
    expect(rewrite('test/llm/x.test.ts', source)).toBe([
      "const m = await import('@main/llm/index');",
      "type T = typeof import('@shared/ids');",
      "vi.mock('@main/core/paths');",
      "const a = await vi.importActual<typeof import('@main/core/paths')>('@main/core/paths');",
    ].join('\n'));
  });

  it('leaves near imports in the same layer, and deep imports with no alias, alone', () => {
    const unchanged = [
      ['src-main/pallets/store.ts', "import { x } from './rules';"],
      ['src-main/pallets/rescore/scan.ts', "import { x } from '../store';"],
      ['src-main/pallets/store.test.ts', "import { createTempCore } from '../../test/helpers/temp-core';"],
      ['test/sync/helpers.ts', "import { x } from '../helpers/postgres';"],
      ['src-main/core/version.ts', "import pkg from '../../package.json';"],
      ['src-main/pallets/store.ts', "const text = 'see ../../src-shared/README';"],
    ];
    for (const [file, source] of unchanged) expect(rewrite(file!, source!)).toBe(source);
  });
});
