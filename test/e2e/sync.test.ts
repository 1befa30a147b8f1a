import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';
import { addServerUser, setupServer } from '@main/sync/server/setup';
import { launchBrowser, resultsDir, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temp-core';

/**
 * Settings → Sync, the status-bar badge and the per-record badge in Chromium, against the headless host
 * (its own process and data folder) and a real PostgreSQL set up like an administrator would.
 */
const TEAM = 'Team E2E';
const PASSWORD = 'e2e-sync-secret-pw';
const LEAD = 'Sync Test Lead';

let pgs: TestPostgres;
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];
let dataDir: string;
let adminUrl: string;
let serverUrl: string;
let user: string;
let leadId: string;

beforeAll(async () => {
  pgs = await startTestPostgres();
  const database = await pgs.createDatabase('e2e_sync');
  adminUrl = pgs.adminUrl(database);
  await setupServer(adminUrl);
  user = `e2e_user_${process.pid}`;
  await addServerUser(adminUrl, user, TEAM, PASSWORD);
  serverUrl = `postgres://${pgs.host}:${pgs.port}/${database}`;

  dataDir = tempDir();
  // The password must come from the form, not from the environment of whoever runs the tests.
  delete process.env.FIELDMATE_SYNC_PASSWORD;
  host = await startHeadlessProcess(dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  errors = watchErrors(page);
  await page.goto(`${host.url}#/settings`);
  await page.getByTestId('status-bar').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await pgs?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const byTest = (id: string) => page.getByTestId(id);
const badge = () => byTest('sync-status-badge');
const leadBadge = () => byTest('lead-item').filter({ hasText: LEAD }).getByTestId('record-sync-state');

async function serverQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function fillForm(values: { url?: string; user?: string; password?: string }): Promise<void> {
  if (values.url !== undefined) await byTest('sync-url').fill(values.url);
  if (values.user !== undefined) await byTest('sync-user').fill(values.user);
  if (values.password !== undefined) await byTest('sync-password').fill(values.password);
}

async function testConnection(): Promise<{ ok: string | null; message: string }> {
  // Close the previous result first, so the one read below is this test's.
  if ((await byTest('sync-test-result').count()) > 0) {
    await byTest('sync-test-result').getByRole('button', { name: 'Close' }).click();
    await byTest('sync-test-result').waitFor({ state: 'detached' });
  }
  await byTest('sync-test').click();
  await byTest('sync-test-result').waitFor();
  return { ok: await byTest('sync-test-result').getAttribute('data-ok'), message: (await byTest('sync-test-message').textContent()) ?? '' };
}

describe('sync settings, status and record badges in Chromium', () => {
  it('starts switched off and says so in the status bar and the Sync tab', async () => {
    await expect.poll(() => badge().getAttribute('data-state')).toBe('off');
    expect(await badge().textContent()).toMatch(/Sync not set up/i);
    await byTest('settings-tab-sync').click();
    await byTest('sync-settings').waitFor();
    await byTest('sync-not-configured').waitFor();
    expect(await byTest('sync-now').isDisabled()).toBe(true);
    // The headless host has no OS keyring: the form says the password will last for this session only.
    expect(await byTest('sync-password').getAttribute('data-password-state')).toBe('passwordWillSession');
  });

  it('explains what is wrong before anything is sent', async () => {
    await byTest('sync-enabled').check();
    await byTest('sync-save').click();
    await expect.poll(() => page.getByText('Enter the server address.').count()).toBe(1);
    expect(await page.getByText('Enter the user name.').count()).toBe(1);
    expect(await page.getByText('Enter the password.').count()).toBe(1);
    // Keyboard-friendly: the cursor goes to the first field with a problem.
    expect(await byTest('sync-url').evaluate((el) => el === document.activeElement)).toBe(true);

    await fillForm({ url: `http://${pgs.host}:${pgs.port}/x`, user: 'bad user!' });
    await byTest('sync-url').press('Enter');
    await expect.poll(() => page.getByText('The address must start with postgres://.').count()).toBe(1);
    expect(await page.getByText('Use only letters, digits and _ . @ - (at most 63).').count()).toBe(1);
    await fillForm({ url: `postgres://${user}@${pgs.host}:${pgs.port}/x` });
    await byTest('sync-url').press('Enter');
    await expect.poll(() => page.getByText('Put the user and the password in their own fields, not in the address.').count()).toBe(1);
    await screenshot(page, 'sync-validation');
    await byTest('sync-enabled').uncheck();
  });

  it('tests the connection: team and schema on success, a clear sentence for a wrong password', async () => {
    await fillForm({ url: serverUrl, user, password: PASSWORD });
    const ok = await testConnection();
    expect(ok.ok).toBe('true');
    expect(ok.message).toContain(TEAM);
    expect(await byTest('sync-test-team').textContent()).toContain(TEAM);
    expect(await byTest('sync-test-server-schema').textContent()).toMatch(new RegExp(`Server’s sync version:\\s*${SYNC_SCHEMA_VERSION}$`));
    expect(await byTest('sync-test-client-schema').textContent()).toMatch(new RegExp(`sync version:\\s*${SYNC_SCHEMA_VERSION}$`));
    // The database schema is the status bar's number, labelled as such (issue 18 item 5).
    const bar = /schema (\d+\/\d+)/.exec((await byTest('status-db').textContent()) ?? '')?.[1];
    expect(await byTest('sync-test-store-schema').textContent()).toMatch(new RegExp(`\\(as in the status bar\\):\\s*${bar}$`));
    expect(await byTest('sync-test-latency').textContent()).toMatch(/\d+ ms/);
    // Scrolled to the end, the result clears the fixed status bar (nothing hides behind it).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const result = await byTest('sync-test-result').boundingBox();
    const footer = await byTest('status-bar').locator('xpath=ancestor::footer').boundingBox();
    expect(result && footer && result.y + result.height <= footer.y).toBe(true);
    // A viewport shot: a full-page one pins the fixed status bar over the end of a scrolled page.
    await page.screenshot({ path: path.join(resultsDir, 'sync-test-ok.png') });

    await fillForm({ password: 'wrong-password' });
    const wrong = await testConnection();
    expect(wrong.ok).toBe('false');
    expect(wrong.message).toMatch(/refused the user name or password/);
    expect(await byTest('sync-test-team').count()).toBe(0);
    await screenshot(page, 'sync-test-wrong-password');
    // Nothing was saved by testing.
    expect(await byTest('sync-password').getAttribute('data-password-state')).toBe('passwordWillSession');
  });

  it('saves and enables sync; the password is never shown again', async () => {
    await fillForm({ password: PASSWORD });
    await byTest('sync-interval').fill('60');
    await byTest('sync-enabled').check();
    await byTest('sync-unsaved').waitFor();
    await byTest('sync-save').click();
    await expect.poll(() => byTest('sync-password').getAttribute('data-password-state')).toBe('passwordSession');
    expect(await byTest('sync-password').inputValue()).toBe('');
    expect(await byTest('sync-unsaved').count()).toBe(0);
    expect(await page.content()).not.toContain(PASSWORD);
    // Enabling runs a first sync at once; the badge follows the sync:status events.
    await expect.poll(() => badge().getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    expect(await badge().textContent()).toMatch(/Synced (just now|\d+ min)/i);
    expect(await byTest('sync-last-success-value').textContent()).not.toBe('Never');
    await screenshot(page, 'sync-settings-saved');
  });

  it('shows a new lead as pending, then synced after "Sync now", and the row is on the server', async () => {
    await byTest('nav-coach').click();
    await byTest('lead-new').click();
    await byTest('lead-name').fill(LEAD);
    await byTest('lead-save').click();
    await byTest('lead-save').waitFor({ state: 'detached' });
    await expect.poll(() => leadBadge().getAttribute('data-state')).toBe('pending');
    leadId = (await leadBadge().getAttribute('data-record-id')) ?? '';
    expect(leadId).not.toBe('');
    // The status bar learns about the new changes from the service's own poll (no reload). Besides the
    // lead, the first coaching call seeded the default knowledge pack, whose entries sync too.
    await expect.poll(() => badge().getAttribute('data-state'), { timeout: 15_000 }).toBe('pending');
    const pending = Number(/(\d+) pending/i.exec((await badge().textContent()) ?? '')?.[1]);
    expect(pending).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'sync-lead-pending');
    expect(await serverQuery('SELECT id FROM fieldmate.leads WHERE id = $1', [leadId])).toEqual([]);

    // The badge opens Settings → Sync.
    await badge().click();
    await byTest('sync-panel').waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings');
    expect(await byTest('settings-tab-sync').getAttribute('aria-selected')).toBe('true');
    expect(await byTest('sync-pending-value').textContent()).toBe(String(pending));

    await byTest('sync-now').click();
    await byTest('sync-now-result').waitFor();
    expect(await byTest('sync-now-result').textContent()).toContain(`${pending} sent`);
    await expect.poll(() => byTest('sync-pending-value').textContent()).toBe('0');
    expect(await byTest('sync-rejected-value').textContent()).toBe('0');
    await byTest('sync-rejections-empty').waitFor();
    expect(await byTest('sync-last-error').count()).toBe(0);
    await screenshot(page, 'sync-panel-after-sync');

    const rows = await serverQuery<{ name: string; team_id: string }>('SELECT name, team_id FROM fieldmate.leads WHERE id = $1', [leadId]);
    expect(rows).toEqual([{ name: LEAD, team_id: TEAM }]);

    await byTest('nav-coach').click();
    await expect.poll(() => leadBadge().getAttribute('data-state')).toBe('synced');
    expect(await leadBadge().getAttribute('aria-label')).toMatch(/^Synced/);
    await expect.poll(() => badge().getAttribute('data-state')).toBe('synced');
    await screenshot(page, 'sync-lead-synced');
  });

  it('shows a change the server cannot take as refused, on the record and in the list', async () => {
    // PostgreSQL text cannot hold NUL: the engine refuses this change instead of blocking the queue.
    const bad = 'Broken\u0000Name';
    await byTest('lead-new').click();
    await byTest('lead-name').fill(bad);
    await byTest('lead-save').click();
    await byTest('lead-save').waitFor({ state: 'detached' });
    const badBadge = byTest('lead-item').filter({ hasText: 'Broken' }).getByTestId('record-sync-state');
    await expect.poll(() => badBadge.getAttribute('data-state')).toBe('pending');
    await badge().click();
    await byTest('sync-now').click();
    await byTest('sync-now-result').waitFor();
    await expect.poll(() => byTest('sync-rejected-value').textContent()).toBe('1');
    await expect.poll(() => byTest('sync-rejection').count()).toBe(1);
    expect(await byTest('sync-rejection').textContent()).toMatch(/Lead.*NUL character/);
    expect(await badge().textContent()).toMatch(/1 refused/i);
    await screenshot(page, 'sync-rejected');
    await byTest('nav-coach').click();
    await expect.poll(() => badBadge.getAttribute('data-state')).toBe('rejected');
    expect(await badBadge.getAttribute('aria-label')).toMatch(/NUL character/);
    expect(await leadBadge().getAttribute('data-state')).toBe('synced');
  });

  it('says in plain words when sync needs the person, and recovers once the password is right', async () => {
    await badge().click();
    await fillForm({ password: 'not-the-password' });
    await byTest('sync-save').click();
    await expect.poll(() => byTest('sync-password').inputValue()).toBe('');
    await byTest('sync-now').click();
    await byTest('sync-last-error').waitFor();
    expect(await byTest('sync-last-error').getAttribute('data-code')).toBe('SYNC_ERROR');
    const text = (await byTest('sync-last-error').textContent()) ?? '';
    expect(text).toContain('Sync needs you');
    expect(text).toMatch(/refused the user name or password/);
    expect(text).toContain('This will not fix itself');
    await expect.poll(() => badge().getAttribute('data-state')).toBe('error');
    expect(await badge().textContent()).toMatch(/Sync error/i);
    await screenshot(page, 'sync-error');

    await fillForm({ password: PASSWORD });
    await byTest('sync-save').click();
    await byTest('sync-last-error').waitFor({ state: 'detached' });
    await byTest('sync-now').click();
    await expect.poll(() => badge().getAttribute('data-state')).toBe('synced');
    expect(await byTest('sync-last-error').count()).toBe(0);
  });

  it('speaks Polish too', async () => {
    await byTest('nav-settings').click();
    await byTest('settings-tab-general').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await byTest('settings-tab-sync').click();
    await byTest('sync-panel').waitFor();
    await expect.poll(() => byTest('sync-now').textContent()).toBe('Synchronizuj teraz');
    expect(await badge().textContent()).toMatch(/Zsynchronizowano/);
    await screenshot(page, 'sync-settings-pl');
    await badge().hover();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toMatch(/Zmiany do wysłania: 0.*Odrzucone: 1/);
    // Let the tooltip's fade-in finish so the picture shows it.
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(resultsDir, 'sync-badge-tooltip-pl.png') });
    await byTest('settings-tab-general').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'English' }).click();
  });

  it('takes a CA certificate file, shows whose it is, and warns while the insecure switch is on', async () => {
    const caDir = tempDir();
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'team-ca.pem', '-days', '2', '-subj', '/CN=E2E Team CA'], { cwd: caDir, stdio: 'pipe' });
      await byTest('settings-tab-sync').click();
      await byTest('sync-settings').waitFor();
      expect(await byTest('sync-ca-file').getAttribute('data-ca-state')).toBe('none');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), byTest('sync-ca-file').click()]);
      await chooser.setFiles(path.join(caDir, 'team-ca.pem'));
      await expect.poll(() => byTest('sync-ca-file').getAttribute('data-ca-state')).toBe('chosen');
      await byTest('sync-unsaved').waitFor();
      await byTest('sync-save').click();
      await expect.poll(() => byTest('sync-ca-file').getAttribute('data-ca-state')).toBe('saved');
      await expect.poll(() => byTest('sync-settings').textContent()).toMatch(/Trusted: CN=E2E Team CA/);
      // The saved CA does not get in the way of a loopback server (no TLS there by default).
      expect((await testConnection()).ok).toBe('true');

      // An unencrypted address off this computer is refused in the form until the switch is on.
      await byTest('sync-url').fill('postgres://db.example.com:5432/fieldmate?sslmode=disable');
      await byTest('sync-save').click();
      await expect.poll(() => byTest('sync-settings').textContent()).toMatch(/sends everything unencrypted/);
      expect(await byTest('sync-insecure-warning').count()).toBe(0);
      await byTest('sync-insecure').check();
      await byTest('sync-insecure-warning').waitFor();
      expect(await byTest('sync-insecure-warning').textContent()).toMatch(/anyone on the network/);
      await screenshot(page, 'sync-insecure-warning');
      await byTest('sync-insecure').uncheck();
      await byTest('sync-url').fill(serverUrl);

      await byTest('sync-remove-ca').click();
      expect(await byTest('sync-ca-file').getAttribute('data-ca-state')).toBe('remove');
      await byTest('sync-save').click();
      await expect.poll(() => byTest('sync-ca-file').getAttribute('data-ca-state')).toBe('none');
      expect(await byTest('sync-unsaved').count()).toBe(0);
    } finally {
      fs.rmSync(caDir, { recursive: true, force: true });
    }
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
