import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The coaching screens in Chromium against the real core through the headless host, with no model
 * loaded: every answer comes from the fallback coach and must say so.
 */
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  host = await startHeadlessProcess(tempDir());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  errors = watchErrors(page);
  await page.goto(`${host.url}#/coach`);
  await page.getByTestId('status-bar').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const byTest = (id: string) => page.getByTestId(id);
const composer = () => byTest('composer-input');
const lastInstant = () => byTest('instant-block').last();

async function kpi(name: string): Promise<number> {
  const text = await byTest(`coach-kpi-${name}`).getByTestId('kpi-value').textContent();
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

async function openTab(tab: 'coach' | 'knowledge' | 'practice' | 'insights'): Promise<void> {
  await byTest(`coach-tab-${tab}`).click();
  await expect.poll(() => byTest(`coach-tab-${tab}`).getAttribute('aria-selected')).toBe('true');
}

async function createLead(name: string, language: 'Polish' | 'English'): Promise<void> {
  await byTest('lead-new').click();
  await byTest('lead-name').fill(name);
  await page.getByRole('dialog').getByRole('textbox', { name: 'Conversation language' }).click();
  await page.getByRole('option', { name: language, exact: true }).click();
  await byTest('lead-save').click();
  await byTest('lead-modal').waitFor({ state: 'detached' });
  await expect.poll(() => page.locator('[data-testid="lead-item"][data-active="true"]').textContent()).toContain(name);
}

async function sendClient(text: string): Promise<Locator> {
  const before = await byTest('instant-block').count();
  await composer().fill(text);
  await composer().press('Enter');
  await expect.poll(() => byTest('instant-block').count()).toBe(before + 1);
  return lastInstant();
}

/** A synthetic paste (the clipboard itself is not reachable headless): the page's own paste handling runs. */
async function paste(text: string): Promise<void> {
  await composer().evaluate((el, value) => {
    const data = new DataTransfer();
    data.setData('text', value);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

let kpiBefore: { sessions: number; ratings: number; suggestions: number };

describe('coaching in Chromium through the headless host (no model)', () => {
  it('shows the coach page, the no-model status and empty statistics', async () => {
    await expect.poll(() => byTest('page-title').textContent()).toBe('Coach');
    await expect.poll(() => byTest('coach-model-status').getAttribute('data-ready')).toBe('false');
    await openTab('insights');
    await byTest('coach-kpi-sessions').waitFor();
    kpiBefore = { sessions: await kpi('sessions'), ratings: await kpi('ratings'), suggestions: await kpi('suggestions') };
    expect(kpiBefore).toEqual({ sessions: 0, ratings: 0, suggestions: 0 });
    await openTab('coach');
  });

  it('creates a lead, starts a session and coaches a Polish objection instantly, marked as fallback, citing entries', async () => {
    await createLead('Anna Kowalska', 'Polish');
    await byTest('session-new').click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('Anna Kowalska');

    const block = await sendClient('To jest za drogo, konkurencja ma taniej');
    await expect.poll(() => block.getByTestId('fallback-badge').textContent()).toBe('From the knowledge base — no model loaded');
    const categories = await block.getByTestId('detected-objection').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
    expect(categories).toEqual(expect.arrayContaining(['price', 'competitor']));
    await expect(block.getByTestId('instant-elapsed').textContent()).resolves.toMatch(/in [\d.]+ ms/);
    expect(await block.getByTestId('suggestion-card').count()).toBeGreaterThanOrEqual(3);
    // Cited entries are shown by title (resolved from the knowledge base), never as bare ids.
    const citations = await block.getByTestId('citation').allTextContents();
    expect(citations.length).toBeGreaterThan(0);
    expect(citations.join(' ')).toMatch(/\((Response|Objection|Playbook)\)/);
    expect(citations.join(' ')).not.toMatch(/entry [0-9a-f]{8}…/);
    // The message is stored, the draft cleared, and the profile beside the chat filled in.
    await expect(composer().inputValue()).resolves.toBe('');
    await expect.poll(() => byTest('profile-objections').textContent()).toContain('Price');
    await expect(byTest('profile-likelihood').textContent()).resolves.toMatch(/\d+%/);
    expect(await byTest('chat-message').last().getAttribute('data-role')).toBe('client');
  });

  it('rates a suggestion 1–5 with a comment', async () => {
    const card = lastInstant().getByTestId('suggestion-card').first();
    await card.getByTestId('suggestion-rating').locator('label').nth(3).click();
    await expect.poll(() => card.getByTestId('suggestion-rated').textContent()).toBe('Rated 4/5');
    await card.getByRole('button', { name: 'Add a comment' }).click();
    await card.getByRole('textbox').fill('Worked well with this client');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.textContent()).toContain('Worked well with this client');
  });

  it('coaches an English objection for an English-speaking lead', async () => {
    await createLead('John Smith', 'English');
    await byTest('session-new').click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('John Smith');
    const block = await sendClient("It's too expensive, and I need to talk to my wife first.");
    const categories = await block.getByTestId('detected-objection').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
    expect(categories).toEqual(expect.arrayContaining(['price', 'authority']));
    await expect(block.getByTestId('fallback-badge').textContent()).resolves.toContain('no model loaded');
    expect(await block.getByTestId('citation').count()).toBeGreaterThan(0);
  });

  it('answers bad input clearly: empty, control characters, a 100 kB paste, a paste over the limit', async () => {
    await composer().fill('');
    await composer().press('Enter');
    await expect.poll(() => byTest('composer').textContent()).toContain('Type what the client said first.');

    await composer().fill('\u0001\u0002\u0003\u200b');
    await composer().press('Enter');
    await expect.poll(() => byTest('send-error').textContent()).toMatch(/empty|no words/);
    await expect(composer().inputValue()).resolves.toBe('\u0001\u0002\u0003\u200b');

    const cleaned = await sendClient('The price\u0007 is\u0000 too high\u202e for us');
    await cleaned.getByTestId('notice-control_removed').waitFor();

    const hundredKb = 'The price is too high and the competition offers more. '.repeat(1850).slice(0, 100_000);
    const big = await sendClient(hundredKb);
    await big.getByTestId('notice-truncated').waitFor();
    await expect(big.getByTestId('notice-truncated').textContent()).resolves.toMatch(/first [\d,]+ characters/);

    await composer().fill('');
    await paste('x'.repeat(250_000));
    await byTest('paste-notice').waitFor();
    await expect(byTest('paste-notice').textContent()).resolves.toContain('longer than 200,000 characters');
    await expect.poll(async () => (await composer().inputValue()).length).toBe(200_000);
    await composer().fill('');
  });

  it('keeps a draft when switching tabs', async () => {
    await composer().fill('Draft that must survive');
    await openTab('knowledge');
    await openTab('coach');
    await expect.poll(() => composer().inputValue()).toBe('Draft that must survive');
    await composer().fill('');
  });

  it('searches the knowledge base and shows the time taken', async () => {
    await openTab('knowledge');
    await expect.poll(async () => Number(((await byTest('knowledge-total').textContent()) ?? '').replace(/\D/g, ''))).toBeGreaterThan(50);
    await byTest('knowledge-search').fill('za drogo');
    await byTest('knowledge-search-elapsed').waitFor();
    await expect(byTest('knowledge-search-elapsed').textContent()).resolves.toMatch(/^[\d.]+ ms$/);
    expect(await byTest('knowledge-hit').count()).toBeGreaterThan(0);
    await expect(byTest('knowledge-hit').first().textContent()).resolves.toMatch(/Objection|Response/);
    await screenshot(page, 'coach-knowledge');
  });

  it('roleplay without a model says so and runs the objection drill', async () => {
    await openTab('practice');
    await byTest('practice-start').click();
    await byTest('practice-notice').waitFor();
    await byTest('drill-objection').waitFor();
    await byTest('drill-answer').fill(
      'I understand the price is significant. Let us compare the total cost of ownership over five years: energy instead of fuel, almost no servicing and lower tax.',
    );
    await byTest('drill-submit').click();
    await byTest('drill-result').waitFor();
    const score = Number(await byTest('drill-score').textContent());
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    await expect(byTest('drill-verdict').textContent()).resolves.toMatch(/Strong answer|Partly there|Needs work/);
    expect(await byTest('drill-recommended').count()).toBeGreaterThan(0);
    await screenshot(page, 'coach-drill');
  });

  it('the coaching statistics changed: sessions, suggestions and the rating', async () => {
    await openTab('insights');
    await byTest('coach-dashboard-refresh').click();
    await expect.poll(() => kpi('sessions')).toBe(kpiBefore.sessions + 2);
    await expect.poll(() => kpi('ratings')).toBe(kpiBefore.ratings + 1);
    expect(await kpi('suggestions')).toBeGreaterThan(kpiBefore.suggestions);
    await expect.poll(() => byTest('coach-chart-objections').getAttribute('data-empty')).toBe('false');
    await expect.poll(() => byTest('coach-chart-sessions').getAttribute('data-empty')).toBe('false');
    expect(await byTest('effective-row').count()).toBe(1);
    await byTest('coach-chart-objections').locator('svg').first().waitFor();
    await screenshot(page, 'coach-insights');
  });

  it('shows the coaching dashboard on the Dashboard page when it is placed there', async () => {
    await byTest('nav-dashboard').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Dashboard');
    const placed = await byTest('coaching-dashboard').count();
    if (placed > 0) await expect.poll(() => kpi('ratings')).toBe(kpiBefore.ratings + 1);
    await byTest('nav-coach').click();
  });

  it('lays out the coaching screen in light and dark themes', async () => {
    await openTab('coach');
    await page.locator('[data-testid="lead-item"]', { hasText: 'Anna Kowalska' }).click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('Anna Kowalska');
    await byTest('instant-block').first().waitFor();
    await screenshot(page, 'coach');

    await byTest('nav-settings').click();
    await page.getByText('Dark', { exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await byTest('nav-coach').click();
    await byTest('instant-block').first().waitFor();
    await screenshot(page, 'coach-dark');
    await byTest('nav-settings').click();
    await page.getByText('Light', { exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('raised no page errors and wrote the screenshots', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/coach.png')).toBe(true);
    expect(fs.existsSync('test-results/coach-dark.png')).toBe(true);
  });
});
