import { foldWords } from '@shared/pallets/text';
import type { Db } from '@main/db/open';

/**
 * The currency of this supplier's latest import (issue 14 item 1): a file that names no currency is most
 * likely in the one the same supplier's last file was in. Suppliers match as mappings do (folded name).
 */
export function lastSupplierCurrency(db: Db, supplier: string | null | undefined): string | null {
  const wanted = supplier ? foldWords(supplier) : '';
  if (wanted === '') return null;
  const rows = db.$client
    .prepare('SELECT supplier, currency FROM analyses WHERE deleted_at IS NULL AND supplier IS NOT NULL AND currency IS NOT NULL ORDER BY created_at DESC LIMIT 200')
    .all() as { supplier: string; currency: string }[];
  return rows.find((r) => foldWords(r.supplier) === wanted)?.currency ?? null;
}
