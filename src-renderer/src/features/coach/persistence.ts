import type { StoreApi } from 'zustand';

/** What the coaching screen keeps across reloads: unsent drafts and the session that was open. */

export type Speaker = 'client' | 'salesperson';

export interface Draft {
  text: string;
  role: Speaker;
}

const DRAFTS_KEY = 'fieldmate.coach.drafts';

export function loadDrafts(): Record<string, Draft> {
  try {
    const raw = localStorage.getItem(DRAFTS_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, Draft> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) continue;
      const { text, role } = value as Record<string, unknown>;
      if (typeof text === 'string') out[key] = { text, role: role === 'salesperson' ? 'salesperson' : 'client' };
    }
    return out;
  } catch {
    return {};
  }
}

/** Drafts survive a reload too: written a moment after typing stops. */
export function persistDrafts<S extends { drafts: Record<string, Draft> }>(store: StoreApi<S>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  store.subscribe((state, previous) => {
    if (state.drafts === previous.drafts) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        const kept = Object.fromEntries(Object.entries(store.getState().drafts).filter(([, d]) => d.text.length > 0));
        localStorage.setItem(DRAFTS_KEY, JSON.stringify(kept));
      } catch {
        // A full storage only loses the copy kept across reloads; the draft stays in memory.
      }
    }, 400);
  });
}

const LAST_OPEN_KEY = 'fieldmate.coach.lastOpen';

export interface LastOpen {
  leadId: string | null;
  sessionId: string | null;
}

export function loadLastOpen(): LastOpen {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(LAST_OPEN_KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return { leadId: null, sessionId: null };
    const { leadId, sessionId } = parsed as Record<string, unknown>;
    return { leadId: typeof leadId === 'string' ? leadId : null, sessionId: typeof sessionId === 'string' ? sessionId : null };
  } catch {
    return { leadId: null, sessionId: null };
  }
}

export function persistLastOpen<S extends LastOpen>(store: StoreApi<S>): void {
  store.subscribe((state, previous) => {
    if (state.leadId === previous.leadId && state.sessionId === previous.sessionId) return;
    try {
      localStorage.setItem(LAST_OPEN_KEY, JSON.stringify({ leadId: state.leadId, sessionId: state.sessionId }));
    } catch {
      // Not remembering the open session only costs a click after a reload.
    }
  });
}
