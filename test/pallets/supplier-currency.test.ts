import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, importFile, rid, upload } from '../helpers/pallets-channels';
import { createTempCore, tempDir } from '../helpers/temp-core';

/*
 * Currency detection through the channels (issue 14 item 1): a file that names no currency takes its
 * supplier's last one; a currency the user chose wins over what the file's header says.
 */

const core = createTempCore();
afterAll(() => core.close());

function csv(name: string, text: string): string {
  const path = join(tempDir('fm-supplier-ccy-'), name);
  writeFileSync(path, text, 'utf8');
  return path;
}

describe('currency of a manifest', () => {
  it('takes the supplier’s last import currency when the file names none, and says where it came from', async () => {
    const first = await importFile(core, csv('first.csv', 'Name,Qty,Price EUR\nKettle,1,10\nToaster,2,20\n'), { supplier: 'Euro Lots GmbH' });
    expect(first.preview.detectedCurrency).toEqual({ code: 'EUR', source: 'header' });
    const bare = csv('bare.csv', 'Name,Qty,Price\nKettle,1,10\nToaster,2,20\n');
    const opened = await call(core, 'pallets:open', { requestId: rid(), source: await upload(core, bare) });
    const known = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId, supplier: 'euro lots gmbh' });
    expect(known.detectedCurrency).toEqual({ code: 'EUR', source: 'supplier' });
    expect(known.sample[0]?.values.currency).toBe('EUR');
    const unknown = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId, supplier: 'Someone Else' });
    expect(unknown.detectedCurrency).toBeNull();
    expect(unknown.warnings.join(' ')).toContain('No currency is named');
  });

  it('lets the user’s currency win over a header’s, while a cell naming its own keeps it', async () => {
    const file = csv('usd.csv', 'Name,Qty,Price (USD)\nKettle,1,10\nToaster,2,£20\n');
    const opened = await call(core, 'pallets:open', { requestId: rid(), source: await upload(core, file) });
    const preview = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId, currency: 'CAD' });
    expect(preview.detectedCurrency).toEqual({ code: 'USD', source: 'header' });
    expect(preview.sample.map((l) => l.values.currency)).toEqual(['CAD', 'GBP']);
  });
});
