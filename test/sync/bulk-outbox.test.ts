import { describe, expect, it } from 'vitest';
import { BULK_ROW_ID, insertSyncedBulk, pendingChangeCount, recordBulkInsert, recordBulkUpdate } from '@main/db/changes';
import { analyses } from '@main/db/schema';
import { insertSynced } from '@main/db/synced-repo';
import { recordStates } from '@main/sync/local-state';
import { openDevice } from './helpers';

describe('bulk outbox entries (the pallet import path)', () => {
  it('queues many rows with one outbox entry in the same transaction as the rows', () => {
    const { db, close } = openDevice();
    const analysis = insertSynced(db, analyses, { name: 'Import' });
    const before = pendingChangeCount(db);
    const { ids, hlc } = insertSyncedBulk(
      db,
      'pallet_items',
      Array.from({ length: 1000 }, (_, i) => ({ analysis_id: analysis.id, source_row: i, name: `Line ${i}`, status: 'ok', score: 50, data_json: '{}' })),
    );
    expect(ids).toHaveLength(1000);
    expect(hlc).toMatch(/^\d{15}:\d{6}:/);
    expect((db.$client.prepare('SELECT count(*) AS n FROM sync_outbox WHERE row_id = ?').get(BULK_ROW_ID) as { n: number }).n).toBe(1);
    expect(pendingChangeCount(db)).toBe(before + 1000);
    expect(recordStates(db, 'pallet_items', [ids[0]!, ids[999]!])).toEqual({ [ids[0]!]: { state: 'pending', reason: null }, [ids[999]!]: { state: 'pending', reason: null } });

    // Outside the writing transaction the entry could be lost on a crash: refused.
    expect(() => recordBulkInsert(db, 'pallet_items', ids)).toThrow(/inside the transaction/);
    expect(() => db.$client.transaction(() => recordBulkUpdate(db, 'pallet_items', ids, []))()).toThrow(/at least one field/);

    // A failing import leaves neither rows nor an outbox entry behind.
    expect(() =>
      db.$client.transaction(() => {
        insertSyncedBulk(db, 'pallet_items', [{ analysis_id: analysis.id, source_row: 1, status: 'ok', score: 1, data_json: '{}' }]);
        throw new Error('import failed half-way');
      })(),
    ).toThrow(/half-way/);
    expect(pendingChangeCount(db)).toBe(before + 1000);
    close();
  });
});
