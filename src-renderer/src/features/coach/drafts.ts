import type { StoreApi } from 'zustand';

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
