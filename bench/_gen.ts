import { writeFileSync } from 'node:fs';
import { largeManifestAoa, workbookBytes } from '../src-main/pallets/test-fixtures';
writeFileSync('/tmp/prof-manifest.xlsx', workbookBytes([{ name: 'Manifest', aoa: largeManifestAoa(100_000) }], 'xlsx'));
