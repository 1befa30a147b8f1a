/**
 * The store parts of the pallet benchmark alone (`npx tsx bench/pallets-store.bench.ts`): re-scoring a
 * stored analysis after a rule edit and the dashboard over PALLET_BENCH_DASHBOARD_ANALYSES analyses,
 * against the same SQL run raw, without the slow import pipeline part of `npm run bench:pallets`.
 *
 *   PALLET_BENCH_LINES=100000 PALLET_BENCH_DASHBOARD_ANALYSES=10 PALLET_BENCH_PARTS=rescore,dashboard
 *
 * Writes bench-results/pallets-store.json (the full benchmark still writes pallets.json).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeManifestAoa } from '../test/helpers/pallet-fixtures';
import { dashboardBench, editedRules, openStore, rescoreFromDb, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';

const LINES = Number(process.env.PALLET_BENCH_LINES ?? 100_000);
const RUNS = Number(process.env.PALLET_BENCH_RUNS ?? 7);
const DASHBOARD_ANALYSES = Number(process.env.PALLET_BENCH_DASHBOARD_ANALYSES ?? 10);
const PARTS = new Set((process.env.PALLET_BENCH_PARTS ?? 'rescore,dashboard').split(','));
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fm-bench-store-'));
  const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
  const result: Record<string, unknown> = {
    benchmark: 'pallets-store',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version },
    lines: LINES,
    loadAverageStart: load(),
  };
  try {
    const manifest = scoreManifest(largeManifestAoa(LINES));
    if (PARTS.has('rescore')) {
      const db = openStore(join(dir, 'rescore'));
      const id = storeAnalysis(db, manifest, 'rescore');
      const rescore = await rescoreFromDb(db, id, editedRules(), RUNS);
      db.$client.close();
      result.rescoreFromStore = rescore;
      console.log(`re-score from the store: median ${String(rescore.medianMs)} ms, runs ${JSON.stringify(rescore.runsMs)}, phases ${JSON.stringify(rescore.phasesMedianMs)}; raw SQL read + write ${String(rescore.rawMedianMs)} ms (×${String(rescore.ratio)}); main thread only ${String(rescore.mainThreadMedianMs)} ms`);
    }
    if (PARTS.has('dashboard')) {
      const dashboard = dashboardBench(join(dir, 'dashboard'), manifest, DASHBOARD_ANALYSES, 9);
      result.dashboard = dashboard;
      type Timed = { repoMedianMs: number; rawMedianMs: number; ratio: number };
      type Part = Timed & { cold: Timed; oneStale: Timed };
      for (const scope of ['all', 'one'] as const) {
        const d = dashboard[scope] as Part;
        console.log(`dashboard ${scope}: ${d.repoMedianMs} ms (raw SQL ${d.rawMedianMs} ms, ×${d.ratio}); cold ${d.cold.repoMedianMs} ms (raw ${d.cold.rawMedianMs} ms, ×${d.cold.ratio}); one analysis stale ${d.oneStale.repoMedianMs} ms (raw ${d.oneStale.rawMedianMs} ms, ×${d.oneStale.ratio})`);
      }
    }
    result.loadAverageEnd = load();
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    writeFileSync(join(root, 'bench-results', 'pallets-store.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
