import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { workbookBytes } from '../../src-main/pallets/test-fixtures';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The pallet screens' editing safety and read-outs in Chromium against the real core: closing a
 * changed rule editor or import wizard asks before discarding, Escape in a dropdown closes only the
 * dropdown.
 */
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A small Polish manifest on two pallets; row 3 carries an EAN with a wrong check digit. */
function manifest(): Buffer {
  const aoa: (string | number | null)[][] = [['Lp.', 'Nazwa produktu', 'Kategoria', 'Marka', 'Kod EAN', 'Ilość', 'Cena netto', 'Cena detaliczna', 'Stan', 'Paleta', 'Oznaczenie']];
  const products = ['Wiertarka udarowa', 'Ekspres do kawy', 'Słuchawki', 'Lalka', 'Czajnik', 'Szlifierka'];
  const categories = ['Narzędzia', 'AGD drobne', 'Elektronika', 'Zabawki', 'AGD drobne', 'Narzędzia'];
  for (let i = 0; i < 12; i++) {
    aoa.push([i + 1, `${products[i % 6] ?? '?'} #${i + 1}`, categories[i % 6] ?? null, 'Bosch', i === 2 ? '5901234000071' : '5901234123457', 1 + (i % 2), `${40 + i * 10},00 zł`, `${100 + i * 25},00 zł`, i % 4 === 0 ? 'Używany - dobry' : 'Nowy', i < 6 ? 'P-1' : 'P-2', `OZN-${1000 + i}`]);
  }
  return workbookBytes([{ name: 'Arkusz1', aoa }], 'xlsx');
}

const byTest = (id: string) => page.getByTestId(id);
const confirmShown = () => byTest('discard-confirm').locator('.mantine-Modal-content').isVisible();

async function upload(name: string, buffer: Buffer): Promise<void> {
  await byTest('pallets-import').click();
  await byTest('import-dropzone').waitFor();
  await page.locator('[data-testid="import-dropzone"] input[type="file"]').setInputFiles({ name, mimeType: XLSX_MIME, buffer });
  await byTest('import-header-preview').waitFor();
}

beforeAll(async () => {
  host = await startHeadlessProcess(tempDir());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
  page.setDefaultTimeout(20_000);
  errors = watchErrors(page);
  await page.goto(`${host.url}#/pallets`);
  await page.getByTestId('status-bar').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('pallet editing and valuation in Chromium', () => {
  it('asks before the import wizard discards a changed mapping and details; Escape in a dropdown closes only the dropdown', async () => {
    await upload('manifest.xlsx', manifest());
    await byTest('import-next').click();
    const row = (header: string) => page.locator(`[data-testid="mapping-row"][data-header="${header}"]`);
    await row('Oznaczenie').locator('input').first().click();
    await page.getByRole('option', { name: 'SKU', exact: true }).click();
    await expect.poll(() => row('Oznaczenie').getAttribute('data-field')).toBe('sku');

    // An open dropdown takes Escape for itself: no question, the wizard stays.
    await row('Marka').locator('input').first().click();
    await page.getByRole('listbox').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    expect(await confirmShown()).toBe(false);
    expect(await byTest('mapping-table').isVisible()).toBe(true);

    await byTest('import-next').click();
    await byTest('import-name').fill('Paleta testowa');
    await byTest('import-supplier').fill('Hurtownia X');

    // Escape asks; Escape on the question returns to the form with everything kept.
    await page.keyboard.press('Escape');
    await byTest('discard-keep').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('discard-keep');
    await page.waitForTimeout(300); // let the question fade in for the screenshot
    await screenshot(page, 'pallets-wizard-discard-confirm');
    await page.keyboard.press('Escape');
    await byTest('discard-keep').waitFor({ state: 'detached' });
    expect(await byTest('import-name').inputValue()).toBe('Paleta testowa');
    expect(await byTest('import-supplier').inputValue()).toBe('Hurtownia X');

    // Enter on the focused "Keep editing" returns too.
    await page.keyboard.press('Escape');
    await byTest('discard-keep').waitFor();
    await page.keyboard.press('Enter');
    await byTest('discard-keep').waitFor({ state: 'detached' });
    expect(await byTest('import-name').inputValue()).toBe('Paleta testowa');

    // The × asks too; Discard closes the wizard.
    await byTest('import-wizard').locator('.mantine-Modal-close').click();
    await byTest('discard-discard').click();
    await byTest('import-dropzone').waitFor({ state: 'detached' });
    await byTest('import-name').waitFor({ state: 'detached' });
  });

  it('closes an unchanged wizard at once', async () => {
    await upload('manifest.xlsx', manifest());
    await page.keyboard.press('Escape');
    await byTest('import-header-preview').waitFor({ state: 'detached' });
    expect(await confirmShown()).toBe(false);
  });

  it('asks before the rule editor discards a typed draft; an untouched editor closes at once', async () => {
    await byTest('pallets-tab-rules').click();
    await byTest('rule-new').click();
    await byTest('rule-name').waitFor();
    await page.keyboard.press('Escape');
    await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    expect(await confirmShown()).toBe(false);

    await byTest('rule-new').click();
    await byTest('rule-name').fill('Szkic reguły');
    await page.keyboard.press('Escape');
    await byTest('discard-keep').waitFor();
    expect(await byTest('rule-modal').locator('.mantine-Modal-content').isVisible()).toBe(true);
    await page.waitForTimeout(300);
    await screenshot(page, 'pallets-rule-discard-confirm');
    await page.keyboard.press('Escape');
    await byTest('discard-keep').waitFor({ state: 'detached' });
    expect(await byTest('rule-name').inputValue()).toBe('Szkic reguły');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rule-name');

    // Cancel asks as well; Discard drops the draft and saves nothing.
    await byTest('rule-cancel').click();
    await byTest('discard-discard').click();
    await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="rule-row"][data-name="Szkic reguły"]').count()).toBe(0);
    await byTest('rule-new').click();
    expect(await byTest('rule-name').inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    await byTest('pallets-tab-analyses').click();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
