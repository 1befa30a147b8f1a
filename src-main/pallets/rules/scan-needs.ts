import type { Condition, Rule, VirtualField } from '@shared/pallets/rules';
import { COLUMN_FIELDS, EXTRA_FIELDS, type ColumnField } from '../store/line-codec';
import type { ScanNeeds } from '../store/lines-repo';

/** What the valuation reads of a line (always read: a re-score and a revalue value every line). */
const VALUATION_COLUMNS: readonly ColumnField[] = ['pallet_id', 'quantity', 'currency', 'price_net', 'retail_price', 'condition', 'category'];
/** The columns a virtual rule field is computed from. */
const VIRTUAL_COLUMNS: Record<VirtualField, readonly ColumnField[]> = {
  unit_cost: ['price_net'],
  line_cost: ['price_net', 'quantity'],
  line_retail: ['retail_price', 'quantity'],
  discount: ['price_net', 'retail_price'],
  ean_status: ['ean'],
  issues: [],
};

/**
 * What a pass scoring with `rules` reads of each line: the columns its rules and the valuation test
 * (a column nobody tests is not turned into 100k JavaScript strings); issues only for a rule on `issues`
 * (all lines) or on `ean_status` (lines without an EAN: a line with one is 'valid' whatever its issues);
 * the values without a column only for a rule on one of them. Most rule sets parse no JSON at all.
 */
export function scanNeeds(...ruleSets: (readonly Rule[])[]): ScanNeeds {
  const fields = new Set<string>();
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else fields.add(c.field);
  };
  for (const rules of ruleSets) for (const r of rules) if (r.enabled) visit(r.when);
  const columns = new Set<ColumnField>(VALUATION_COLUMNS);
  for (const field of fields) {
    if ((COLUMN_FIELDS as readonly string[]).includes(field)) columns.add(field as ColumnField);
    else if (Object.hasOwn(VIRTUAL_COLUMNS, field)) for (const c of VIRTUAL_COLUMNS[field as VirtualField]) columns.add(c);
    else if (!(EXTRA_FIELDS as readonly string[]).includes(field)) for (const c of COLUMN_FIELDS) columns.add(c);
  }
  return {
    columns: COLUMN_FIELDS.filter((c) => columns.has(c)),
    issues: fields.has('issues') ? 'all' : fields.has('ean_status') ? 'without-ean' : 'none',
    extra: EXTRA_FIELDS.some((f) => fields.has(f)),
  };
}
