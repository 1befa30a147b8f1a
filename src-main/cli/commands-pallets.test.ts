import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-core';
import { writeFixtures, type FixtureName } from '../../test/helpers/pallet-fixtures';
import type { ImportReport } from './commands-pallets';
import { commands } from './commands';
import { runCli } from './run-cli';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let fx: Record<FixtureName, string>;
const dataDir = tempDir('fm-cli-pallets-');
beforeAll(() => {
  fx = writeFixtures(tempDir('fm-cli-fixtures-'));
});

describe('cli import / export / rules', () => {
  let analysisId = '';

  it('import --dry-run --json prints the header row, the mapping with confidence, counts and errors, and stores nothing', async () => {
    const { code, stdout, stderr } = await cli(['import', fx['german.ods'], '--dry-run', '--json', '--data-dir', dataDir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as ImportReport;
    expect(r).toMatchObject({ sheet: 'Tabelle1', headerRow: 3, dryRun: true, analysisId: null, lines: 6 });
    expect(r.headers.slice(0, 3)).toEqual(['Artikelnummer', 'Bezeichnung', 'Warengruppe']);
    expect(r.mapping.find((m) => m.header === 'Bezeichnung')).toMatchObject({ column: 1, field: 'name' });
    expect(r.mapping.every((m) => m.confidence >= 0 && m.confidence <= 1)).toBe(true);
    // A line-total column beside its unit column is mapped too (it checks or fills the unit value).
    expect(r.mapping.find((m) => m.header === 'Gesamt netto')?.field).toBe('price_net');
    expect(r.statuses.ok + r.statuses.warning + r.statuses.blocked).toBe(6);
    expect(r.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'ean', code: 'ean_checksum', row: 8 })]));
    const list = JSON.parse((await cli(['info', '--json', '--data-dir', dataDir])).stdout) as { rowCounts: Record<string, number> };
    expect(list.rowCounts.pallet_items ?? 0).toBe(0);
  });

  it('import --sheet stores an analysis; the human output names the mapping', async () => {
    const human = await cli(['import', fx['amazon.xlsx'], '--sheet', 'Liquidation', '--name', 'Amazon lot', '--data-dir', dataDir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/imported .*amazon\.xlsx \(sheet "Liquidation"\) as analysis [0-9a-f-]{36}/);
    expect(human.stdout).toMatch(/ASIN\s+→ asin\s+0\.\d\d/);
    expect(human.stdout).toMatch(/__proto__\s+→ \(kept as raw data\)/);
    const json = await cli(['import', fx['bstock.xlsx'], '--json', '--data-dir', dataDir]);
    const r = JSON.parse(json.stdout) as ImportReport;
    expect(r.analysisId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.statuses.blocked).toBe(1);
    analysisId = r.analysisId ?? '';
    const missing = await cli(['import', fx['amazon.xlsx'], '--sheet', 'Nope', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no sheet named "Nope"/);
  });

  it('export writes an .xlsx SheetJS reads back', async () => {
    const out = path.join(tempDir(), 'nested', 'lot.xlsx');
    const { code, stdout } = await cli(['export', analysisId, out, '--json', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: out, rows: 10 });
    const wb = XLSX.read(fs.readFileSync(out), { type: 'buffer' });
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Lines as XLSX.WorkSheet, { header: 1 });
    expect(aoa).toHaveLength(11);
    expect((await cli(['export', 'no-such-analysis', out, '--data-dir', dataDir])).stderr).toMatch(/does not exist/);
  });

  it('rules list / add (file or argument) / remove; adding re-scores the stored analyses', async () => {
    const listed = JSON.parse((await cli(['rules', 'list', '--json', '--data-dir', dataDir])).stdout) as { rules: { id: string; name: string }[] };
    expect(listed.rules.map((r) => r.name)).toContain('Blocked categories');
    const draft = { name: 'No kettles', type: 'product', action: 'block', weight: 7, enabled: true, when: { field: 'name', op: 'contains', value: 'kettle' } };
    const file = path.join(tempDir(), 'rule.json');
    fs.writeFileSync(file, JSON.stringify(draft));
    const added = await cli(['rules', 'add', file, '--json', '--data-dir', dataDir]);
    expect(added.code).toBe(0);
    const rule = JSON.parse(added.stdout) as { id: string };
    const again = await cli(['rules', 'add', JSON.stringify({ ...draft, name: 'No drills', when: { field: 'name', op: 'contains', value: 'drill' } }), '--data-dir', dataDir]);
    expect(again.stdout).toMatch(/added rule .* \(block “No drills”\)/);
    // The B-Stock lot was re-scored with the new rules before the command returned.
    const dry = JSON.parse((await cli(['import', fx['bstock.xlsx'], '--dry-run', '--json', '--data-dir', dataDir])).stdout) as ImportReport;
    expect(dry.statuses.blocked).toBe(3);
    const out = path.join(tempDir(), 'after.xlsx');
    await cli(['export', analysisId, out, '--data-dir', dataDir]);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(XLSX.read(fs.readFileSync(out), { type: 'buffer' }).Sheets.Lines as XLSX.WorkSheet);
    expect(rows.filter((r) => r.Status === 'blocked')).toHaveLength(3);
    const removed = await cli(['rules', 'remove', rule.id, '--json', '--data-dir', dataDir]);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: rule.id });
    const bad = await cli(['rules', 'add', '{"name": "x"}', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The rule is not valid/);
    expect((await cli(['rules', 'add', 'not json', '--data-dir', dataDir])).code).toBe(2);
  });
});

describe('cli import of a file imported before', () => {
  const dir = tempDir('fm-cli-reimport-');

  it('notes the earlier analysis on a re-import, and --replace swaps it for the new one', async () => {
    const first = JSON.parse((await cli(['import', fx['polish.xlsx'], '--json', '--data-dir', dir])).stdout) as ImportReport;
    expect(first.duplicates).toEqual([]);
    const again = await cli(['import', fx['polish.xlsx'], '--data-dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`note: this file was imported before as ${first.analysisId ?? '?'}`);
    const second = JSON.parse((await cli(['import', fx['polish.xlsx'], '--dry-run', '--json', '--data-dir', dir])).stdout) as ImportReport;
    expect(second.duplicates).toHaveLength(2);
    const replaced = JSON.parse((await cli(['import', fx['polish.xlsx'], '--replace', first.analysisId ?? '', '--json', '--data-dir', dir])).stdout) as ImportReport;
    expect(replaced.replaced).toBe(first.analysisId);
    const after = JSON.parse((await cli(['import', fx['polish.xlsx'], '--dry-run', '--json', '--data-dir', dir])).stdout) as ImportReport;
    expect(after.duplicates.map((d) => d.id)).not.toContain(first.analysisId);
    expect(after.duplicates.map((d) => d.id)).toContain(replaced.analysisId);
    expect(after.duplicates).toHaveLength(2);
  });
});
