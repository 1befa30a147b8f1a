import { EndpointTimeouts, TaskRoutes, type EndpointPatch, type TaskRoutes as Routes } from '@shared/contract/endpoint';
import { z } from 'zod';
import type { Db } from '../db/open';
import { readSettingsRows, writeSettingsRows } from '../settings';

/** The endpoint's settings except its key (which lives in the secret store). */
export interface EndpointConfig {
  baseUrl: string;
  model: string;
  routes: Routes;
  timeouts: EndpointTimeouts;
}

const SETTINGS_KEY = 'endpoint';
export const ENDPOINT_KEY_SECRET = 'endpoint.key';
export const ENDPOINT_KEY_ENV = 'FIELDMATE_ENDPOINT_KEY';

// Local by default: nothing leaves the laptop until the salesperson chooses an endpoint for a task.
// The connect bound is short because a dead network must never hold an answer up.
export const DEFAULT_ENDPOINT: EndpointConfig = {
  baseUrl: '',
  model: '',
  routes: { coachReply: 'local', customerAnalysis: 'local', roleplay: 'local', palletAssist: 'local' },
  timeouts: { connectMs: 2500, firstTokenMs: 20_000, idleMs: 15_000 },
};

const Stored = z.object({ baseUrl: z.string(), model: z.string(), routes: TaskRoutes.partial(), timeouts: EndpointTimeouts.partial() }).partial();

/** Stored as one JSON row in `settings`; a value that no longer validates falls back to the defaults. */
export function readEndpointConfig(db: Db): EndpointConfig {
  const parsed = Stored.safeParse(readSettingsRows(db).get(SETTINGS_KEY));
  const stored = parsed.success ? parsed.data : {};
  return {
    baseUrl: stored.baseUrl ?? DEFAULT_ENDPOINT.baseUrl,
    model: stored.model ?? DEFAULT_ENDPOINT.model,
    routes: { ...DEFAULT_ENDPOINT.routes, ...stored.routes },
    timeouts: { ...DEFAULT_ENDPOINT.timeouts, ...stored.timeouts },
  };
}

export function writeEndpointConfig(db: Db, patch: Omit<EndpointPatch, 'key'>): EndpointConfig {
  const current = readEndpointConfig(db);
  const next: EndpointConfig = {
    baseUrl: patch.baseUrl !== undefined ? patch.baseUrl.trim().replace(/\/+$/, '') : current.baseUrl,
    model: patch.model ?? current.model,
    routes: { ...current.routes, ...patch.routes },
    timeouts: { ...current.timeouts, ...patch.timeouts },
  };
  writeSettingsRows(db, { [SETTINGS_KEY]: next });
  return next;
}

/** An address on this machine or the local network: reachable without the internet ("auto" may use it offline). */
export function isLocalAddress(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return (
      host === 'localhost' || host.endsWith('.local') || host === '::1' || /^127\./.test(host) || /^10\./.test(host) ||
      /^192\.168\./.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host) || /^f[cd][0-9a-f]{2}:/i.test(host)
    );
  } catch {
    return false;
  }
}
