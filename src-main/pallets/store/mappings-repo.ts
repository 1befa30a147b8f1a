import { eq } from 'drizzle-orm';
import { foldWords } from '@shared/pallets/text';
import type { MappingOverride } from '@shared/pallets/mapper';
import { MappingOverrideSchema } from '@shared/pallets/schemas';
import type { Db } from '@main/db/open';
import { columnMappings } from '@main/db/schema';
import { insertSynced, updateSynced } from '@main/db/synced-repo';

export interface RememberedMapping {
  override: MappingOverride;
  supplier: string | null;
  /** How it was found: the same header layout, or the same supplier with another layout. */
  match: 'signature' | 'supplier';
}

function parseOverride(json: string): MappingOverride | null {
  try {
    const parsed = MappingOverrideSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Suppliers compare folded ("Hurtownia Zwrotów" = "hurtownia zwrotow"). */
function supplierKey(supplier: string | null | undefined): string | null {
  const key = supplier ? foldWords(supplier) : '';
  return key === '' ? null : key;
}

/**
 * The mapping remembered for this header layout, else the latest one remembered for this supplier (its
 * columns are matched by header name, so a supplier's slightly changed template still benefits).
 */
export function findRememberedMapping(db: Db, signature: string, supplier?: string | null): RememberedMapping | null {
  const bySignature = db.select().from(columnMappings).where(eq(columnMappings.headerSignature, signature)).get();
  if (bySignature && bySignature.deletedAt === null) {
    const override = parseOverride(bySignature.mappingJson);
    if (override) return { override, supplier: bySignature.supplier, match: 'signature' };
  }
  const wanted = supplierKey(supplier);
  if (!wanted) return null;
  const rows = db.$client.prepare('SELECT supplier, mapping_json FROM column_mappings WHERE deleted_at IS NULL AND supplier IS NOT NULL ORDER BY updated_at DESC').all() as { supplier: string; mapping_json: string }[];
  for (const row of rows) {
    if (supplierKey(row.supplier) !== wanted) continue;
    const override = parseOverride(row.mapping_json);
    if (override) return { override, supplier: row.supplier, match: 'supplier' };
  }
  return null;
}

/** Remembers a confirmed mapping under its header signature (one row per signature, revived if deleted). */
export function rememberMapping(db: Db, override: MappingOverride, supplier: string | null, now = Date.now()): void {
  const mappingJson = JSON.stringify(override);
  const existing = db.select().from(columnMappings).where(eq(columnMappings.headerSignature, override.signature)).get();
  if (existing) {
    updateSynced(db, columnMappings, existing.id, { mappingJson, supplier: supplier ?? existing.supplier, deletedAt: null }, now);
    return;
  }
  insertSynced(db, columnMappings, { headerSignature: override.signature, supplier, mappingJson }, now);
}
