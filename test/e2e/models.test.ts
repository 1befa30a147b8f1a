import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { tempDir } from '../helpers/temp-core';

// The Models page against the real headless host: a generated GGUF in the data folder's models folder
// is listed, inspected and loaded in the model child process; the coach then streams a model reply; a
// download from a local, deliberately slow HTTP server (with Range support) is paused, resumed, cancelled.
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];
let server: http.Server;
let serverUrl: string;
let servedBytes = 0;
let stateAfterPause: string | null = null;
let extraPath: string;

const CHUNK = 64 * 1024;
const CHUNK_DELAY_MS = 60;

function startSlowServer(file: Buffer): Promise<string> {
  server = http.createServer((req, res) => {
    const match = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (start >= file.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${file.length}` }).end();
      return;
    }
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.length - start), 'Accept-Ranges': 'bytes', ETag: '"served-1"' };
    if (match) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${file.length - 1}/${file.length}` });
    else res.writeHead(200, headers);
    let offset = start;
    const timer = setInterval(() => {
      if (res.destroyed || offset >= file.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      const end = Math.min(offset + CHUNK, file.length);
      res.write(file.subarray(offset, end));
      servedBytes += end - offset;
      offset = end;
    }, CHUNK_DELAY_MS);
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/big-model.gguf`)));
}

beforeAll(async () => {
  const dataDir = tempDir();
  fs.mkdirSync(path.join(dataDir, 'models'), { recursive: true });
  writeTestGguf(path.join(dataDir, 'models', 'tiny-chat.gguf'), { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, seed: 7 });
  fs.writeFileSync(path.join(dataDir, 'models', 'not-a-model.gguf'), 'this is not a GGUF file, only text pretending to be one');
  // A larger file to download: at 64 KB per tick it takes several seconds, time to see it move.
  const served = path.join(tempDir(), 'served.gguf');
  writeTestGguf(served, { nEmbd: 128, nLayers: 4, vocabSize: 4096, contextLength: 2048, seed: 8 });
  serverUrl = await startSlowServer(fs.readFileSync(served));
  extraPath = path.join(tempDir(), 'extra-model.gguf');
  writeTestGguf(extraPath, { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 1024, seed: 9 });

  host = await startHeadlessProcess(dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  errors = watchErrors(page);
  await page.goto(host.url);
  await page.getByTestId('status-bar').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise((done) => (server ? server.close(() => done(null)) : done(null)));
});

const byTest = (id: string) => page.getByTestId(id);
const row = () => page.locator('[data-testid="model-row"][data-file="tiny-chat.gguf"]');
const receivedBytes = async () => Number((await byTest('download-active').getAttribute('data-received')) ?? 0);

async function openModels(): Promise<void> {
  await byTest('nav-settings').click();
  await byTest('settings-tab-models').click();
  await byTest('models-settings').waitFor();
}

describe('Settings → Models in Chromium through the headless host', () => {
  it('shows no model in the status bar, and uses one thread (set in General)', async () => {
    await expect.poll(() => byTest('model-status-badge').getAttribute('data-state')).toBe('none');
    expect(await byTest('model-status-badge').textContent()).toBe('No model');
    await byTest('nav-settings').click();
    const threads = byTest('settings-threads');
    await threads.fill('1');
    await threads.blur();
    await expect.poll(() => page.getByText('Saved').count()).toBeGreaterThan(0);
  });

  it('lists the generated model with its metadata and inspects its fit', async () => {
    await openModels();
    await expect.poll(() => byTest('models-threads').textContent()).toContain('Threads used by models: 1');
    await row().waitFor();
    expect(await row().getByTestId('model-architecture').textContent()).toBe('llama');
    expect(await row().getByTestId('model-chat-template').textContent()).toBe('Yes');
    expect(await row().getByTestId('model-problem').count()).toBe(0);
    const junk = page.locator('[data-testid="model-row"][data-file="not-a-model.gguf"]');
    await expect(junk.getByTestId('model-problem').textContent()).resolves.not.toBe('');
    await row().click();
    const details = byTest('model-details');
    await screenshot(page, 'models-inspecting');
    await expect.poll(() => details.getByTestId('fit-verdict').getAttribute('data-verdict'), { timeout: 30_000 }).toBe('fits');
    await expect(details.getByTestId('fit-ram').textContent()).resolves.toMatch(/free of/);
    await screenshot(page, 'models-list-light');
  });

  it('loads the model (context 1024, CPU only) and the status bar shows it', async () => {
    await byTest('model-context').fill('1024');
    await byTest('model-gpu-layers').fill('0');
    await byTest('model-load').click();
    await row().getByTestId('model-loaded').waitFor({ timeout: 60_000 });
    await expect.poll(() => byTest('model-status-badge').getAttribute('data-state')).toBe('ready');
    await expect(byTest('model-status-badge').textContent()).resolves.toMatch(/tiny|Tiny|test/i);
    await byTest('model-unload').waitFor();
  });

  it('streams a model reply in the coach, and the status bar shows the generation speed', async () => {
    await byTest('nav-coach').click();
    await byTest('session-quick').or(byTest('session-new')).first().click();
    await byTest('composer-input').waitFor();
    await byTest('composer-input').fill('This is too expensive for us.');
    await byTest('composer-input').press('Enter');
    await byTest('instant-block').waitFor();
    await byTest('reply-done').waitFor({ timeout: 60_000 });
    expect(await byTest('instant-block').getByTestId('fallback-badge').textContent()).not.toContain('no model loaded');
    expect(await byTest('reply-done').textContent()).not.toBe('');
    await expect.poll(() => byTest('model-status-badge').textContent()).toMatch(/tok\/s/);
    await screenshot(page, 'models-coach-reply');
  });

  it('downloads with a moving progress bar, pauses, lists the partial, resumes and cancels', async () => {
    await byTest('model-status-badge').click();
    await byTest('models-settings').waitFor();
    await byTest('download-url').fill(serverUrl);
    await byTest('download-file-name').fill('big-model.gguf');
    await byTest('download-start').click();
    await expect.poll(() => byTest('download-active').getAttribute('data-state')).toBe('downloading');
    const first = await receivedBytes().catch(() => 0);
    await expect.poll(receivedBytes).toBeGreaterThan(first);
    await expect.poll(() => byTest('download-bytes').textContent()).toMatch(/of .*\/s/);
    await screenshot(page, 'models-download-light');

    await byTest('download-pause').click();
    await byTest('download-active').waitFor({ state: 'detached' });
    const partial = page.locator('[data-testid="download-partial"][data-file="big-model.gguf"]');
    await partial.waitFor();
    stateAfterPause = await partial.getAttribute('data-state');
    await screenshot(page, 'models-download-paused');
    const servedAtPause = servedBytes;

    await partial.getByTestId('download-resume').click();
    await expect.poll(() => byTest('download-active').getAttribute('data-state')).toBe('downloading');
    const resumedAt = await receivedBytes();
    await expect.poll(receivedBytes).toBeGreaterThan(resumedAt);
    // Resumed with a Range request: the server did not send the first part again.
    expect(servedBytes - servedAtPause).toBeLessThan(resumedAt);

    await byTest('download-cancel').click();
    await byTest('download-active').waitFor({ state: 'detached' });
    await expect.poll(() => partial.getAttribute('data-state')).toBe('cancelled');
    expect(await byTest('download-error').count()).toBe(0);

    // A cancelled download keeps its partial file until the user discards it.
    await partial.getByTestId('download-discard').click();
    await partial.waitFor({ state: 'detached' });
  });

  it('keeps a paused download as "paused" (not "cancelled")', () => {
    expect(stateAfterPause).toBe('paused');
  });

  it('looks right in dark mode and in Polish', async () => {
    await byTest('settings-tab-general').click();
    await page.getByText('Dark').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await byTest('settings-tab-models').click();
    await row().waitFor();
    await screenshot(page, 'models-dark');
    await byTest('settings-tab-general').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await byTest('settings-tab-models').click();
    await expect.poll(() => byTest('settings-tab-models').textContent()).toBe('Modele');
    await screenshot(page, 'models-pl-dark');
    await byTest('settings-tab-general').click();
    await byTest('settings-language').click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByText('Light').click();
    await byTest('settings-tab-models').click();
  });

  it('adds a GGUF file by path (copy), shows a clear error for a missing file, and deletes with confirmation', async () => {
    await byTest('add-path').fill('/nonexistent/model.gguf');
    await byTest('add-submit').click();
    await byTest('add-error').waitFor();
    await byTest('add-path').fill(extraPath);
    await byTest('add-submit').click();
    const extra = page.locator('[data-testid="model-row"][data-file="extra-model.gguf"]');
    await extra.waitFor();
    expect(await byTest('add-error').count()).toBe(0);
    await extra.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => extra.getAttribute('data-selected')).toBe('true');
    await byTest('model-delete').click();
    await byTest('model-delete-yes').click();
    await extra.waitFor({ state: 'detached' });
    expect(fs.existsSync(extraPath)).toBe(true);
  });

  it('unloads the model', async () => {
    await row().click();
    await byTest('model-unload').click();
    await row().getByTestId('model-loaded').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => byTest('model-status-badge').getAttribute('data-state')).toBe('none');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
    expect(fs.existsSync('test-results/models-list-light.png')).toBe(true);
  });
});
