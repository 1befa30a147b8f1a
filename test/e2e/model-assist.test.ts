import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tinyModelShape, writeTestGguf } from '../../scripts/make-test-gguf';
import { appPaths } from '@main/core/paths';
import { rememberLoaded } from '@main/models/autoload';
import { loadRecommendedModels } from '@main/models/recommended';
import { assistManifestCsv } from '../helpers/assist-fixtures';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser';
import { startHeadlessProcess, type HeadlessProcess } from '../helpers/headless-process';
import { call, importFile } from '../helpers/pallets-channels';
import { createTempCore, tempDir } from '../helpers/temp-core';

// Issue 17 in Chromium through the headless host: the model loaded last loads by itself at start; a
// recommended model (a catalog whose entry points at a loopback server) downloads with one click and is
// verified against its sha256; the model proposes names for messy pallet lines and the analyst accepts
// two suggestions and rejects one.
let host: HeadlessProcess;
let browser: Browser;
let page: Page;
let errors: string[];
let server: http.Server;
let dataDir: string;
let analysisId: string;

function serve(file: Buffer): Promise<string> {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.length) });
    res.end(file);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog-tiny.gguf`)));
}

beforeAll(async () => {
  dataDir = tempDir();
  // A previous session: one thread, the tiny model loaded last, an analysis with lines the rules cannot place.
  const seed = createTempCore({ dataDir });
  fs.mkdirSync(seed.paths.userModelsDir, { recursive: true });
  const modelPath = path.join(seed.paths.userModelsDir, 'tiny-chat.gguf');
  writeTestGguf(modelPath, { ...tinyModelShape, seed: 21 });
  await call(seed, 'settings:update', { llmThreads: 1 });
  rememberLoaded(seed.db, { path: modelPath, contextSize: 2048, gpuLayers: 0 });
  analysisId = (await importFile(seed, assistManifestCsv(tempDir(), 6))).imported.analysisId;
  await seed.close();

  const served = path.join(tempDir(), 'served.gguf');
  writeTestGguf(served, { ...tinyModelShape, seed: 22 });
  const bytes = fs.readFileSync(served);
  const url = await serve(bytes);
  const [template] = loadRecommendedModels();
  if (!template) throw new Error('the shipped catalog is empty');
  const catalog = path.join(tempDir(), 'catalog.json');
  const entry = { ...template, id: 'local-tiny', name: 'Local tiny test model', fileName: 'catalog-tiny.gguf', url, sizeBytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  fs.writeFileSync(catalog, JSON.stringify({ version: 1, models: [entry] }));

  host = await startHeadlessProcess(dataDir, { FIELDMATE_RECOMMENDED_MODELS: catalog });
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

describe('models that serve the salesperson, in Chromium', () => {
  it('starts with the last model loaded, without a click', async () => {
    await expect.poll(() => byTest('model-status-badge').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    expect(await byTest('model-status-badge').textContent()).not.toBe('No model');
  });

  it('downloads a recommended model with one click, verified by its sha256', async () => {
    await byTest('model-status-badge').click();
    await byTest('models-settings').waitFor();
    const row = page.locator('[data-testid="recommended-row"][data-id="local-tiny"]');
    await row.waitFor();
    await row.getByTestId('recommended-download').click();
    await row.getByTestId('recommended-installed').waitFor({ timeout: 60_000 });
    expect(fs.existsSync(path.join(dataDir, 'models', 'catalog-tiny.gguf'))).toBe(true);
    await page.locator('[data-testid="model-row"][data-file="catalog-tiny.gguf"]').waitFor();
    await screenshot(page, 'models-recommended');
  });

  it('runs the model on the messy pallet lines, accepts two suggestions and rejects one', async () => {
    await byTest('nav-pallets').click();
    await page.locator(`[data-testid="analysis-row"][data-id="${analysisId}"]`).getByTestId('analysis-open').click();
    await byTest('analysis-view').waitFor();
    await byTest('analysis-view-switch').getByText('Model suggestions').click();
    await byTest('assist-run').click();
    await expect.poll(() => byTest('suggestion-row').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    const before = Number(await byTest('suggestions-pending').getAttribute('data-count'));
    const first = byTest('suggestion-row').nth(0);
    const acceptedLine = await first.getAttribute('data-line');
    await first.getByTestId('suggestion-accept').click();
    await expect.poll(async () => Number(await byTest('suggestions-pending').getAttribute('data-count'))).toBe(before - 1);
    // The second by keyboard: focus the row, press A.
    await byTest('suggestion-row').nth(0).focus();
    await page.keyboard.press('a');
    await expect.poll(async () => Number(await byTest('suggestions-pending').getAttribute('data-count'))).toBe(before - 2);
    const rejectedLine = await byTest('suggestion-row').nth(0).getAttribute('data-line');
    await byTest('suggestion-row').nth(0).getByTestId('suggestion-reject').click();
    await expect.poll(async () => Number((await byTest('suggestions-pending').getAttribute('data-count')) ?? 0)).toBe(before - 3);
    await screenshot(page, 'pallets-suggestions');
    // Accepted: a synced correction beside the original cells; rejected: no correction, the line as imported.
    const store = new Database(appPaths(dataDir).dbFile, { readonly: true, fileMustExist: true });
    try {
      const corrected = store.prepare('SELECT line_id AS lineId FROM pallet_line_corrections').all() as { lineId: string }[];
      expect(corrected).toHaveLength(2);
      expect(corrected.map((c) => c.lineId)).toContain(acceptedLine);
      expect(corrected.map((c) => c.lineId)).not.toContain(rejectedLine);
      const queued = store.prepare("SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'pallet_line_corrections'").get() as { n: number };
      expect(queued.n).toBe(2);
    } finally {
      store.close();
    }
    expect(errors).toEqual([]);
  });
});
