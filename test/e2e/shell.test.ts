import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  host = await startHeadlessProcess(tempDir());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  errors = watchErrors(page);
  await page.goto(host.url);
  await page.getByTestId('status-bar').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const title = () => page.getByTestId('page-title').or(page.getByRole('heading', { level: 2 })).first();

describe('app shell in Chromium through the headless host', () => {
  it('shows the status bar with database health', async () => {
    await expect(page.getByTestId('status-db').textContent()).resolves.toMatch(/Database OK/);
    await expect(page.getByTestId('status-online').textContent()).resolves.toMatch(/Online|Offline/);
  });

  it('navigates every page by click and by keyboard', async () => {
    for (const [nav, heading] of [['pallets', 'Pallets'], ['dashboard', 'Dashboard'], ['settings', 'Settings'], ['coach', 'Coach']] as const) {
      await page.getByTestId(`nav-${nav}`).click();
      await expect.poll(() => title().textContent()).toBe(heading);
      expect(new URL(page.url()).hash).toBe(`#/${nav}`);
    }
    await page.keyboard.press('Control+2');
    await expect.poll(() => title().textContent()).toBe('Pallets');
    await page.keyboard.press('Control+4');
    await expect.poll(() => title().textContent()).toBe('Settings');
    await screenshot(page, 'shell-en');
  });

  it('switches language and theme, changes a setting, and keeps them after a reload', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await expect.poll(() => page.getByTestId('nav-coach').textContent()).toContain('Trener');
    await page.getByText('Ciemny').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    const vat = page.getByTestId('settings-vat');
    await vat.fill('8');
    await vat.blur();
    await expect.poll(() => page.getByText('Zapisano').count()).toBeGreaterThan(0);
    await screenshot(page, 'shell-pl-dark');

    await page.reload();
    await page.getByTestId('status-bar').waitFor();
    await expect.poll(() => page.getByTestId('nav-coach').textContent()).toContain('Trener');
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    expect(await page.getByTestId('settings-vat').inputValue()).toBe('8');
    expect(await title().textContent()).toBe('Ustawienia');
    await screenshot(page, 'shell-pl-after-reload');

    await page.getByText('Jasny').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('raised no page errors and wrote screenshots', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/shell-en.png')).toBe(true);
  });
});
