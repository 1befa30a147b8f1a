import { afterEach, describe, expect, it } from 'vitest';
import { createTempCore } from '../../../test/helpers/temp-core';
import { openDatabase } from '@main/db/open';
import { RescoreScanner, rescoreScanner } from './rescore-scanner';

/*
 * The scanner thread's failure modes, with stand-in workers that speak the protocol's start but then go
 * silent or die: the main thread, blocked in the re-score's transaction, must come back with an error
 * instead of hanging, and the next re-score must get a fresh thread.
 */

/** A worker (ES module source) that says it is ready, then does `onRequest` with each request. */
function standIn(onRequest: string): { url: URL } {
  const source = `import { parentPort, workerData } from 'node:worker_threads';
workerData.port.on('message', (request) => { ${onRequest} });
parentPort.postMessage('ready');`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(source)}`) };
}

const request = { analysisId: 'a', rules: [], valuationOptions: {}, pageSize: 10 };
const open: RescoreScanner[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('re-score scanner thread', () => {
  for (const [what, onRequest] of [
    ['goes silent', ''],
    ['dies mid-scan', 'process.exit(3);'],
    ['sends a page, then goes silent', "workerData.port.postMessage({ type: 'page', requestId: request.requestId, changes: { rid: [], id: [], score: [], status: [], fired: [], blocking: [] }, done: 10 });"],
  ] as const) {
    it(`fails the scan instead of hanging when the thread ${what}, and starts a new thread next time`, async () => {
      const scanner = new RescoreScanner('unused.sqlite', { entry: standIn(onRequest), stallMs: 300 });
      open.push(scanner);
      expect(await scanner.ready()).toBe(true);
      const pages: number[] = [];
      const started = performance.now();
      expect(() => scanner.scanSync(request, (_changes, done) => pages.push(done))).toThrow(/did not answer/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      expect(pages).toEqual(what.startsWith('sends') ? [10] : []);
      // A stuck thread was dropped: the next re-score gets a new one.
      expect(await scanner.ready()).toBe(true);
    });
  }

  it('reports a thread that cannot start, so the re-score stays in the main thread', async () => {
    const scanner = new RescoreScanner('unused.sqlite', { entry: { url: new URL('data:text/javascript,throw new Error("broken build")') } });
    open.push(scanner);
    expect(await scanner.ready()).toBe(false);
    expect(() => scanner.scanSync(request, () => {})).toThrow(/not running/);
  });

  it('is not offered for a store another connection cannot read alongside (in memory)', async () => {
    const memory = openDatabase(':memory:');
    try {
      expect(rescoreScanner(memory)).toBeNull();
    } finally {
      memory.$client.close();
    }
    const core = createTempCore();
    try {
      expect(rescoreScanner(core.db)).toBeInstanceOf(RescoreScanner);
      expect(rescoreScanner(core.db)).toBe(rescoreScanner(core.db));
    } finally {
      await core.close();
    }
  });
});
