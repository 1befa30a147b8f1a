import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { openStore, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';
import { palletDashboard } from '../src-main/pallets/dashboard';
import { existsSync } from 'node:fs';
const dir = '/tmp/prof-dash3'; const fresh = !existsSync(dir);
const db = openStore(dir);
if (fresh) { const m = scoreManifest(largeManifestAoa(100_000)); for (let a = 0; a < 10; a++) storeAnalysis(db, m, `d${a}`); }
palletDashboard(db);
const t = performance.now(); for (let i = 0; i < 100; i++) palletDashboard(db); console.log('per call', (performance.now() - t) / 100);
