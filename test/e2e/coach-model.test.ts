import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

/**
 * The coach flow with a real model: a generated GGUF is loaded from Settings → Models in the headless
 * host's own process (the model in its child), then the Coach page shows the instant suggestions,
 * streams the model reply, stops it with Esc, regenerates it, rates it, and the Dashboard counts the
 * rating. The random weights write gibberish, so only the mechanics are asserted, never the wording.
 */
const MODEL_FILE = 'coach-stream.gguf';
// 512-dim, 12 layers, Q8_0 on one thread: the coach's 400-token reply streams for several seconds on a
// 2-core machine (about 70 tokens/s), long enough to see it grow and to stop it half-way.
const MODEL_SHAPE = { nEmbd: 512, nLayers: 12, vocabSize: 2048, contextLength: 4096, type: 'q8_0', seed: 11 } as const;

let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];
let ratingsBefore = 0;

beforeAll(async () => {
  const dataDir = tempDir();
  fs.mkdirSync(path.join(dataDir, 'models'), { recursive: true });
  writeTestGguf(path.join(dataDir, 'models', MODEL_FILE), MODEL_SHAPE);
  // The host echoes its log, so the test can see the core record the reply as stopped (not finished).
  host = await startHeadlessProcess(dataDir, { FIELDMATE_LOG_ECHO: '1' });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(host.url);
  await page.getByTestId('status-bar').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const byTest = (id: string) => page.getByTestId(id);
const composer = () => byTest('composer-input');
const row = () => page.locator(`[data-testid="model-row"][data-file="${MODEL_FILE}"]`);
const streamedLength = async () => ((await byTest('reply-text').textContent({ timeout: 1_000 }).catch(() => '')) ?? '').length;

const stoppedReplies = () => host.output().split('\n').filter((line) => /\[coach\] reply .*, stopped$/.test(line)).length;

async function ratingsKpi(): Promise<number> {
  const text = await byTest('coaching-dashboard').getByTestId('coach-kpi-ratings').getByTestId('kpi-value').textContent();
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

async function openDashboardCoaching(): Promise<void> {
  await byTest('nav-dashboard').click();
  await expect.poll(() => byTest('page-title').textContent()).toBe('Dashboard');
  await byTest('dashboard-tab-coaching').click();
  await byTest('coaching-dashboard').getByTestId('coach-kpi-ratings').waitFor();
}

describe('the coach with a generated GGUF model in Chromium through the headless host process', () => {
  it('shows the empty coaching dashboard (no rating yet) before coaching', async () => {
    await byTest('nav-dashboard').click();
    await expect.poll(() => byTest('page-title').textContent()).toBe('Dashboard');
    await byTest('dashboard-tab-coaching').click();
    await byTest('dashboard-coaching-empty').waitFor();
    ratingsBefore = 0;
  });

  it('uses one thread and loads the model from Settings → Models (context 2048, CPU only)', async () => {
    await byTest('nav-settings').click();
    const threads = byTest('settings-threads');
    await threads.fill('1');
    await threads.blur();
    await expect.poll(() => page.getByText('Saved').count()).toBeGreaterThan(0);
    await byTest('settings-tab-models').click();
    await byTest('models-settings').waitFor();
    await expect.poll(() => byTest('models-threads').textContent()).toContain('Threads used by models: 1');
    await row().click();
    await expect.poll(() => byTest('model-details').getByTestId('fit-verdict').getAttribute('data-verdict'), { timeout: 30_000 }).toBe('fits');
    await byTest('model-context').fill('2048');
    await byTest('model-gpu-layers').fill('0');
    await byTest('model-load').click();
    await row().getByTestId('model-loaded').waitFor({ timeout: 60_000 });
    await expect.poll(() => byTest('model-status-badge').getAttribute('data-state')).toBe('ready');
  });

  it('shows the instant suggestions at once, then streams a growing model reply', async () => {
    await byTest('nav-coach').click();
    await expect.poll(() => byTest('coach-model-status').getAttribute('data-ready')).toBe('true');
    await byTest('lead-new').click();
    await byTest('lead-name').fill('Jan Nowak');
    await byTest('lead-save').click();
    await byTest('lead-save').waitFor({ state: 'detached' });
    await byTest('session-new').click();
    await expect.poll(() => byTest('session-title').textContent()).toContain('Jan Nowak');

    await composer().fill("It's too expensive, the competitor offers the same for less.");
    await composer().press('Enter');
    const instant = byTest('instant-block').last();
    await instant.waitFor();
    // With a model loaded the instant block still comes from the knowledge base, without the no-model note.
    await expect.poll(() => instant.getByTestId('fallback-badge').textContent()).toBe('From the knowledge base');
    expect(await instant.getByTestId('suggestion-card').count()).toBeGreaterThanOrEqual(3);

    await byTest('reply-streaming').waitFor();
    await expect.poll(streamedLength, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
    const first = await streamedLength();
    await expect.poll(streamedLength, { timeout: 10_000, interval: 100 }).toBeGreaterThan(first);
    // Still streaming: the reply is far from its 400-token limit, so Stop has something to stop.
    expect(await byTest('reply-stop').isVisible()).toBe(true);
  });

  it('stops the reply with Esc: the stream ends and the partial reply is kept, no longer growing', async () => {
    await composer().press('Escape');
    await byTest('reply-streaming').waitFor({ state: 'detached' });
    expect(await byTest('reply-stop').count()).toBe(0);
    const done = byTest('reply-done');
    await done.waitFor();
    const stopped = ((await done.textContent()) ?? '').length;
    expect(stopped).toBeGreaterThan(0);
    // A stopped reply stays as it is: a second read a moment later finds the same text.
    await page.waitForTimeout(1_000);
    expect(((await done.textContent()) ?? '').length).toBe(stopped);
    expect(await byTest('reply-streaming').count()).toBe(0);
    // The core ended it by cancellation, not by reaching the end of the reply on its own.
    await expect.poll(() => stoppedReplies()).toBe(1);
  });

  it('regenerates: a new reply streams, grows and finishes, replacing the stopped one', async () => {
    await byTest('reply-regenerate').click();
    await byTest('reply-streaming').waitFor();
    await expect.poll(streamedLength, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
    const first = await streamedLength();
    await expect.poll(streamedLength, { timeout: 10_000, interval: 100 }).toBeGreaterThan(first);
    await byTest('reply-streaming').waitFor({ state: 'detached', timeout: 60_000 });
    await byTest('reply-done').waitFor();
    expect(await byTest('reply-done').count()).toBe(1);
    expect(((await byTest('reply-done').textContent()) ?? '').length).toBeGreaterThan(first);
    expect(await byTest('reply-outcome').count()).toBe(0);
    expect(stoppedReplies()).toBe(1);
  });

  it('rates the model reply 5/5', async () => {
    const card = byTest('reply-done').getByTestId('suggestion-card');
    const star = await card.getByTestId('suggestion-rating').locator('input[value="5"]').getAttribute('id');
    await card.locator(`label[for="${star}"]`).click();
    await expect.poll(() => card.getByTestId('suggestion-rated').textContent()).toBe('Rated 5/5');
    await screenshot(page, 'coach-model-gguf');
  });

  it('the Dashboard coaching tab counts the new rating', async () => {
    await openDashboardCoaching();
    await expect.poll(() => ratingsKpi()).toBe(ratingsBefore + 1);
  });

  it('raised no page errors and wrote the screenshot', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/coach-model-gguf.png')).toBe(true);
  });
});
