import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { openStore, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';
import { recordBulkUpdate } from '../src-main/db/changes';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const db = openStore(dir);
const m = scoreManifest(largeManifestAoa(100_000));
const id = storeAnalysis(db, m, 'x');
if (process.env.CS) db.$client.pragma('cache_size = ' + process.env.CS);
console.log(db.$client.pragma('cache_size'), db.$client.pragma('page_size'), db.$client.prepare('select count(*) from pragma_page_count').pluck().get(), (db.$client.pragma('page_count') as any));
const rows = db.$client.prepare("select rowid, id, score, status from pallet_items where analysis_id=? and rowid % 3 = 0").raw(true).all(id) as [number,string,number,string][];
const time = (label: string, sql: string, f: (r: [number,string,number,string], i: number) => unknown[]) => {
  const st = db.$client.prepare(sql);
  const t = performance.now();
  db.$client.transaction(() => { rows.forEach((r, i) => st.run(...f(r, i))); })();
  console.log(label, Math.round(performance.now() - t));
};
for (let k = 0; k < 2; k++) {
time('score only', 'UPDATE pallet_items SET score = ? WHERE rowid = ? AND id = ?', (r, i) => [r[2] + 1 + k, r[0], r[1]]);
time('updated_at only', 'UPDATE pallet_items SET updated_at = ? WHERE rowid = ? AND id = ?', (r, i) => [Date.now() + k, r[0], r[1]]);
time('json_set f b', "UPDATE pallet_items SET data_json = json_set(data_json, '$.f', ?, '$.b', ?) WHERE rowid = ? AND id = ?", (r, i) => [`|a${k}|`, null, r[0], r[1]]);
time('full', "UPDATE pallet_items SET score = ?, status = ?, data_json = json_set(data_json, '$.f', ?, '$.b', ?), updated_at = ? WHERE rowid = ? AND id = ?", (r, i) => [r[2] + 3 + k, r[3], `|b${k}|`, null, Date.now(), r[0], r[1]]);
const t = performance.now();
db.$client.transaction(() => recordBulkUpdate(db, 'pallet_items', rows.map((r) => r[1]), ['score', 'status', 'data_json', 'updated_at'], Date.now()))();
console.log('bulk outbox', Math.round(performance.now() - t));
}
rmSync(dir, { recursive: true, force: true });
