/**
 * Manifest corpus evaluation (`npm run eval:manifests`, issue 14 item 6): imports every generated manifest
 * of test/fixtures/manifests through the real pipeline (worker read → header → map → normalise) and
 * reports, per seller shape and for the frozen held-out split: key columns mapped right, lines with a
 * rejected cell, currency detected right (named by the file, not assumed). JSON to bench-results/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImport } from '@main/pallets/import/import-pipeline';
import { corpusCases, HELD_OUT, isFresh, writeCorpus, type ManifestCase } from '../test/fixtures/manifests/corpus';

export interface CaseResult {
  id: string;
  shape: string;
  heldOut: boolean;
  /** Written after tuning (corpus-fresh.ts). */
  fresh: boolean;
  keyColumns: number;
  keyColumnsRight: number;
  wrongColumns: string[];
  lines: number;
  expectedLines: number;
  linesWithRejected: number;
  currency: string | null;
  currencyRight: boolean;
}

export async function evaluateCase(c: ManifestCase, path: string): Promise<CaseResult> {
  const r = await runImport({ path, collectLines: true });
  const wrong: string[] = [];
  for (const [header, field] of Object.entries(c.expected)) {
    const got = r.mapping.columns.find((m) => m.header === header)?.field ?? null;
    if (got !== field) wrong.push(`${header}: ${got ?? 'none'} (want ${field ?? 'none'})`);
  }
  const lines = r.lines ?? [];
  const counts = new Map<string, number>();
  for (const l of lines) if (l.values.currency !== null) counts.set(l.values.currency, (counts.get(l.values.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const assumed = r.warnings.some((w) => w.includes('prices are taken as'));
  return {
    id: c.id,
    shape: c.shape,
    heldOut: HELD_OUT.has(c.id) || isFresh(c.id),
    fresh: isFresh(c.id),
    keyColumns: Object.keys(c.expected).length,
    keyColumnsRight: Object.keys(c.expected).length - wrong.length,
    wrongColumns: wrong,
    lines: lines.length,
    expectedLines: c.lines,
    linesWithRejected: lines.filter((l) => l.issues.some((i) => i.kind === 'rejected')).length,
    currency,
    currencyRight: currency === c.currency && !assumed,
  };
}

interface Figures {
  files: number;
  keyColumnsRightPct: number;
  worstRejectedLinesPct: number;
  filesOver5PctRejected: number;
  currencyRight: string;
  lineCountRight: string;
}

function figures(results: readonly CaseResult[]): Figures {
  const keys = results.reduce((s, r) => s + r.keyColumns, 0);
  const right = results.reduce((s, r) => s + r.keyColumnsRight, 0);
  const rejectedPct = results.map((r) => (r.lines === 0 ? 100 : (100 * r.linesWithRejected) / r.lines));
  return {
    files: results.length,
    keyColumnsRightPct: keys === 0 ? 0 : Math.round((1000 * right) / keys) / 10,
    worstRejectedLinesPct: Math.round(10 * Math.max(0, ...rejectedPct)) / 10,
    filesOver5PctRejected: rejectedPct.filter((p) => p > 5).length,
    currencyRight: `${results.filter((r) => r.currencyRight).length}/${results.length}`,
    lineCountRight: `${results.filter((r) => r.lines === r.expectedLines).length}/${results.length}`,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fm-manifests-'));
  try {
    const cases = corpusCases();
    const paths = writeCorpus(dir, cases);
    const results: CaseResult[] = [];
    for (const c of cases) results.push(await evaluateCase(c, paths.get(c.id) ?? ''));
    const shapes = [...new Set(results.map((r) => r.shape))];
    const report = {
      date: new Date().toISOString(),
      tuning: figures(results.filter((r) => !r.heldOut)),
      heldOut: figures(results.filter((r) => r.heldOut && !r.fresh)),
      fresh: figures(results.filter((r) => r.fresh)),
      all: figures(results),
      byShape: Object.fromEntries(shapes.map((s) => [s, figures(results.filter((r) => r.shape === s))])),
      cases: results,
    };
    const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'manifests-eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    const only = process.argv.includes('--tuning') ? results.filter((r) => !r.heldOut) : results;
    for (const r of only) {
      const pct = r.lines === 0 ? 0 : Math.round((1000 * r.linesWithRejected) / r.lines) / 10;
      console.log(`${r.fresh ? 'F' : r.heldOut ? 'H' : ' '} ${r.id.padEnd(24)} keys ${r.keyColumnsRight}/${r.keyColumns}  rejected ${pct}%  lines ${r.lines}/${r.expectedLines}  currency ${r.currency ?? '-'}${r.currencyRight ? '' : ' ✗'}  ${r.wrongColumns.join('; ')}`);
    }
    console.log(JSON.stringify(process.argv.includes('--tuning') ? { tuning: report.tuning } : { tuning: report.tuning, heldOut: report.heldOut, fresh: report.fresh, byShape: report.byShape }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
