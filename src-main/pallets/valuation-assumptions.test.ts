import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { call, callError, importFile } from '../../test/helpers/pallets-channels';
import { writeFixtures, type FixtureName } from '../../test/helpers/pallet-fixtures';

const core = createTempCore();
let fx: Record<FixtureName, string>;
beforeAll(() => {
  fx = writeFixtures(tempDir('fm-pallet-assumptions-'));
});
afterAll(() => core.close());

describe('valuation assumptions after import', () => {
  it('changes assumptions, target and extra costs of a stored analysis and re-values it at once (kept for the next open)', async () => {
    const { imported } = await importFile(core, fx['bstock.xlsx'], { palletPrice: 300 });
    const analysisId = imported.analysisId;
    const before = (await call(core, 'pallets:analysis', { analysisId })).valuation;
    expect(before.maxBid?.target).toEqual({ kind: 'roi', value: 0.3 });
    await call(core, 'pallets:update', { analysisId, patch: { valuation: { target: { kind: 'roi', value: 1 }, extraCosts: 50, wasteFactor: 0.2 } } });
    const after = (await call(core, 'pallets:analysis', { analysisId })).valuation;
    expect(after.extraCosts).toBe(50);
    expect(after.maxBid?.target).toEqual({ kind: 'roi', value: 1 });
    expect(after.resale.high).toBeLessThan(before.resale.high);
    expect(after.maxBid?.high).toBeCloseTo(after.resale.high / 2 - 50, 1);
    expect(after.margin?.low).toBeCloseTo(after.resale.low - 300 - 50, 1);
    // A second change merges over the first; the pallet price stays the analysis price.
    await call(core, 'pallets:update', { analysisId, patch: { valuation: { target: { kind: 'margin', value: 0.2 } } } });
    const again = (await call(core, 'pallets:analysis', { analysisId })).valuation;
    expect([again.extraCosts, again.cost, again.maxBid?.target.kind]).toEqual([50, 300, 'margin']);
    expect(again.maxBid?.low).toBeCloseTo(Math.max(0, again.resale.low * 0.8 - 50), 1);
    // The export's summary sheet states the same figures as numbers, and the assumptions used.
    const written = await core.pallets.export(analysisId, undefined, undefined, `${tempDir('fm-pallet-assumptions-out-')}/lot.xlsx`);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(fs.readFileSync(written.path)).Sheets.Summary as XLSX.WorkSheet, { header: 1 });
    const cell = (label: string) => rows.find((r) => r[0] === label)?.[1];
    expect(cell('Max bid for margin 20% (high)')).toBe(again.maxBid?.high);
    expect(cell('Extra costs (transport, fees)')).toBe(50);
    expect(cell('Waste / damage share')).toBe(0.2);
    expect(cell('Lines valued (with a retail price)')).toBe(again.linesValued);
  });

  it('refuses a target margin of 100 % or more', async () => {
    const { imported } = await importFile(core, fx['bstock.xlsx']);
    expect(await callError(core, 'pallets:update', { analysisId: imported.analysisId, patch: { valuation: { target: { kind: 'margin', value: 1 } } } })).toMatchObject({ code: 'VALIDATION' });
  });
});
