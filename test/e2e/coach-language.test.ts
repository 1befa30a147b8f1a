import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { createCore, type Core } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';
import { startHeadlessServer, type HeadlessServer } from '@main/headless/server';
import { localDay } from '@shared/coaching/facts';
import { launchBrowser, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { scriptedLlm } from '../helpers/scripted-llm';
import { tempDir } from '../helpers/temp-core';

/**
 * Issue 15 in Chromium: an English session stays English (suggestions, playbook, profile); paraphrased
 * objections in both languages are read with their suggestions; a buying signal is shown as a signal;
 * a promotion is offered until its last day and never after; a streaming reply stays in view as it grows.
 */
let browser: Browser;
let page: Page;
let errors: string[];

async function openPage(url: string): Promise<void> {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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
/** Letters only Polish uses: an English text has none of them. */
const POLISH_LETTERS = /[ąćęłńóśźż]/i;

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
  await byTest('composer-input').fill(text);
  await byTest('composer-input').press('Enter');
  await expect.poll(() => byTest('instant-block').count()).toBe(before + 1);
  return byTest('instant-block').last();
}

async function categoriesOf(block: Locator): Promise<(string | null)[]> {
  return block.getByTestId('detected-objection').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
}

async function addPromotion(title: string, validFrom: string, validUntil: string): Promise<void> {
  await byTest('coach-tab-knowledge').click();
  await byTest('knowledge-new').click();
  await byTest('knowledge-form-kind').click();
  await page.getByRole('option', { name: 'Promotion', exact: true }).click();
  await byTest('knowledge-form-title').fill(title);
  await byTest('knowledge-form-body').fill(`${title}: a loyalty bonus for returning customers.`);
  await byTest('knowledge-fact-validFrom').fill(validFrom);
  await byTest('knowledge-fact-validUntil').fill(validUntil);
  await byTest('knowledge-fact-amount').fill('2500');
  await byTest('knowledge-fact-currency').fill('PLN');
  await byTest('knowledge-form-save').click();
  await byTest('knowledge-form-title').waitFor({ state: 'detached' });
}

describe('one language, paraphrases, signals and promotions (headless host, no model)', () => {
  let host: HeadlessProcess;
  beforeAll(async () => {
    host = await startHeadlessProcess(tempDir());
    await openPage(host.url);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('an English session stays English through suggestions, playbook and profile, even for Polish words', async () => {
    await createLead('Emma Clarke', 'English');
    await byTest('session-new').click();
    await byTest('composer-input').waitFor();
    const english = await sendClient("Honestly I'd have to run it past my husband before we sign anything.");
    expect(await categoriesOf(english)).toContain('authority');
    const polish = await sendClient('Muszę to jeszcze obgadać z żoną, sam tego nie podpiszę.');
    for (const block of [english, polish]) {
      const cards = await block.getByTestId('suggestion-card').allTextContents();
      expect(cards.length).toBeGreaterThanOrEqual(3);
      for (const text of cards) expect(text).not.toMatch(POLISH_LETTERS);
      expect(await block.locator('[data-kind="playbook_step"]').count()).toBe(1);
    }
    // The profile's own texts are English; only the client's quoted words stay as spoken.
    await expect.poll(() => byTest('profile-next-question').textContent()).toMatch(/\?/);
    expect(await byTest('profile-next-question').textContent()).not.toMatch(POLISH_LETTERS);
    expect(await byTest('profile-archetype').textContent()).not.toMatch(POLISH_LETTERS);
  });

  it('reads a paraphrased objection in each language with its suggestions', async () => {
    const english = await sendClient("I'm worried the range drops a lot in winter and I can't charge at home.");
    expect(await categoriesOf(english)).toContain('product_fit');
    expect(await english.getByTestId('suggestion-card').count()).toBeGreaterThanOrEqual(3);

    await createLead('Piotr Nowak', 'Polish');
    await byTest('session-new').click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('Piotr Nowak');
    const polish = await sendClient('Muszę to jeszcze obgadać z szefem, sam tego nie podpiszę.');
    expect(await categoriesOf(polish)).toContain('authority');
    expect(await polish.getByTestId('suggestion-card').count()).toBeGreaterThanOrEqual(3);
  });

  it('shows a buying signal as a signal, not as an objection', async () => {
    const block = await sendClient('Kiedy mógłbym go odebrać, gdybym zamówił w tym tygodniu?');
    expect(await block.getByTestId('detected-buying-signal').count()).toBe(1);
    expect(await block.getByTestId('detected-objection').count()).toBe(0);
  });

  it('offers a promotion until its last day and never after it', async () => {
    const day = 86_400_000;
    await addPromotion('Loyalty bonus ended', localDay(Date.now() - 30 * day), localDay(Date.now() - day));
    await addPromotion('Loyalty bonus running', localDay(Date.now() - day), localDay(Date.now() + day));
    await byTest('coach-tab-coach').click();
    await createLead('Olivia Price', 'English');
    await byTest('session-new').click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('Olivia Price');
    const block = await sendClient("Is there any loyalty bonus? It's more than I wanted to spend.");
    expect(await categoriesOf(block)).toContain('price');
    const cards = (await block.getByTestId('suggestion-card').allTextContents()).join('\n');
    expect(cards).toContain('Loyalty bonus running');
    expect(cards).toMatch(/2,500 PLN/);
    expect(cards).not.toContain('Loyalty bonus ended');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});

const LONG_REPLY = 'Acknowledge the concern, then compare the total cost over five years with the current car. '.repeat(30);

describe('a streaming reply stays in view while it grows (scripted model, in-process core)', () => {
  let core: Core;
  let server: HeadlessServer;
  beforeAll(async () => {
    const root = findAppRoot(import.meta.dirname);
    core = createCore({ paths: appPaths(tempDir(), root), transport: 'headless', appVersion: 'test', osLocale: 'en-US', log: () => undefined, isOnline: () => false });
    core.useCoachLlm(scriptedLlm({ pieceDelayMs: 40, reply: () => LONG_REPLY, json: () => ({}) }));
    server = await startHeadlessServer(core, path.join(root, 'out', 'renderer'));
    await openPage(server.url);
  });
  afterAll(async () => {
    await page?.close();
    await server?.close();
    await core?.close();
  });

  /** The bottom of the streaming text lies inside the chat's scroll viewport. */
  async function streamEndVisible(): Promise<boolean> {
    return byTest('reply-text').evaluate((el) => {
      let viewport: HTMLElement | null = el.parentElement;
      while (viewport && !(viewport.scrollHeight > viewport.clientHeight && getComputedStyle(viewport).overflowY !== 'visible')) viewport = viewport.parentElement;
      if (!viewport) return false;
      const text = el.getBoundingClientRect();
      const box = viewport.getBoundingClientRect();
      return text.bottom <= box.bottom + 2 && text.bottom >= box.top;
    });
  }

  it('follows the reply as it grows, with Stop only while text streams', async () => {
    await expect.poll(() => byTest('coach-model-status').getAttribute('data-ready')).toBe('true');
    await byTest('session-quick').click();
    await byTest('composer-input').waitFor();
    await byTest('composer-input').fill("It's too expensive for us, the other dealer is cheaper.");
    await byTest('composer-input').press('Enter');
    const length = async () => ((await byTest('reply-text').textContent().catch(() => '')) ?? '').length;
    await expect.poll(length, { timeout: 20_000, interval: 100 }).toBeGreaterThan(400);
    expect(await byTest('reply-stop').isVisible()).toBe(true);
    expect(await streamEndVisible()).toBe(true);
    const first = await length();
    await expect.poll(length, { timeout: 20_000, interval: 100 }).toBeGreaterThan(first + 600);
    expect(await streamEndVisible()).toBe(true);
    await byTest('reply-stop').click();
    await byTest('reply-streaming').waitFor({ state: 'detached' });
    expect(await byTest('reply-stop').count()).toBe(0);
    // The page itself never scrolls: the chat and the profile scroll inside themselves.
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1)).toBe(true);
  });
});
