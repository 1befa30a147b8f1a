import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, isLocalAddress, readEndpointConfig, writeEndpointConfig } from '@main/endpoint/endpoint-config';
import { listUsage, localDay, recordUsage } from '@main/endpoint/usage-repo';
import { writeSettingsRows } from '@main/settings';
import { createTempCore } from '../helpers/temp-core';

const core = createTempCore();
afterAll(() => core.close());

describe('endpoint settings and usage storage', () => {
  it('starts local for every task, merges partial updates, and repairs a stored value that no longer validates', () => {
    expect(readEndpointConfig(core.db)).toEqual(DEFAULT_ENDPOINT);
    const saved = writeEndpointConfig(core.db, { baseUrl: ' http://localhost:1234/v1/ ', routes: { roleplay: 'auto' }, timeouts: { idleMs: 9000 } });
    expect(saved).toMatchObject({ baseUrl: 'http://localhost:1234/v1', routes: { ...DEFAULT_ENDPOINT.routes, roleplay: 'auto' }, timeouts: { ...DEFAULT_ENDPOINT.timeouts, idleMs: 9000 } });
    expect(readEndpointConfig(core.db)).toEqual(saved);
    writeSettingsRows(core.db, { endpoint: { baseUrl: 42, routes: { coachReply: 'everywhere' } } });
    expect(readEndpointConfig(core.db)).toEqual(DEFAULT_ENDPOINT);
  });

  it('tells loopback and private-network addresses from the internet', () => {
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://[::1]:1234/v1', 'http://192.168.1.20:8000/v1', 'http://10.0.0.5/v1', 'http://172.20.1.1/v1', 'http://gpu-box.local/v1']) expect(isLocalAddress(url), url).toBe(true);
    for (const url of ['https://api.openai.com/v1', 'http://172.32.0.1/v1', 'http://8.8.8.8/v1', 'not a url']) expect(isLocalAddress(url), url).toBe(false);
  });

  it('adds usage to its local day, task and source', () => {
    const day = new Date(2026, 11, 8, 23, 59);
    const next = new Date(2026, 11, 9, 0, 1);
    const sample = { task: 'coachReply' as const, source: 'endpoint' as const, ok: true, promptTokens: 100, completionTokens: 40, totalMs: 900, generationMs: 700 };
    recordUsage(core.db, sample, day);
    recordUsage(core.db, { ...sample, ok: false, completionTokens: 0, totalMs: 2500, generationMs: 0 }, day);
    recordUsage(core.db, sample, next);
    const rows = listUsage(core.db, 2, next);
    expect(rows).toEqual([
      { day: localDay(next), task: 'coachReply', source: 'endpoint', requests: 1, failures: 0, promptTokens: 100, completionTokens: 40, totalMs: 900, generationMs: 700 },
      { day: '2026-12-08', task: 'coachReply', source: 'endpoint', requests: 2, failures: 1, promptTokens: 200, completionTokens: 40, totalMs: 3400, generationMs: 700 },
    ]);
    expect(listUsage(core.db, 1, next)).toHaveLength(1);
  });
});
