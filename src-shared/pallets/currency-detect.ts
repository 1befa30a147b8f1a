import type { CellValue } from './fields';
import { normaliseCurrency, parseNumber } from './numbers';
import { foldWords } from './text';

/*
 * A sheet's currency when the cells of a line do not name one (issue 14 item 1): a currency column, a
 * currency glued to a price header, the amounts of the sample, the title block above the table, the
 * supplier's last import; else nothing, and the user is asked.
 */

/** Where a sheet's currency came from, most trusted first; `supplier`: the supplier's last import. */
export interface DetectedCurrency {
  code: string;
  source: 'column' | 'header' | 'cells' | 'title' | 'supplier';
}

/** The currency most of these amounts name ("12,50 €"), or null when none names one. */
export function dominantCurrency(samples: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const c = parseNumber(s, null)?.currency ?? null;
    if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | null = null;
  let most = 0;
  for (const [c, n] of counts) {
    if (n > most) {
      best = c;
      most = n;
    }
  }
  return best;
}

/** A currency named in the title block or beside the header: a currency cell after a label, or amounts with a symbol. */
export function blockCurrency(rows: readonly (readonly CellValue[])[]): string | null {
  const amounts: string[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v !== 'string') continue;
      const t = v.trim();
      if (t.length > 40) continue;
      const label = foldWords(typeof row[c - 1] === 'string' ? (row[c - 1] as string) : '');
      if (/^(?:currency|waluta|mena|wahrung|ccy)$/.test(label) && t.length <= 12) {
        const code = normaliseCurrency(t);
        if (code !== null) return code;
      }
      amounts.push(t);
    }
  }
  return dominantCurrency(amounts);
}

/** The currency most cells of a currency column name. */
export function columnCurrency(samples: readonly string[]): DetectedCurrency | null {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const c = normaliseCurrency(s);
    if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best ? { code: best[0], source: 'column' } : null;
}

