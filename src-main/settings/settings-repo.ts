import type { Db } from '../db/open';

/** Settings are stored one key per row as JSON, so adding a setting needs no migration. */
export function readSettingsRows(db: Db): Map<string, unknown> {
  const rows = db.$client.prepare('SELECT key, value_json AS value FROM settings').all() as { key: string; value: string }[];
  const out = new Map<string, unknown>();
  for (const row of rows) {
    try {
      out.set(row.key, JSON.parse(row.value));
    } catch {
      // A corrupt value falls back to the default rather than breaking start-up.
    }
  }
  return out;
}

export function writeSettingsRows(db: Db, values: Record<string, unknown>, now = Date.now()): void {
  const stmt = db.$client.prepare(
    'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
  );
  db.$client.transaction(() => {
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined) stmt.run(key, JSON.stringify(value), now);
    }
  })();
}
