import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deviceId, readState, renewDeviceId, writeState } from '../db/clock';
import type { Db } from '../db/open';

/**
 * Which device a store syncs as. The server keeps each device's push position and treats every change
 * at or below it as applied; the device then drops those changes from its outbox. Two stores pushing
 * under one id (a store file copied to a second machine, or a backup restored after later syncs) would
 * therefore lose changes silently. So a marker file beside the store, outside the database, holds the
 * device id, the store's path and a generation that changes at every sync run; the database holds the
 * same generation. A copy (no marker, another path) or a restored file (an older generation) no longer
 * matches, and the store takes a new device id: its outbox is kept and pushed in full under that id
 * (the server ignores values it already has, by their clocks).
 */
interface DeviceMarker {
  deviceId: string;
  store: string;
  generation: string;
}

const GENERATION_KEY = 'device_generation';

export function deviceMarkerPath(storeFile: string): string {
  return path.join(path.dirname(storeFile), `${path.basename(storeFile)}.device.json`);
}

function readMarker(file: string): DeviceMarker | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DeviceMarker>;
    if (typeof parsed.deviceId === 'string' && typeof parsed.store === 'string' && typeof parsed.generation === 'string') return parsed as DeviceMarker;
  } catch {
    // Missing or unreadable: treated like a copy (a new device id costs nothing).
  }
  return null;
}

function writeMarker(file: string, marker: DeviceMarker): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

function storePath(db: Db): string | null {
  const name = db.$client.name;
  if (!name || name === ':memory:' || db.$client.memory) return null;
  try {
    return fs.realpathSync(name);
  } catch {
    return path.resolve(name);
  }
}

/**
 * The device id to sync as, checked against the marker, and a new generation for this run (call with
 * the sync lock held, before anything is pushed). Logs why when the id changes.
 */
export function syncDeviceId(db: Db, log: (line: string) => void, now = Date.now()): string {
  const store = storePath(db);
  if (!store) return deviceId(db);
  const markerFile = deviceMarkerPath(store);
  const known = readState(db, 'device_id');
  const generation = readState(db, GENERATION_KEY);
  const marker = readMarker(markerFile);
  let id = known ?? deviceId(db);
  if (known) {
    const reason = !marker
      ? 'no device marker beside the store: its first sync here, or a copy'
      : marker.store !== store
        ? 'the store was moved or copied from another folder'
        : marker.deviceId !== known
          ? 'the marker belongs to another device id'
          : marker.generation !== generation
            ? 'the store was restored from an older copy'
            : null;
    if (reason) {
      id = db.$client.transaction(() => renewDeviceId(db, now))();
      log(`[sync] this store now syncs as a new device (${reason}); its pending changes are kept and sent under the new id`);
    }
  }
  const next = crypto.randomUUID();
  writeState(db, GENERATION_KEY, next);
  writeMarker(markerFile, { deviceId: id, store, generation: next });
  return id;
}

/** After the server refused the id (registered to another login): a new id, and the marker follows. */
export function replaceRefusedDeviceId(db: Db, log: (line: string) => void, now = Date.now()): string {
  const id = db.$client.transaction(() => renewDeviceId(db, now))();
  log('[sync] the server knows this device id under another sync user; this store now syncs as a new device and keeps its pending changes');
  const store = storePath(db);
  const generation = readState(db, GENERATION_KEY);
  if (store && generation) writeMarker(deviceMarkerPath(store), { deviceId: id, store, generation });
  return id;
}
