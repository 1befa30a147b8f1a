import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { Scorecard } from '@shared/coaching/scorecard';
import { scriptedLlm } from '../helpers/scripted-llm';
import { createCore, type Core } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';
import { startHeadlessServer, type HeadlessServer } from '@main/headless/server';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The coaching screens in Chromium against the real core through the headless host. First with no
 * model loaded (every answer comes from the fallback coach and must say so), then with a scripted model
 * bound to an in-process core (streaming, stop, regenerate, model profile, roleplay scorecard).
 */
let browser: Browser;
let page: Page;
let errors: string[];

async function openPage(url: string): Promise<void> {
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(`${url}#/coach`);
  await page.getByTestId('status-bar').waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
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
  await byTest('lead-language').click();
  await page.getByRole('option', { name: language, exact: true }).click();
  await byTest('lead-save').click();
  await byTest('lead-save').waitFor({ state: 'detached' });
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
  let host: HeadlessProcess;
  beforeAll(async () => {
    host = await startHeadlessProcess(tempDir());
    await openPage(host.url);
  });
  afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

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
    // Timing is for the log and benchmarks, not the salesperson (no "in 70.75 ms").
    expect(await block.textContent()).not.toMatch(/\d ms\b/);
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
    const star = await card.getByTestId('suggestion-rating').locator('input[value="4"]').getAttribute('id');
    await card.locator(`label[for="${star}"]`).click();
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

  it('records the salesperson without coaching it, and edits and resends a client message', async () => {
    await byTest('composer-role').getByText('I said').click();
    await composer().fill('Let me show you the total cost of ownership.');
    await composer().press('Enter');
    await expect.poll(() => byTest('chat-message').last().getAttribute('data-role')).toBe('salesperson');
    expect(await byTest('instant-block').count()).toBe(1);
    await byTest('composer-role').getByText('Client said').click();

    await byTest('chat-message').first().getByTestId('message-edit').click();
    await byTest('message-edit-input').fill('I am not sure I can trust the battery, I heard bad reviews.');
    await byTest('message-resend').click();
    // The edited message replaces itself and everything after it, and is coached again.
    await expect.poll(() => byTest('chat-message').count()).toBe(1);
    await expect.poll(() => byTest('message-text').first().textContent()).toContain('trust the battery');
    await expect.poll(() => lastInstant().getByTestId('detected-objection').first().getAttribute('data-category')).toBe('trust');
    expect(await byTest('instant-block').count()).toBe(1);
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

  it('keeps a draft when switching tabs and across a reload, reopening the same session', async () => {
    const title = await byTest('session-title').textContent();
    await composer().fill('Draft that must survive');
    await openTab('knowledge');
    await openTab('coach');
    await expect.poll(() => composer().inputValue()).toBe('Draft that must survive');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('fieldmate.coach.drafts') ?? '')).toContain('Draft that must survive');
    await page.reload();
    await expect.poll(() => byTest('session-title').textContent()).toBe(title);
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

  it('creates, edits and deletes an entry, and round-trips export / import as JSON and .xlsx', async () => {
    await byTest('knowledge-new').click();
    await byTest('knowledge-form-title').fill('Offer a weekend test drive');
    await byTest('knowledge-form-body').fill('Take the car for the weekend and charge it at home: see for yourself.');
    await byTest('knowledge-form-save').click();
    await byTest('knowledge-form-save').waitFor({ state: 'detached' });
    await byTest('knowledge-search').fill('weekend test drive');
    await expect.poll(() => byTest('knowledge-hit').first().textContent()).toContain('Offer a weekend test drive');

    await byTest('knowledge-hit').first().click();
    await byTest('knowledge-form-title').fill('Offer a weekend test drive at home');
    await byTest('knowledge-form-save').click();
    await byTest('knowledge-form-save').waitFor({ state: 'detached' });
    await expect.poll(() => byTest('knowledge-hit').first().textContent()).toContain('test drive at home');

    for (const format of ['json', 'xlsx'] as const) {
      const downloaded = page.waitForEvent('download');
      await byTest('knowledge-export').click();
      await byTest(`knowledge-export-${format}`).click();
      const download = await downloaded;
      expect(download.suggestedFilename()).toMatch(new RegExp(`^fieldmate-knowledge.*\\.${format}$`));
      const bytes = fs.readFileSync(await download.path());
      if (format === 'json') expect(bytes.toString('utf8')).toContain('Offer a weekend test drive at home');
      else expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
      await page.locator('input[type="file"]').setInputFiles({ name: `knowledge.${format}`, mimeType: 'application/octet-stream', buffer: bytes });
      await byTest('knowledge-import-report').waitFor();
      // Importing what was just exported changes nothing.
      await expect.poll(() => byTest('knowledge-import-report').textContent()).toMatch(/0 created, 0 updated, [1-9]\d* unchanged/);
      await byTest('knowledge-import-report').getByRole('button').click();
    }

    await byTest('knowledge-hit').first().click();
    await byTest('knowledge-form-delete').click();
    await byTest('knowledge-form-delete').click();
    await byTest('knowledge-form-delete').waitFor({ state: 'detached' });
    await expect.poll(async () => (await byTest('knowledge-search-results').textContent()) ?? '').not.toContain('test drive at home');
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

    // Answering with a recommended response itself is the strongest possible answer.
    const recommended = await byTest('drill-recommended').first().locator('.mantine-Accordion-panel').textContent();
    expect(recommended?.length).toBeGreaterThan(20);
    await byTest('drill-answer').fill(recommended ?? '');
    await byTest('drill-answer').press('Control+Enter');
    await expect.poll(() => byTest('drill-score').textContent()).toBe('100');
    await expect(byTest('drill-verdict').textContent()).resolves.toBe('Strong answer');
    await expect(byTest('drill-result').textContent()).resolves.toContain('Key words you used');
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

  it('shows the coaching dashboard on the Dashboard page', async () => {
    await byTest('nav-dashboard').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Dashboard');
    await byTest('dashboard-tab-coaching').click();
    await byTest('coaching-dashboard').waitFor();
    await expect.poll(() => kpi('ratings')).toBe(kpiBefore.ratings + 1);
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
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await page.getByText('Jasny', { exact: true }).click();
    await byTest('nav-coach').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Trener');
    await expect.poll(() => byTest('fallback-badge').first().textContent()).toBe('Z bazy wiedzy — brak załadowanego modelu');
    await screenshot(page, 'coach-pl');
    await byTest('nav-settings').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Settings');
  });

  it('raised no page errors and wrote the screenshots', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/coach.png')).toBe(true);
    expect(fs.existsSync('test-results/coach-dark.png')).toBe(true);
  });
});

const LONG_REPLY = `${'Acknowledge the concern, then compare the total cost over five years with the current car. '.repeat(14)}[K1]`;
const ANALYSIS = {
  archetype: 'analytical',
  archetype_confidence: 'high',
  needs: ['Low running costs'],
  objections: [{ category: 'price', quote: "It's too expensive" }],
  buying_signals: ['Asked about the delivery time'],
  sentiment: 'neutral',
  purchase_likelihood: 62,
  next_best_question: 'What monthly budget would feel comfortable?',
};
const SCORECARD = {
  discovery: { score: 4, reason: 'Asked about the daily routes.' },
  objection_handling: { score: 3, reason: 'Answered the price concern with numbers.' },
  value_articulation: { score: 5, reason: 'Connected the warranty to the fear of battery wear.' },
  closing: { score: 2, reason: 'Did not ask for a next step.' },
};

describe('coaching with a scripted model (in-process core): streaming, stop, regenerate, roleplay', () => {
  let core: Core;
  let server: HeadlessServer;
  beforeAll(async () => {
    const root = findAppRoot(import.meta.dirname);
    core = createCore({ paths: appPaths(tempDir(), root), transport: 'headless', appVersion: 'test', osLocale: 'en-US', log: () => undefined, isOnline: () => false });
    core.useCoachLlm(scriptedLlm({
        pieceDelayMs: 40,
        reply: (_request, turn) => (turn === 1 ? LONG_REPLY : `Answer ${turn}: ask which monthly budget would feel comfortable [K1].`),
        json: (request) => (request.schema === Scorecard ? SCORECARD : ANALYSIS),
      }),
    );
    server = await startHeadlessServer(core, path.join(root, 'out', 'renderer'));
    await openPage(server.url);
  });
  afterAll(async () => {
    await page?.close();
    await server?.close();
    await core?.close();
  });

  it('streams a model reply after the instant suggestions, stops it, and regenerates it', async () => {
    await expect.poll(() => byTest('coach-model-status').getAttribute('data-ready')).toBe('true');
    await byTest('session-quick').click();
    await byTest('composer-input').waitFor();
    const block = await sendClient("It's too expensive for us.");
    await expect(block.getByTestId('fallback-badge').textContent()).resolves.toBe('From the knowledge base');

    await expect.poll(async () => ((await byTest('reply-text').textContent().catch(() => '')) ?? '').length).toBeGreaterThan(10);
    await byTest('reply-stop').click();
    await byTest('reply-streaming').waitFor({ state: 'detached' });
    const partial = (await byTest('reply-done').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(10);
    expect(partial.length).toBeLessThan(LONG_REPLY.length);

    await byTest('reply-regenerate').click();
    await byTest('reply-streaming').waitFor();
    await expect.poll(() => byTest('reply-done').textContent()).toContain('Answer 2: ask which monthly budget');
    expect(await byTest('reply-done').count()).toBe(1);
    // The schema-constrained analysis replaced the knowledge-base profile.
    await expect.poll(() => byTest('profile-source').textContent()).toBe('Model analysis');
    await expect(byTest('profile-likelihood').textContent()).resolves.toContain('62%');
    await expect(byTest('profile-next-question').textContent()).resolves.toContain('What monthly budget would feel comfortable?');
  });

  it('edits the client message and answers again with the model', async () => {
    await byTest('chat-message').first().getByTestId('message-edit').click();
    await byTest('message-edit-input').fill('I have heard the batteries die after a few years.');
    await byTest('message-resend').click();
    await expect.poll(() => byTest('message-text').first().textContent()).toContain('batteries die');
    await expect.poll(() => byTest('reply-done').textContent()).toContain('Answer 3');
    expect(await byTest('instant-block').count()).toBe(1);
    await screenshot(page, 'coach-model');
  });

  it('plays the customer in a roleplay and shows the scorecard at the end', async () => {
    await openTab('practice');
    await byTest('practice-start').click();
    await expect.poll(() => byTest('roleplay-line').count()).toBe(1);
    await byTest('roleplay-input').fill('Thank you for coming. What matters most to you in a new car?');
    await byTest('roleplay-input').press('Enter');
    await expect.poll(() => byTest('roleplay-line').count()).toBe(3);
    await byTest('roleplay-end').click();
    await byTest('scorecard').waitFor();
    await expect(byTest('score-value_articulation').textContent()).resolves.toContain('5/5');
    await expect(byTest('score-closing').textContent()).resolves.toContain('Did not ask for a next step.');
    await screenshot(page, 'coach-roleplay');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
