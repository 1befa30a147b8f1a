import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { workbookBytes } from '../helpers/pallet-fixtures';
import { launchBrowser, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * Valuation in Chromium against the real core (issue 14 items 2–4): a manifest whose lines mostly have no
 * retail price shows margin and max bid as unknown, not 0; changing an assumption (the target) moves the
 * max bid of a fully valued manifest.
 */
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const byTest = (id: string) => page.getByTestId(id);

function manifest(retail: (i: number) => string | null): Buffer {
  const aoa: (string | number | null)[][] = [['Nazwa produktu', 'Ilość', 'Cena netto', 'Cena detaliczna', 'Stan', 'Paleta']];
  for (let i = 0; i < 10; i++) aoa.push([`Czajnik #${i + 1}`, 1, '20,00 zł', retail(i), 'Nowy', i < 5 ? 'P-1' : 'P-2']);
  return workbookBytes([{ name: 'Arkusz1', aoa }], 'xlsx');
}

async function importManifest(name: string, buffer: Buffer): Promise<void> {
  await byTest('pallets-import').click();
  await byTest('import-dropzone').waitFor();
  await page.locator('[data-testid="import-dropzone"] input[type="file"]').setInputFiles({ name: `${name}.xlsx`, mimeType: XLSX_MIME, buffer });
  await byTest('import-header-preview').waitFor();
  await byTest('import-next').click();
  await byTest('mapping-table').waitFor();
  await byTest('import-next').click();
  await byTest('import-name').fill(name);
  await byTest('import-name').press('Enter');
  await byTest('analysis-view').waitFor();
  await expect.poll(() => byTest('analysis-name').textContent()).toBe(name);
}

const cardValue = (id: string) => byTest(id).getByTestId('summary-value').textContent();

beforeAll(async () => {
  host = await startHeadlessProcess(tempDir());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(20_000);
  errors = watchErrors(page);
  await page.goto(`${host.url}#/pallets`);
  await page.getByTestId('status-bar').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('pallet valuation in the browser', () => {
  it('shows margin and max bid as unknown when most lines have no retail price', async () => {
    await importManifest('bez-cen', manifest((i) => (i < 3 ? '100,00 zł' : null)));
    await expect.poll(() => cardValue('summary-maxbid')).toMatch(/unknown|nieznane/);
    expect(await cardValue('summary-margin')).toMatch(/unknown|nieznane/);
    expect(await byTest('summary-margin').textContent()).toMatch(/3 .*10/);
  });

  it('moves the max bid when the target changes', async () => {
    await importManifest('pelne-ceny', manifest(() => '100,00 zł'));
    await expect.poll(() => cardValue('summary-maxbid')).toMatch(/\d/);
    const before = await cardValue('summary-maxbid');
    await byTest('analysis-view-switch').getByText('Pallets', { exact: true }).click();
    await byTest('assumption-target').fill('100');
    await byTest('assumptions-apply').click();
    await expect.poll(() => cardValue('summary-maxbid')).not.toBe(before);
    expect(await byTest('summary-maxbid').textContent()).toMatch(/100/);
    expect(errors).toEqual([]);
  });
});
