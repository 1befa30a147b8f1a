import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as XLSX from 'xlsx';
import { largeManifestAoa, workbookBytes } from '../helpers/pallet-fixtures';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The pallet screens in Chromium against the real core through the headless host: import a Polish
 * manifest through the wizard (fixing one column in the preview), see the lines scored, add a rule
 * and watch its preview and then the statuses change, open a line, export and read the file back,
 * follow the charts into the filtered table, and import and scroll 100,000 lines in the virtualised table.
 */
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const INJECTION = '=HYPERLINK("http://evil.example","kliknij")';

function eanCheck(digits12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}
const ean13 = (n: number) => {
  const base = String(590123400000 + n);
  return base + String(eanCheck(base));
};

const PRODUCTS: [string, string, string][] = [
  ['Klocki konstrukcyjne Straż Pożarna', 'Zabawki', 'LEGO'],
  ['Wiertarka udarowa 750W', 'Narzędzia', 'Makita'],
  ['Ekspres do kawy automatyczny', 'AGD drobne', 'Philips'],
  ['Słuchawki bezprzewodowe', 'Elektronika', 'Sony'],
  ['Wąż ogrodowy 20 m', 'Ogród', 'Gardena'],
  ['Lalka interaktywna', 'Zabawki', 'Mattel'],
  ['Szlifierka kątowa', 'Narzędzia', 'Bosch'],
  ['Czajnik elektryczny 1,7 l', 'AGD drobne', 'Tefal'],
];
const TOY_LINES = 6;

/** A Polish wholesaler's manifest: a title row and a blank row above the header, EAN codes, an "Oznaczenie" (article code) column the mapper places by its values, warehouse notes it should not map. */
function polishManifest(): Buffer {
  const aoa: (string | number | null)[][] = [['Manifest palety nr 7/2026 — Hurtownia Testowa Sp. z o.o.'], [], ['Lp.', 'Nazwa produktu', 'Kategoria', 'Marka', 'Kod EAN', 'Ilość', 'Cena netto', 'Cena detaliczna', 'Stan', 'Paleta', 'Oznaczenie', 'Uwagi magazynu']];
  for (let i = 0; i < 24; i++) {
    const [name, category, brand] = PRODUCTS[i % PRODUCTS.length] ?? ['?', '?', '?'];
    const net = 20 + ((i * 37) % 300);
    aoa.push([
      i + 1,
      i === 3 ? INJECTION : `${name} #${i + 1}`,
      category,
      brand,
      i === 7 ? '5901234000071' : ean13(i),
      1 + (i % 3),
      `${net},50 zł`,
      `${net * 2},00 zł`,
      i % 5 === 0 ? 'Używany - dobry' : 'Nowy',
      i < 12 ? 'P-7/1' : 'P-7/2',
      `OZN-${String(1000 + i)}`,
      i % 4 === 0 ? 'karton uszkodzony' : null,
    ]);
  }
  return workbookBytes([{ name: 'Arkusz1', aoa }], 'xlsx');
}

const byTest = (id: string) => page.getByTestId(id);
const count = async (status: 'ok' | 'warning' | 'blocked') => Number(await byTest('summary-lines').getByTestId(`count-${status}`).getAttribute('data-count'));
const total = async () => Number(await byTest('lines-table').getAttribute('data-total'));

async function upload(name: string, buffer: Buffer, mimeType: string): Promise<void> {
  await byTest('pallets-import').click();
  await byTest('import-dropzone').waitFor();
  await page.locator('[data-testid="import-dropzone"] input[type="file"]').setInputFiles({ name, mimeType, buffer });
}

async function pick(selectTestId: string, option: string): Promise<void> {
  await byTest(selectTestId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Switches the theme on the Settings page by its visible label ("Dark", or "Jasny" in Polish). */
async function setTheme(label: string, scheme: 'dark' | 'light'): Promise<void> {
  await byTest('nav-settings').click();
  await page.getByText(label, { exact: true }).click();
  await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe(scheme);
  await byTest('nav-pallets').click();
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

describe('pallet analysis in Chromium through the headless host', () => {
  it('shows the empty pallet page with the translated title', async () => {
    await expect.poll(() => byTest('page-title').textContent()).toBe('Pallets');
    await byTest('analyses-empty').waitFor();
    await screenshot(page, 'pallets-empty');
  });

  it('says in one sentence why a broken file cannot be opened', async () => {
    await upload('broken.xlsx', Buffer.from('PK\u0003\u0004 this is not really a workbook'), XLSX_MIME);
    const alert = byTest('import-file-error');
    await alert.waitFor();
    expect((await alert.textContent())?.length).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    await byTest('import-dropzone').waitFor({ state: 'detached' });
  });

  it('imports a Polish manifest: header row detected, one column fixed in the preview', async () => {
    await upload('manifest-pl.xlsx', polishManifest(), XLSX_MIME);
    await byTest('import-header-preview').waitFor();
    expect(await byTest('import-header-row').inputValue()).toBe('3');
    await screenshot(page, 'pallets-wizard-sheet');

    await byTest('import-next').click();
    const row = (header: string) => page.locator(`[data-testid="mapping-row"][data-header="${header}"]`);
    await row('Kod EAN').waitFor();
    expect(await row('Kod EAN').getAttribute('data-field')).toBe('ean');
    expect(await row('Nazwa produktu').getAttribute('data-field')).toBe('name');
    expect(await row('Cena netto').getAttribute('data-field')).toBe('price_net');
    // "Oznaczenie" has no known header, but its cells are article codes: the mapper reads them as SKU.
    expect(await row('Oznaczenie').getAttribute('data-field')).toBe('sku');
    expect(await byTest('sample-line').count()).toBeGreaterThan(0);

    // The warehouse notes describe the box, not the product: the analyst keeps them as a description.
    await row('Uwagi magazynu').locator('input').first().click();
    await page.getByRole('option', { name: 'Description', exact: true }).click();
    await expect.poll(() => row('Uwagi magazynu').getAttribute('data-field')).toBe('description');
    await screenshot(page, 'pallets-wizard-mapping');

    await byTest('import-next').click();
    await byTest('import-name').fill('Paleta 7/2026');
    await byTest('import-supplier').fill('Hurtownia Testowa');
    await byTest('import-pallet-price').fill('1500');
    await screenshot(page, 'pallets-wizard-details');
    await byTest('import-name').press('Enter');

    await byTest('analysis-view').waitFor();
    await byTest('import-running').waitFor({ state: 'detached' });
    await expect.poll(() => byTest('analysis-name').textContent()).toBe('Paleta 7/2026');
    await expect.poll(total).toBe(24);
    expect((await count('ok')) + (await count('warning')) + (await count('blocked'))).toBe(24);
    await expect.poll(() => byTest('line-row').first().getAttribute('data-status')).toMatch(/^(ok|warning|blocked)$/);
    expect(await byTest('summary-retail').getByTestId('summary-value').textContent()).not.toBe('—');
    await screenshot(page, 'pallets-analysis');
  });

  it('detects a re-import of the same file and offers a new analysis or a replacement', async () => {
    await upload('manifest-pl.xlsx', polishManifest(), XLSX_MIME);
    await byTest('import-duplicates').waitFor();
    expect(await byTest('import-duplicates').textContent()).toContain('Paleta 7/2026');
    expect(await byTest('duplicate-replace').count()).toBe(1);
    await page.keyboard.press('Escape');
    await byTest('import-duplicates').waitFor({ state: 'detached' });
  });

  let toyScoreBefore = 0;
  let blockedBefore = 0;

  it('previews a new rule (block toys) and, once saved, re-scores the lines', async () => {
    await byTest('filter-category').click();
    await page.getByRole('option', { name: 'Toys', exact: true }).click();
    await expect.poll(total).toBe(TOY_LINES);
    toyScoreBefore = Number(await byTest('line-row').first().locator('[data-col="score"]').textContent());
    await byTest('filter-clear').click();
    await expect.poll(total).toBe(24);
    blockedBefore = await count('blocked');

    await byTest('pallets-tab-rules').click();
    await byTest('rule-new').click();
    await byTest('rule-name').fill('Bez zabawek');
    await byTest('rule-type').getByText('Category', { exact: true }).click();
    await byTest('rule-action').getByText('Block', { exact: true }).click();
    await pick('condition-value', 'Toys');
    await expect.poll(() => byTest('rule-preview').getAttribute('data-changed')).not.toBe('');
    const changed = Number(await byTest('rule-preview').getAttribute('data-changed'));
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(TOY_LINES);
    expect(await byTest('rule-preview-summary').textContent()).toContain(`${changed} of 24`);
    await screenshot(page, 'pallets-rule-editor');

    await byTest('rule-save').click();
    await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="rule-row"][data-name="Bez zabawek"]').count()).toBe(1);
    await screenshot(page, 'pallets-rules');

    await byTest('pallets-tab-analyses').click();
    await byTest('analysis-view').waitFor();
    await expect.poll(() => count('blocked')).toBe(blockedBefore + changed);
    await byTest('filter-category').click();
    await page.getByRole('option', { name: 'Toys', exact: true }).click();
    await expect.poll(total).toBe(TOY_LINES);
    await expect.poll(() => page.locator('[data-testid="line-row"][data-status="blocked"]').count()).toBe(TOY_LINES);
    const toyScoreAfter = Number(await byTest('line-row').first().locator('[data-col="score"]').textContent());
    expect(toyScoreAfter).toBeLessThan(toyScoreBefore);
  });

  it('opens a line from the keyboard and shows the rule that fired and the original cells', async () => {
    await byTest('lines-table').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const detail = byTest('line-detail');
    await detail.waitFor();
    expect(await byTest('detail-fired').textContent()).toContain('Bez zabawek');
    expect(await byTest('detail-source').textContent()).toContain('Uwagi magazynu');
    expect(await byTest('detail-values').locator('[data-field="sku"]').textContent()).toMatch(/OZN-\d{4}/);
    await page.waitForTimeout(400); // the drawer slides in: let it settle for the screenshot
    await screenshot(page, 'pallets-line-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await byTest('filter-clear').click();
    await expect.poll(total).toBe(24);
  });

  it('exports the analysis to .xlsx with every text cell safe from formula injection', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), byTest('analysis-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer', cellFormula: true });
    const cells = wb.SheetNames.flatMap((name) => {
      const ws = wb.Sheets[name];
      return ws ? Object.entries(ws).filter(([addr]) => !addr.startsWith('!')).map(([, cell]) => cell as XLSX.CellObject) : [];
    });
    expect(cells.filter((c) => c.f !== undefined)).toEqual([]);
    // Text that looks like a formula is written as a typed string cell (never evaluated) and kept as the
    // supplier wrote it: no cell carries a formula, and no visible apostrophe is added to the value.
    const texts = cells.filter((c) => c.t === 's').map((c) => String(c.v));
    const formulaLike = texts.filter((v) => /^\s*[=+\-@\t\r\n]/.test(v));
    expect(formulaLike.some((v) => v.startsWith('=HYPERLINK("http://evil.example"'))).toBe(true);
    expect(texts.filter((v) => v.startsWith("'="))).toEqual([]);
    expect(texts.some((v) => v.includes('Klocki konstrukcyjne'))).toBe(true);
  });

  it('follows the charts into the filtered table', async () => {
    const blocked = await count('blocked');
    await byTest('analysis-view-switch').getByText('Charts', { exact: true }).click();
    await byTest('pallet-dashboard').waitFor();
    await expect.poll(() => byTest('pallet-chart-status').getAttribute('data-empty')).toBe('false');
    await expect.poll(() => byTest('pallet-chart-rules').textContent()).toContain('Bez zabawek');
    expect(await byTest('pallet-chart-categories').locator('[data-testid="chart-link"][data-key="toys"]').textContent()).toContain(String(TOY_LINES));
    await expect.poll(() => byTest('pallet-chart-pallets').locator('[data-testid="chart-link"]').count()).toBe(2);
    await page.waitForTimeout(600); // let the chart animations settle for the screenshot
    await screenshot(page, 'pallets-charts');

    await byTest('pallet-chart-status').locator('[data-testid="chart-link"][data-key="blocked"]').click();
    await byTest('lines-table').waitFor();
    await expect.poll(total).toBe(blocked);
    expect(await byTest('filter-status-blocked').locator('input').isChecked()).toBe(true);
    await byTest('filter-clear').click();
  });

  it('shows the pallet dashboard on the Dashboard page', async () => {
    await byTest('nav-dashboard').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Dashboard');
    await byTest('dashboard-tab-pallets').click();
    await byTest('pallet-dashboard').waitFor();
    await expect.poll(() => byTest('pallet-chart-status').getAttribute('data-empty')).toBe('false');
    await screenshot(page, 'pallets-dashboard-page');
    await byTest('pallet-chart-rules').locator('[data-testid="chart-link"]').first().click();
    await byTest('lines-table').waitFor();
    await expect.poll(total).toBeGreaterThan(0);
    await byTest('filter-clear').click();
  });

  it('keeps the open analysis and its filter when switching pages', async () => {
    await byTest('nav-pallets').click();
    await byTest('filter-status-warning').click();
    const warnings = await count('warning');
    await expect.poll(total).toBe(warnings);
    await byTest('nav-coach').click();
    await byTest('nav-pallets').click();
    await byTest('analysis-view').waitFor();
    expect(await byTest('filter-status-warning').locator('input').isChecked()).toBe(true);
    await expect.poll(total).toBe(warnings);
    await byTest('filter-clear').click();
  });

  it('imports 100,000 lines and scrolls them in the virtualised table, fetching windows as it goes', async () => {
    const bytes = workbookBytes([{ name: 'Manifest', aoa: largeManifestAoa(100_000) }], 'xlsx');
    expect(bytes.length).toBeGreaterThan(20_000_000); // many upload chunks
    await upload('liquidation-100k.xlsx', bytes, XLSX_MIME);
    await byTest('import-header-preview').waitFor();
    await byTest('import-next').click();
    await byTest('mapping-table').waitFor();
    await byTest('import-next').click();
    await byTest('import-run').click();
    await byTest('analysis-view').waitFor();
    await expect.poll(() => byTest('analysis-name').textContent(), { timeout: 60_000 }).toBe('liquidation-100k');
    await expect.poll(total, { timeout: 60_000 }).toBe(100_000);
    const rendered = await byTest('line-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(120);

    await byTest('lines-table').focus();
    await page.keyboard.press('End');
    const last = page.locator('[data-testid="line-row"][data-index="99999"]');
    await last.waitFor();
    await expect.poll(() => last.getAttribute('data-line-id')).not.toBeNull();
    expect(await last.locator('[data-col="row"]').textContent()).toBe(String(100_000 + 3));
    // Still a window of rows in the DOM at the far end of the table.
    expect(await byTest('line-row').count()).toBeLessThan(120);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('[data-testid="line-row"][data-index="0"]').getAttribute('data-line-id')).not.toBeNull();

    await byTest('sort-score').click();
    await expect.poll(() => byTest('line-row').first().getAttribute('data-line-id')).not.toBeNull();
    const scores = await page.locator('[data-testid="line-row"] [data-col="score"]').allTextContents();
    const numbers = scores.slice(0, 10).map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    await screenshot(page, 'pallets-large');
  });

  it('looks right in the dark theme and in Polish', async () => {
    await setTheme('Dark', 'dark');
    await byTest('analysis-view').waitFor();
    await screenshot(page, 'pallets-analysis-dark');
    await byTest('analysis-view-switch').getByText('Charts', { exact: true }).click();
    await byTest('pallet-dashboard').waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'pallets-charts-dark');
    await byTest('analysis-view-switch').getByText('Lines', { exact: true }).click();
    await byTest('pallets-tab-rules').click();
    await byTest('rule-new').click();
    await byTest('rule-name').waitFor();
    await screenshot(page, 'pallets-rule-editor-dark');
    await page.keyboard.press('Escape');
    await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    await byTest('pallets-tab-analyses').click();
    await byTest('analysis-back').click();
    await byTest('analyses-table').waitFor();
    expect(await byTest('analysis-row').count()).toBe(2);

    await byTest('nav-settings').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await byTest('nav-pallets').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Palety');
    await screenshot(page, 'pallets-list-pl-dark');
    await setTheme('Jasny', 'light');
    await screenshot(page, 'pallets-list-pl-light');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/pallets-analysis.png')).toBe(true);
  });
});
