import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { openStore, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';
import { scanLines } from '../src-main/pallets/lines-repo';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const db = openStore(dir);
const m = scoreManifest(largeManifestAoa(100_000));
const id = storeAnalysis(db, m, 'x');
const cols = 'pallet_id, name, category, brand, ean, sku, quantity, price_net, price_gross, retail_price, currency, condition';
const q = (label: string, extra: string) => {
  const st = db.$client.prepare(`SELECT rowid, id, source_row, ${cols}, score, status ${extra} FROM pallet_items INDEXED BY pallet_items_analysis_idx WHERE analysis_id = ? AND deleted_at IS NULL AND source_row > ? ORDER BY source_row LIMIT ?`).raw(true);
  const t = performance.now(); let after = -1; let n = 0;
  for (;;) { const p = st.all(id, after, 5000) as unknown[][]; n += p.length; if (p.length < 5000) break; after = p[p.length - 1]![2] as number; }
  console.log(label, Math.round(performance.now() - t), n);
};
for (let k = 0; k < 2; k++) {
  q('cols', '');
  q('+f', ", data_json ->> '$.f'");
  q('+f+i', ", data_json ->> '$.f', json_extract(data_json, '$.i')");
  q('+data_json', ', data_json');
  const t = performance.now(); let after = -1;
  for (;;) { const p = scanLines(db, id, after, 5000, false); if (p.length < 5000) break; after = p[p.length - 1]!.row; }
  console.log('scanLines', Math.round(performance.now() - t));
}
console.log(db.$client.prepare("select count(*), sum(json_extract(data_json,'$.i') != '[]') from pallet_items").raw(true).get());
console.log(db.$client.prepare("select data_json from pallet_items limit 1").pluck().get());
rmSync(dir, { recursive: true, force: true });
