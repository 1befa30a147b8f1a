import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

// Issue 18 in Chromium: the first-run guide with sample data loaded and removed, the empty-state
// buttons of each page, store health after an import and a backup, the shortcuts and the About page.
let host: HeadlessProcess | null = null;
let browser: Browser | null = null;

afterEach(async () => {
  await browser?.close();
  await host?.stop();
  browser = null;
  host = null;
});

async function open(dataDir: string, env: Record<string, string> = {}): Promise<{ page: Page; errors: string[] }> {
  host = await startHeadlessProcess(dataDir, env);
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(host.url);
  await page.getByTestId('status-bar').waitFor();
  return { page, errors };
}

const modal = (page: Page, testId: string) => page.getByTestId(testId).locator('.mantine-Modal-content');

/** Live (not deleted) rows in the store file, read beside the running host (WAL: readers see commits). */
function liveCounts(dataDir: string): Record<string, number> {
  const db = new Database(path.join(dataDir, 'fieldmate.sqlite'), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE deleted_at IS NULL`).get() as { n: number }).n;
    return { leads: count('leads'), sessions: count('coaching_sessions'), messages: count('messages'), profiles: count('client_profiles'), analyses: count('analyses'), lines: count('pallet_items') };
  } finally {
    db.close();
  }
}

describe('first run in Chromium', () => {
  it('guides a new user, loads the sample data, lands in the coach with a next step, and removes the sample in one click', async () => {
    const dataDir = tempDir();
    const { page, errors } = await open(dataDir, { FIELDMATE_FIRST_RUN: '' });
    const guide = modal(page, 'first-run');
    await guide.waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByTestId('first-run-next').click();
    await page.getByLabel('Sales conversations').check();
    await page.getByTestId('first-run-next').click();
    expect(await page.getByTestId('first-run-folder').textContent()).toBe(dataDir);
    await page.getByTestId('first-run-next').click();
    await page.getByTestId('first-run-sample-load').click();
    await page.getByTestId('first-run-sample-loaded').waitFor();
    await screenshot(page, 'first-run-sample-loaded');
    await page.getByTestId('first-run-finish').click();
    await guide.waitFor({ state: 'detached' });

    // Sales lands in the coach, on the sample session, with a next step that names the sample lead.
    expect(new URL(page.url()).hash).toBe('#/coach');
    await expect.poll(() => page.getByTestId('next-step').textContent()).toContain('Sample: Anna Novak');
    await expect.poll(() => page.getByTestId('chat-log').textContent()).toContain('too expensive');
    expect(liveCounts(dataDir)).toEqual({ leads: 1, sessions: 1, messages: 3, profiles: 1, analyses: 1, lines: 8 });
    await screenshot(page, 'first-run-coach');

    // The sample manifest is on the pallets page, clearly named.
    await page.getByTestId('nav-pallets').click();
    await expect.poll(() => page.getByTestId('analyses-table').textContent()).toContain('Sample: returns pallet');

    // One click removes every sample record (tombstones, so a later sync removes them everywhere).
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('sample-remove').click();
    await expect.poll(() => page.getByTestId('sample-state').textContent()).toMatch(/No sample data is loaded/);
    expect(liveCounts(dataDir)).toEqual({ leads: 0, sessions: 0, messages: 0, profiles: 0, analyses: 0, lines: 0 });
    await page.getByTestId('nav-pallets').click();
    await page.getByTestId('analyses-empty').waitFor();

    // Done is remembered: a reload shows no guide; Settings reopens it.
    await page.reload();
    await page.getByTestId('status-bar').waitFor();
    await page.getByTestId('nav-settings').click();
    expect(await guide.isVisible()).toBe(false);
    await page.getByTestId('first-run-reopen').click();
    await guide.waitFor();
    await page.getByTestId('first-run-skip').click();
    await guide.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('lands a pallets user in the import wizard', async () => {
    const { page } = await open(tempDir(), { FIELDMATE_FIRST_RUN: '' });
    await modal(page, 'first-run').waitFor();
    await page.getByTestId('first-run-next').click();
    await page.getByLabel('Pallet manifests').check();
    for (let i = 0; i < 2; i += 1) await page.getByTestId('first-run-next').click();
    await page.getByTestId('first-run-finish').click();
    await modal(page, 'import-wizard').waitFor();
    expect(new URL(page.url()).hash).toBe('#/pallets');
  });
});

describe('help where it is needed, in Chromium', () => {
  it('gives every empty page a button that does the next thing', async () => {
    const { page, errors } = await open(tempDir());
    // Coach, leads: none yet → the new-lead form (the app opens on Today: go to the coach first).
    await page.getByTestId('nav-coach').click();
    await page.getByTestId('leads-empty-action').click();
    await modal(page, 'lead-modal').waitFor();
    await page.keyboard.press('Escape');
    await modal(page, 'lead-modal').waitFor({ state: 'detached' });

    // Dashboard, coaching: no session yet → start one in the coach.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-tab-coaching').click();
    await page.getByTestId('dashboard-coaching-empty-action').click();
    await page.getByTestId('composer-input').waitFor();
    expect(new URL(page.url()).hash).toBe('#/coach');

    // Dashboard, pallets: no analysis → the import wizard.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-tab-pallets').click();
    await page.getByTestId('dashboard-pallets-empty-action').click();
    await modal(page, 'import-wizard').waitFor();
    await page.keyboard.press('Escape');
    await modal(page, 'import-wizard').waitFor({ state: 'detached' });

    // Pallets, analyses: none → the import wizard again, from the list's own button.
    await page.getByTestId('analyses-empty').getByRole('button').click();
    await modal(page, 'import-wizard').waitFor();
    await page.keyboard.press('Escape');
    await modal(page, 'import-wizard').waitFor({ state: 'detached' });

    // Store health: sync not set up → the sync settings; no model → the models settings, whose empty
    // state points at the recommended models.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-tab-system').click();
    await page.getByTestId('health-sync-setup').click();
    await page.getByTestId('sync-panel').waitFor();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-tab-system').click();
    await page.getByTestId('health-model-load').click();
    await page.getByTestId('models-empty-action').click();
    await expect.poll(() => page.getByTestId('recommended-models').isVisible()).toBe(true);

    expect(errors).toEqual([]);
  });

  it('lists the keyboard shortcuts with ? and shows the About page with version, folders and licences', async () => {
    const dataDir = tempDir();
    const { page } = await open(dataDir);
    await page.getByTestId('nav-coach').click();
    await page.keyboard.press('Shift+Slash');
    await modal(page, 'shortcuts').waitFor();
    expect(await modal(page, 'shortcuts').textContent()).toMatch(/Go to Pallets.*Show this list/s);
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-about').click();
    expect(await page.getByTestId('about-version').textContent()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await page.getByTestId('about-data-dir').textContent()).toBe(dataDir);
    await page.getByTestId('about-licences-toggle').click();
    const licences = (await page.getByTestId('about-licences').textContent()) ?? '';
    expect(licences).toMatch(/react.*MIT/);
    expect(licences).toMatch(/better-sqlite3.*MIT/);
    await screenshot(page, 'about');
  });

  it('shows store health in words after an import and a backup', async () => {
    const { page, errors } = await open(tempDir());
    // The sample manifest goes through the pallet import; then a backup and an integrity check.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('sample-load').click();
    await expect.poll(() => page.getByTestId('sample-state').textContent()).toMatch(/Sample data is loaded/);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-tab-system').click();
    await expect.poll(() => page.getByTestId('health-records').textContent()).toMatch(/1 analyses · 8 pallet lines/);
    expect(await page.getByTestId('health-backup-text').textContent()).toMatch(/No backup yet/);
    expect(await page.getByTestId('health-sync-text').textContent()).toMatch(/Sync is not set up/);
    expect(await page.getByTestId('health-model-text').textContent()).toMatch(/No model loaded/);
    await page.getByTestId('health-backup-now').click();
    await expect.poll(() => page.getByTestId('health-backup-text').textContent()).toMatch(/just now · .+ · 1 kept/);
    expect(await page.getByTestId('health-backup-done').textContent()).toMatch(/backups[/\\]fieldmate-.+\.sqlite/);
    expect(await page.getByTestId('health-growth').textContent()).toMatch(/since just now/);
    expect(await page.getByTestId('health-integrity-text').textContent()).toMatch(/Not checked yet/);
    await page.getByTestId('health-check-now').click();
    await expect.poll(() => page.getByTestId('health-integrity-text').textContent()).toMatch(/No problems found \(just now\)/);
    await screenshot(page, 'store-health');
    expect(errors).toEqual([]);
  });
});
