import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { dashboardBench, scoreManifest } from './pallets-store.bench-lib';
import { rmSync } from 'node:fs';
rmSync('/tmp/prof-dash2', { recursive: true, force: true });
const r = dashboardBench('/tmp/prof-dash2', scoreManifest(largeManifestAoa(100_000)), 10, 9);
console.log(JSON.stringify(r, null, 1));
rmSync('/tmp/prof-dash2', { recursive: true, force: true });
