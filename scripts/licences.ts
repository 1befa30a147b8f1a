// Writes out/licences.json: every production dependency and the licence its package.json declares, read
// from node_modules (no network). Run after `electron-vite build`; the About page lists it.
import fs from 'node:fs';
import path from 'node:path';
import { findAppRoot } from '@main/core/paths';
import { collectLicences, LICENCES_FILE } from '@main/system/licences';

const root = findAppRoot(import.meta.dirname);
const components = collectLicences(root);
const target = path.join(root, LICENCES_FILE);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `${JSON.stringify({ components }, null, 1)}\n`);
process.stdout.write(`${components.length} bundled components and their licences written to ${LICENCES_FILE}\n`);
