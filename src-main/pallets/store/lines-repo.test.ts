import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineFilter, LineRow } from '@shared/contract/pallets';
import { createTempCore, tempDir } from '../../../test/helpers/temp-core';
import { allLines, call, importFile } from '../../../test/helpers/pallets-channels';
import { windowSql, type LineSort, type LineSortKey } from './lines-repo';
import { largeManifestAoa, workbookBytes } from '../../../test/helpers/pallet-fixtures';

/*
 * The virtualised table's windows on a generated 3,000-line manifest: every sort and filter is checked
 * against the same operation done in JavaScript on the whole analysis, and every query shape against its
 * plan (the indexes are what keeps this fast at 100,000 lines).
 */

const core = createTempCore();
const LINES = 3000;
let analysisId = '';
let everything: LineRow[] = [];
const firedBy = new Map<string, Set<string>>();

beforeAll(async () => {
  const file = path.join(tempDir('fm-pallet-lines-'), 'generated.xlsx');
  fs.writeFileSync(file, workbookBytes([{ name: 'Manifest', aoa: largeManifestAoa(LINES) }], 'xlsx'));
  ({
    imported: { analysisId },
  } = await importFile(core, file));
  everything = await allLines(core, analysisId);
  for (const line of everything) {
    if (line.firedCount === 0) continue;
    for (const f of (await call(core, 'pallets:line', { lineId: line.id })).fired) {
      if (!firedBy.has(f.ruleId)) firedBy.set(f.ruleId, new Set());
      firedBy.get(f.ruleId)?.add(line.id);
    }
  }
}, 120_000);
afterAll(() => core.close());

/** SQLite's order: NULL first, numbers by value, text by code point (NOCASE folds ASCII letters only). */
function reference(by: LineSortKey, dir: 'asc' | 'desc'): (a: LineRow, b: LineRow) => number {
  const key = (l: LineRow): number | string | null => {
    switch (by) {
      case 'row':
        return l.row;
      case 'status':
        return { ok: 0, warning: 1, blocked: 2 }[l.status];
      case 'name':
        return l.name === null ? null : l.name.replace(/[A-Z]/g, (c) => c.toLowerCase());
      default:
        return l[by];
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
    return c !== 0 ? sign * c : sign * (a.row - b.row);
  };
}

function matches(l: LineRow, f: LineFilter): boolean {
  if (f.status && !f.status.includes(l.status)) return false;
  if (f.category !== undefined && (l.category ?? '') !== f.category) return false;
  if (f.palletId !== undefined && (l.palletId ?? '') !== f.palletId) return false;
  if (f.ruleId !== undefined && !firedBy.get(f.ruleId)?.has(l.id)) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (![l.name, l.brand, l.ean].some((v) => v?.toLowerCase().includes(s))) return false;
  }
  return true;
}

describe('windows of lines', () => {
  it('the generated manifest was imported whole', () => {
    expect(everything).toHaveLength(LINES);
    expect(new Set(everything.map((l) => l.palletId))).toEqual(new Set(['PAL-0', 'PAL-1', 'PAL-2', 'PAL-3', 'PAL-4', 'PAL-5']));
    expect(firedBy.size).toBeGreaterThan(2);
  });

  const sorts: LineSort[] = (['row', 'score', 'status', 'name', 'category', 'retailPrice', 'priceNet', 'quantity'] as const).flatMap((by) => [
    { by, dir: 'asc' as const },
    { by, dir: 'desc' as const },
  ]);
  it.each(sorts)('sorted by $by $dir: every window matches the whole list sorted', async (sort) => {
    const want = [...everything].sort(reference(sort.by, sort.dir)).map((l) => l.id);
    const got = (await allLines(core, analysisId, undefined, sort)).map((l) => l.id);
    expect(got).toEqual(want);
    // An arbitrary window in the middle is the same slice.
    const window = await call(core, 'pallets:lines', { analysisId, offset: 1234, limit: 77, sort });
    expect(window.total).toBe(LINES);
    expect(window.lines.map((l) => l.id)).toEqual(want.slice(1234, 1234 + 77));
  });

  const filters = (): LineFilter[] => [
    { status: ['blocked'] },
    { status: ['warning', 'blocked'] },
    { category: 'toys' },
    { category: 'toys', status: ['ok'] },
    { palletId: 'PAL-3' },
    { palletId: '' },
    { ruleId: [...firedBy.keys()][0] ?? '' },
    { ruleId: [...firedBy.keys()][1] ?? '', status: ['warning'] },
    { search: 'item 12' },
    { search: 'samsung', palletId: 'PAL-1' },
    { search: '100%_' },
  ];
  it('filters by status, category, pallet, fired rule and search, alone and combined, with totals', async () => {
    for (const filter of filters()) {
      for (const sort of [{ by: 'row', dir: 'asc' }, { by: 'score', dir: 'desc' }] as LineSort[]) {
        const want = everything.filter((l) => matches(l, filter)).sort(reference(sort.by, sort.dir));
        const page = await call(core, 'pallets:lines', { analysisId, offset: 0, limit: 1000, filter, sort });
        expect(page.total, JSON.stringify(filter)).toBe(want.length);
        expect(page.lines.map((l) => l.id)).toEqual(want.slice(0, 1000).map((l) => l.id));
      }
    }
    expect(everything.filter((l) => matches(l, { status: ['blocked'] })).length).toBeGreaterThan(0);
  });

  it('answers a window past the end with nothing and the total', async () => {
    expect(await call(core, 'pallets:lines', { analysisId, offset: LINES + 5, limit: 10 })).toEqual({ lines: [], total: LINES });
  });

  it('every query shape reads an index (covering unless a filter needs the row), never the whole table', () => {
    const client = core.db.$client;
    const plans: string[] = [];
    const sorts: LineSort[] = [{ by: 'row', dir: 'asc' }, { by: 'status', dir: 'asc' }, { by: 'name', dir: 'desc' }, { by: 'retailPrice', dir: 'desc' }];
    for (const filter of [{}, ...filters()]) {
      for (const sort of sorts) {
        const sql = windowSql(analysisId, filter, sort);
        for (const [text, params] of [[sql.count, sql.params], [sql.window, [...sql.params, 10, 0]]] as const) {
          const plan = (client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail);
          plans.push(plan.join(' | '));
          expect(plan[0], text).toMatch(/^SEARCH pallet_items USING (COVERING )?INDEX pallet_items_\w+_idx \(analysis_id=\?/);
          // Without filters the table is never read: the index has every column the query needs.
          if (Object.keys(filter).length === 0) expect(plan[0], text).toMatch(/COVERING/);
        }
      }
    }
    for (const index of ['analysis', 'dash', 'search']) expect(plans.some((p) => p.includes(`pallet_items_${index}_idx`)), index).toBe(true);
    // A fired-rule filter alone reads pallet_items_dash_idx only (the fired rules are one of its columns).
    for (const sort of sorts.filter((s) => s.by !== 'name')) {
      const sql = windowSql(analysisId, { ruleId: 'x' }, sort);
      for (const [text, params] of [[sql.count, sql.params], [sql.window, [...sql.params, 10, 0]]] as const) {
        expect((client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[])[0]?.detail, text).toMatch(/^SEARCH pallet_items USING COVERING INDEX pallet_items_dash_idx/);
      }
    }
  });
});
