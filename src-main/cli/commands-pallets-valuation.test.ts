import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-core';
import type { ImportReport } from './commands-pallets';
import { commands } from './commands';
import { runCli } from './run-cli';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dir = tempDir('fm-cli-valuation-');
const dataDir = tempDir('fm-cli-valuation-data-');

/** A US manifest: prices with no currency anywhere in the file. */
function usManifest(retail: (i: number) => string): string {
  const file = path.join(dir, `us-${Math.random().toString(36).slice(2)}.csv`);
  const rows = ['Item Description,Qty,Unit Retail,Condition,Pallet ID'];
  for (let i = 1; i <= 10; i++) rows.push(`Blender model ${i},2,${retail(i)},New,PAL-${i <= 5 ? 1 : 2}`);
  fs.writeFileSync(file, rows.join('\n'));
  return file;
}

describe('cli import: currency and valuation in the JSON', () => {
  it('takes --currency and --target-roi: currency, valuation figures and a max bid range', async () => {
    const { code, stdout, stderr } = await cli(['import', usManifest((i) => `${40 + i}.00`), '--currency', 'usd', '--target-roi', '50%', '--dry-run', '--json', '--data-dir', dataDir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as ImportReport;
    expect(r.mapping.every((m) => 'header' in m && 'field' in m)).toBe(true);
    expect(r.currency).toBe('USD');
    const v = r.valuation;
    expect(v).toMatchObject({ currency: 'USD', lines: 10, linesValued: 10, cost: null, marginLow: null, roiLow: null });
    expect(v.retail).toBe(2 * (41 + 42 + 43 + 44 + 45 + 46 + 47 + 48 + 49 + 50));
    expect(v.resaleLow).toBeGreaterThan(0);
    expect(v.maxBid.target).toBe(0.5);
    expect(v.maxBid.targetKind).toBe('roi');
    // No price paid is needed for a max bid: it is what the resale range allows at the target.
    expect(v.maxBid.low).toBeCloseTo((v.resaleLow ?? NaN) / 1.5, 1);
    expect(v.maxBid.high).toBeCloseTo((v.resaleHigh ?? NaN) / 1.5, 1);
    const human = await cli(['import', usManifest(() => '10'), '--currency', 'EUR', '--target-margin', '0.25', '--dry-run', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/valuation \(EUR\): 10 of 10 lines valued/);
    expect(human.stdout).toMatch(/max bid for margin 25%: \d/);
  });

  it('states unknowns as null, never 0, when most lines have no retail price', async () => {
    const { code, stdout } = await cli(['import', usManifest((i) => (i <= 3 ? '100' : 'N/A')), '--currency', 'USD', '--dry-run', '--json', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const v = (JSON.parse(stdout) as ImportReport).valuation;
    expect(v).toMatchObject({ lines: 10, linesValued: 3, retail: 600, marginLow: null, marginHigh: null, roiLow: null, roiHigh: null, maxBid: { target: 0.3, low: null, high: null } });
  });

  it('refuses a currency that is not a code and two targets at once', async () => {
    const file = usManifest(() => '10');
    expect((await cli(['import', file, '--currency', 'dollars', '--dry-run', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['import', file, '--target-roi', '0.2', '--target-margin', '0.2', '--dry-run', '--data-dir', dataDir])).code).toBe(2);
  });
});
