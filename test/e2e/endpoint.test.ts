import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createCore, type Core } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';
import { startHeadlessServer, type HeadlessServer } from '@main/headless/server';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startOpenAiServer, type OpenAiTestServer } from '../helpers/openai-server';
import { scriptedLlm } from '../helpers/scripted-llm';
import { tempDir } from '../helpers/temp-core';

/**
 * Issue 17 item 3 in Chromium: the Endpoint section of Settings → Models configures an OpenAI-compatible
 * server on loopback for the coaching reply; a reply streams from it; the server is cut and the next
 * reply comes from the local model (a scripted one) without waiting; the section then shows the endpoint
 * as unreachable and the usage panel counts both.
 */
const ENDPOINT_PIECES = ['Endpoint', ' says:', ' ask', ' which', ' budget', ' feels', ' right', ' for', ' you.'];
const LOCAL_REPLY = 'Local model says: ask what the price is compared with.';

let browser: Browser;
let page: Page;
let errors: string[];
let core: Core;
let host: HeadlessServer;
let openai: OpenAiTestServer;

beforeAll(async () => {
  openai = await startOpenAiServer({ models: ['team-model'] });
  openai.setMode({ kind: 'stream', pieces: ENDPOINT_PIECES, pieceDelayMs: 80 });
  const root = findAppRoot(import.meta.dirname);
  core = createCore({ paths: appPaths(tempDir(), root), transport: 'headless', appVersion: 'test', osLocale: 'en-US', log: () => undefined, isOnline: () => false });
  core.useCoachLlm(scriptedLlm({ reply: () => LOCAL_REPLY }));
  host = await startHeadlessServer(core, path.join(root, 'out', 'renderer'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(host.url);
  await page.getByTestId('status-bar').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await core?.close();
  await openai?.close();
});

const byTest = (id: string) => page.getByTestId(id);

async function openModels(): Promise<void> {
  await byTest('nav-settings').click();
  await byTest('settings-tab-models').click();
  await byTest('endpoint-settings').waitFor();
}

async function sendClient(text: string): Promise<void> {
  const before = await byTest('instant-block').count();
  await byTest('composer-input').fill(text);
  await byTest('composer-input').press('Enter');
  await expect.poll(() => byTest('instant-block').count()).toBe(before + 1);
}

describe('model endpoint in Chromium', () => {
  it('configures the endpoint for the coaching reply from the keyboard and tests the connection', async () => {
    await openModels();
    await expect.poll(() => byTest('endpoint-health').getAttribute('data-state')).toBe('unknown');
    await byTest('endpoint-url').fill(openai.baseUrl);
    await byTest('endpoint-model').fill('team-model');
    await byTest('endpoint-key').fill('sk-e2e-secret');
    // The per-task choice is a radio group: reachable and changeable from the keyboard.
    await byTest('endpoint-route-coachReply').getByRole('radio', { name: 'Endpoint', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => byTest('endpoint-route-coachReply').getByRole('radio', { name: 'Endpoint', exact: true }).isChecked()).toBe(true);
    await byTest('endpoint-model').press('Enter');
    await expect.poll(() => page.getByText('Endpoint settings saved.').count()).toBeGreaterThan(0);
    // Write-only: the field is emptied and the page only says a key is kept.
    expect(await byTest('endpoint-key').inputValue()).toBe('');
    expect(await page.content()).not.toContain('sk-e2e-secret');

    await byTest('endpoint-test').click();
    await expect.poll(() => byTest('endpoint-test-result').getAttribute('data-ok')).toBe('true');
    expect(await byTest('endpoint-test-result').textContent()).toContain('1 models');
    expect(openai.requests.at(-1)?.authorization).toBe('Bearer sk-e2e-secret');
    await expect.poll(() => byTest('endpoint-health').getAttribute('data-state')).toBe('ok');
    await screenshot(page, 'endpoint-settings');
  });

  it('streams a coaching reply from the endpoint', async () => {
    await byTest('nav-coach').click();
    await byTest('session-quick').click();
    await byTest('composer-input').waitFor();
    await sendClient("It's too expensive for us.");
    // Seen while it streams: part of the endpoint's text, before the end.
    await expect.poll(async () => (await byTest('reply-text').textContent().catch(() => '')) ?? '').toContain('Endpoint says');
    await expect.poll(() => byTest('reply-done').last().textContent()).toContain('Endpoint says: ask which budget feels right for you.');
  });

  it('answers from the local model once the endpoint is cut', async () => {
    await openai.cut();
    await sendClient('Still, the price is too high.');
    await expect.poll(() => byTest('reply-done').last().textContent()).toContain(LOCAL_REPLY);
    expect(await byTest('reply-outcome').count()).toBe(0);
    await screenshot(page, 'endpoint-local-fallback');
  });

  it('shows the endpoint as unreachable and counts the usage of both models', async () => {
    await openModels();
    await expect.poll(() => byTest('endpoint-health').getAttribute('data-state')).toBe('down');
    await byTest('endpoint-down').waitFor();
    await expect.poll(() => page.locator('[data-testid="usage-row"][data-task="coachReply"][data-source="endpoint"]').count()).toBe(1);
    expect(await page.locator('[data-testid="usage-row"][data-task="coachReply"][data-source="local"]').count()).toBe(1);
    const tokensOut = await page.locator('[data-testid="usage-row"][data-task="coachReply"][data-source="endpoint"]').getByTestId('usage-tokens-out').textContent();
    expect(Number(tokensOut)).toBe(ENDPOINT_PIECES.length);
    await screenshot(page, 'endpoint-usage');
    expect(errors).toEqual([]);
  });
});
