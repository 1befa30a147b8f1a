import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@main/composition/create-core';
import { assistCore, assistManifestCsv } from '../helpers/assist-fixtures';
import { call, importFile, rid } from '../helpers/pallets-channels';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { scriptedLlm } from '../helpers/scripted-llm';
import { tempDir } from '../helpers/temp-core';
import { syncOnce, syncServer } from './helpers';

// An accepted model suggestion is a line correction, synced like the lines: a teammate's device gets the
// correction row (with the values it replaced) and the corrected line; suggestions themselves stay local.
let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const rows = (core: Core, sql: string) => core.db.$client.prepare(sql).all() as Record<string, unknown>[];

describe('line corrections across sync (real PostgreSQL, real SQLite files)', () => {
  it('reach the other device with the corrected line; pending suggestions do not', async () => {
    const srv = await syncServer(pg);
    const a = assistCore(4);
    const b = assistCore(4);
    try {
      const { analysisId } = (await importFile(a, assistManifestCsv(tempDir(), 4))).imported;
      a.useCoachLlm(
        scriptedLlm({
          json: (request) => ({ lines: Array.from({ length: (request.prompt.match(/^\d+\. /gm) ?? []).length }, () => ({ category: 'electronics', brand: 'Sony', model: 'WH-1000', name: 'Słuchawki bezprzewodowe' })) }),
        }),
      );
      await call(a, 'pallets:assist', { requestId: rid('assist'), analysisId });
      const [first] = (await call(a, 'pallets:suggestions', { analysisId })).suggestions;
      if (!first) throw new Error('expected a suggestion');
      await call(a, 'pallets:decideSuggestions', { analysisId, decision: 'accept', ids: [first.id] });
      await syncOnce(srv, 'alice', a.db);
      await syncOnce(srv, 'carol', b.db);
      const corrections = rows(b, 'SELECT line_id AS lineId, brand, model, original_json AS original FROM pallet_line_corrections');
      expect(corrections).toEqual([{ lineId: first.lineId, brand: 'Sony', model: 'WH-1000', original: expect.stringContaining('"name"') }]);
      expect(rows(b, `SELECT name, category, brand FROM pallet_items WHERE id = '${first.lineId}'`)).toEqual([{ name: 'Słuchawki bezprzewodowe', category: 'electronics', brand: 'Sony' }]);
      expect(rows(b, 'SELECT count(*) AS n FROM pallet_line_suggestions')).toEqual([{ n: 0 }]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
