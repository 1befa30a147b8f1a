import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { workbookBytes } from '../helpers/pallet-fixtures';
import type { RequestOutput } from '@shared/contract';
import { formatMoneyRange, formatPercent, formatRange } from '@renderer/features/pallets/format';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The pallet screens' editing safety and read-outs in Chromium against the real core: closing a
 * changed rule editor or import wizard asks before discarding, Escape in a dropdown closes only the
 * dropdown; each pallet's expected resale and ROI are shown as the core computes them.
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

/** Asks the core directly (its own WebSocket with the page's token), not through the app's stores. */
async function backend<C extends 'pallets:analysis' | 'pallets:dashboard'>(channel: C, input: { analysisId: string }): Promise<RequestOutput<C>> {
  const text = await page.evaluate(
    async ({ channel, input }) => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
      await new Promise((resolve) => (ws.onopen = resolve));
      const answer = await new Promise<string>((resolve) => {
        ws.onmessage = (message) => {
          const data = String(message.data);
          if ((JSON.parse(data) as { t: string }).t === 'res') resolve(data);
        };
        ws.send(JSON.stringify({ t: 'req', id: 1, channel, input }));
      });
      ws.close();
      return answer;
    },
    { channel, input },
  );
  const frame = JSON.parse(text) as { envelope: { ok: true; value: RequestOutput<C> } | { ok: false; error: { message: string } } };
  if (!frame.envelope.ok) throw new Error(frame.envelope.error.message);
  return frame.envelope.value;
}

/** Badges under `selector` whose label is cut (ellipsis) or that stick out of their cell: none is expected. */
function cutBadges(selector: string): Promise<string[]> {
  return page.$$eval(selector, (badges) =>
    badges
      .filter((badge) => {
        const label = badge.querySelector('.mantine-Badge-label') ?? badge;
        const cell = badge.closest('td, [data-col]');
        const cut = label.scrollWidth > label.clientWidth + 0.5 || badge.scrollWidth > badge.clientWidth + 0.5;
        return cut || (cell !== null && badge.getBoundingClientRect().right > cell.getBoundingClientRect().right + 0.5);
      })
      .map((badge) => badge.textContent ?? ''),
  );
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
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('discard-keep');
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

  let analysisId = '';

  it('imports the manifest with a price paid above its value (a loss on both pallets)', async () => {
    await upload('manifest.xlsx', manifest());
    await byTest('import-next').click();
    await byTest('mapping-table').waitFor();
    await byTest('import-next').click();
    await byTest('import-name').fill('Paleta stratna');
    await byTest('import-pallet-price').fill('100000');
    await byTest('import-name').press('Enter');
    await byTest('analysis-view').waitFor();
    await expect.poll(() => byTest('analysis-name').textContent()).toBe('Paleta stratna');
    analysisId = (await byTest('analysis-view').getAttribute('data-id')) ?? '';
    expect(analysisId).not.toBe('');
  });

  it('lists each pallet with its resale range, margin and ROI as the core computes them', async () => {
    const { valuation } = await backend('pallets:analysis', { analysisId });
    expect(valuation.pallets.map((p) => p.palletId)).toEqual(['P-1', 'P-2']);
    await byTest('analysis-view-switch').getByText('Pallets', { exact: true }).click();
    await byTest('pallet-valuation').waitFor();
    expect(await byTest('pallet-valuation-row').count()).toBe(2);
    for (const p of valuation.pallets) {
      const row = page.locator(`[data-testid="pallet-valuation-row"][data-pallet="${p.palletId ?? ''}"]`);
      expect(p.resale.low).toBeLessThan(p.resale.high);
      expect(p.roi).not.toBeNull();
      expect(await row.locator('[data-col="resale"]').textContent()).toBe(formatMoneyRange(p.resale, p.currency, 'en'));
      expect(await row.locator('[data-col="margin"]').textContent()).toBe(formatMoneyRange(p.margin, p.currency, 'en'));
      expect(await row.locator('[data-col="roi"]').textContent()).toBe(formatRange(p.roi, (n) => formatPercent(n, 'en')));
    }
    await screenshot(page, 'pallets-valuation-table');

    // Enter on a row opens that pallet's lines.
    await page.locator('[data-testid="pallet-valuation-row"][data-pallet="P-2"]').focus();
    await page.keyboard.press('Enter');
    await byTest('lines-table').waitFor();
    await expect.poll(() => byTest('lines-table').getAttribute('data-total')).toBe('6');
    await byTest('filter-clear').click();
  });

  it('shows resale and ROI in the per-pallet chart tooltip', async () => {
    const dashboard = await backend('pallets:dashboard', { analysisId });
    await byTest('analysis-view-switch').getByText('Charts', { exact: true }).click();
    await expect.poll(() => byTest('pallet-chart-pallets').locator('[data-testid="chart-link"]').count()).toBe(2);
    await page.waitForTimeout(600); // the bars grow in: hover once they are in place
    const chart = byTest('pallet-chart-pallets').locator('.recharts-wrapper');
    const box = await chart.boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    // The first of two bar groups sits in the left half of the plot.
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    const tooltip = byTest('pallet-tooltip');
    await tooltip.waitFor();
    // The chart lists pallets by retail value, largest first.
    expect(await tooltip.getAttribute('data-pallet')).toBe(dashboard.pallets[0]?.palletId);
    const first = dashboard.pallets[0];
    if (!first || first.cost === null) throw new Error('the manifest prices its pallets: the first must have a cost');
    const currency = (await backend('pallets:analysis', { analysisId })).analysis.currency;
    expect(await tooltip.locator('[data-row="resale"] td').last().textContent()).toBe(formatMoneyRange({ low: first.resaleLow, high: first.resaleHigh }, currency, 'en'));
    // The core's ROI, which is margin over cost.
    const roi = { low: first.roiLow ?? NaN, high: first.roiHigh ?? NaN };
    expect(roi.low).toBeCloseTo((first.resaleLow - first.cost) / first.cost, 3);
    expect(await tooltip.locator('[data-row="roi"] td').last().textContent()).toBe(formatRange(roi, (n) => formatPercent(n, 'en')));
    await screenshot(page, 'pallets-chart-tooltip');
    await page.mouse.move(0, 0);
  });

  it('writes a negative margin range with real minus signs and never breaks inside a value', async () => {
    const { valuation } = await backend('pallets:analysis', { analysisId });
    expect(valuation.margin?.high).toBeLessThan(0);
    // Narrow cards make the range wrap: it may only wrap between its two values.
    await page.setViewportSize({ width: 1100, height: 900 });
    const margin = byTest('summary-margin').getByTestId('summary-value');
    const text = (await margin.textContent()) ?? '';
    expect(text).not.toContain('-');
    expect(text).toBe(formatMoneyRange(valuation.margin, valuation.currency, 'en'));
    expect(text.match(/\u2212/g)?.length).toBe(2);
    const parts = margin.getByTestId('range-part');
    expect(await parts.count()).toBe(2);
    expect(await parts.evaluateAll((spans) => spans.map((span) => span.getClientRects().length))).toEqual([1, 1]);
    expect(await byTest('summary-margin').textContent()).toContain(formatRange(valuation.roi, (n) => formatPercent(n, 'en')));
    await screenshot(page, 'pallets-margin-negative');
    await page.setViewportSize({ width: 1440, height: 960 });
  });

  it('shows whole status and action badges in Polish: lines table, rules table, the wizard\'s sample lines', async () => {
    // Two shipped templates whose actions have the longest Polish labels ("Ostrzegaj", "Preferuj").
    await byTest('pallets-tab-rules').click();
    for (const id of ['tpl-invalid-ean', 'tpl-preferred-brands']) {
      await page.locator(`[data-testid="rule-template"][data-id="${id}"]`).getByTestId('template-add').click();
      await byTest('rule-save').click();
      await byTest('rule-modal').locator('.mantine-Modal-content').waitFor({ state: 'detached' });
    }
    await expect.poll(() => page.locator('[data-testid="rule-row"]').count()).toBeGreaterThanOrEqual(2);

    await byTest('nav-settings').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await byTest('nav-pallets').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Palety');

    await byTest('pallets-tab-rules').click();
    await byTest('rules-table').waitFor();
    expect(await page.locator('[data-testid="rules-table"] [data-action="warn"]').first().textContent()).toBe('Ostrzegaj');
    expect(await cutBadges('[data-testid="rules-table"] .mantine-Badge-root')).toEqual([]);
    expect(await cutBadges('[data-testid="rule-templates"] [data-action]')).toEqual([]);
    await screenshot(page, 'pallets-rules-pl');

    await byTest('pallets-tab-analyses').click();
    await byTest('analysis-view-switch').getByText('Pozycje', { exact: true }).click();
    await byTest('lines-table').waitFor();
    await expect.poll(() => page.locator('[data-testid="line-row"] [data-status="warning"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="line-row"] [data-status="warning"]').first().textContent()).toBe('Ostrzeżenie');
    expect(await cutBadges('[data-testid="line-row"] [data-col="status"] [data-status]')).toEqual([]);
    await screenshot(page, 'pallets-lines-pl');

    await upload('manifest.xlsx', manifest());
    await byTest('import-next').click();
    await byTest('sample-lines').waitFor();
    await expect.poll(() => page.locator('[data-testid="sample-line"] [data-status="warning"]').count()).toBeGreaterThan(0);
    expect(await cutBadges('[data-testid="sample-line"] [data-status]')).toEqual([]);
    await screenshot(page, 'pallets-wizard-mapping-pl');
    await page.keyboard.press('Escape');
    await byTest('sample-lines').waitFor({ state: 'detached' });
  });

  it('shows the shipped templates and the fired rules\' conditions in Polish, field labels instead of keys', async () => {
    await byTest('pallets-tab-rules').click();
    const template = page.locator('[data-testid="rule-template"][data-id="tpl-invalid-ean"]');
    expect(await template.getByTestId('template-name').textContent()).toBe('Nieprawidłowy EAN');
    expect(await template.getByTestId('template-description').textContent()).toContain('cyfrą kontrolną');
    expect(await template.getByTestId('template-condition').textContent()).toBe('Stan EAN jest błędny');
    const missing = page.locator('[data-testid="rule-template"][data-id="tpl-missing-price"]');
    expect(await missing.getByTestId('template-condition').textContent()).toBe('(Cena netto: brak wartości i Cena brutto: brak wartości i Cena detaliczna: brak wartości)');
    // The shipped rule and the copy added from it in English keep the template's name: both read in Polish.
    const saved = page.locator('[data-testid="rule-row"][data-name="Invalid EAN"]');
    expect(await saved.count()).toBeGreaterThanOrEqual(1);
    expect(await saved.getByText('Nieprawidłowy EAN', { exact: true }).count()).toBe(await saved.count());
    expect(new Set(await saved.getByTestId('rule-condition').allTextContents())).toEqual(new Set(['Stan EAN jest błędny']));
    await screenshot(page, 'pallets-templates-pl');

    await byTest('pallets-tab-analyses').click();
    await byTest('lines-table').waitFor();
    await byTest('filter-status-warning').click();
    await expect.poll(() => byTest('lines-table').getAttribute('data-total')).toBe('1');
    await byTest('lines-table').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const fired = byTest('detail-fired');
    await fired.waitFor();
    await expect.poll(() => fired.textContent()).toContain('Stan EAN jest błędny');
    const text = (await fired.textContent()) ?? '';
    expect(text).toContain('Nieprawidłowy EAN');
    expect(text).not.toContain('ean_status');
    expect(text).not.toContain('brand');
    // The core's English explanation sentence is not shown in Polish; the table above says it in Polish.
    expect(await byTest('line-detail').textContent()).not.toMatch(/Warning \(score|ean_status/);
    // The manifest has a net price and no gross column: the gross price says it was computed.
    expect(await byTest('detail-values').locator('[data-field="price_gross"]').textContent()).toContain('wyliczona z ceny netto i VAT');
    expect(await byTest('detail-values').locator('[data-field="price_net"] [data-testid="detail-derived"]').count()).toBe(0);
    await page.waitForTimeout(400); // the drawer slides in
    await screenshot(page, 'pallets-line-detail-pl');
    await page.keyboard.press('Escape');
    await fired.waitFor({ state: 'detached' });
    await byTest('filter-clear').click();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
