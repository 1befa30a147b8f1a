import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';
import { tempDir } from './temp-core';

/**
 * A manifest for the pallet assist: `placed` clean lines the rules place (known category, brand, tidy
 * name) and `messy` lines they cannot (no or unknown category, no brand, shouted names with codes).
 */
export function assistManifestCsv(dir: string, messy: number, placed = 3): string {
  const rows = ['Nazwa produktu;Kategoria;Marka;EAN;Ilość;Cena'];
  for (let i = 0; i < placed; i++) rows.push(`Wiertarka udarowa ${700 + i}W;Narzędzia;Makita;;1;349,00`);
  for (let i = 0; i < messy; i++) {
    if (i % 3 === 0) rows.push(`SLUCHAWKI BT XR-${1000 + i}-PL BLK;;;;1;59,90`);
    else if (i % 3 === 1) rows.push(`odkurzacz_v11_${i}_szary;Różne;;;2;899,00`);
    else rows.push(`Zestaw ${i};Mix;Noname;;1;19,99`);
  }
  const file = path.join(dir, 'assist-manifest.csv');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

/** A real core on a fresh data folder, with the assist's batch size chosen by the test. */
export function assistCore(batchSize: number, dataDir = tempDir()): Core {
  return createCore({
    paths: appPaths(dataDir, findAppRoot(import.meta.dirname)),
    transport: 'cli',
    appVersion: 'test',
    osLocale: 'en-US',
    log: () => undefined,
    isOnline: () => false,
    palletAssistBatchSize: batchSize,
  });
}
