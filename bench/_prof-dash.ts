import { existsSync } from 'node:fs';
import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { openStore, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';
import { dashboardSql, palletDashboard } from '../src-main/pallets/dashboard';
const dir = '/tmp/prof-dash';
const fresh = !existsSync(dir);
const db = openStore(dir);
if (fresh) { const m = scoreManifest(largeManifestAoa(100_000)); for (let a = 0; a < 10; a++) storeAnalysis(db, m, `d${a}`); }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (label: string, f: () => unknown) => { f(); const ts: number[] = []; for (let i = 0; i < 7; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } console.log(label, med(ts).toFixed(1)); };
const sql = dashboardSql();
const g = db.$client.prepare(sql.groups).raw(true); const b = db.$client.prepare(sql.blocking).raw(true);
time('groups', () => g.all(...sql.params));
time('blocking', () => b.all(...sql.params));
time('repo', () => palletDashboard(db));
console.log(sql.groups);
if (process.env.NARROW) {
  db.$client.exec("CREATE INDEX IF NOT EXISTS tmp_narrow ON pallet_items (analysis_id, pallet_id, status, category, condition, quantity, retail_price, price_net, deleted_at) WHERE deleted_at IS NULL");
  const g2 = db.$client.prepare(sql.groups.replace('pallet_items_dash_idx', 'tmp_narrow')).raw(true);
  time('groups narrow', () => g2.all(...sql.params));
}
console.log(db.$client.prepare("select name, count(*) from dbstat where name like 'pallet_items%' group by name").raw(true).all());
