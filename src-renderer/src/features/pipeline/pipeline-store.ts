import { create } from 'zustand';
import type { DueFollowup, LeadStage } from '@shared/coaching/pipeline';
import type { PreCallBrief, TodayView } from '@shared/coaching/pipeline-views';
import type { Lead } from '@shared/coaching/types';
import { call } from '@renderer/api/client';

export type LeadSort = 'updated' | 'due' | 'likelihood' | 'stage';

interface PipelineState {
  leads: Lead[];
  stage: LeadStage | null;
  sort: LeadSort;
  today: TodayView | null;
  due: DueFollowup[];
  brief: PreCallBrief | null;
  loadLeads(): Promise<void>;
  setFilter(patch: { stage?: LeadStage | null; sort?: LeadSort }): Promise<void>;
  moveLead(id: string, stage: LeadStage): Promise<void>;
  loadToday(): Promise<void>;
  loadDue(): Promise<void>;
  complete(item: DueFollowup): Promise<void>;
  snooze(item: DueFollowup, ms: number): Promise<void>;
  openBrief(leadId: string | null): Promise<void>;
  /** Reads the open brief again (after an outcome); a brief closed meanwhile stays closed. */
  refreshBrief(leadId: string): Promise<void>;
}

const DAY_MS = 86_400_000;

/** The pipeline's leads (list + board), the Today view and the reminders badge. */
export const usePipelineStore = create<PipelineState>((set, get) => ({
  leads: [],
  stage: null,
  sort: 'updated',
  today: null,
  due: [],
  brief: null,
  async loadLeads() {
    const { stage, sort } = get();
    const { leads } = await call('leads:list', { limit: 1000, sort, ...(stage ? { stage } : {}) });
    set({ leads });
  },
  async setFilter(patch) {
    set(patch);
    await get().loadLeads();
  },
  async moveLead(id, stage) {
    // Optimistic: the card moves at once; the list is re-read after the synced write.
    set({ leads: get().leads.map((l) => (l.id === id ? { ...l, stage } : l)) });
    await call('leads:update', { id, patch: { stage } });
    await Promise.all([get().loadLeads(), get().loadDue()]);
  },
  async loadToday() {
    const today = await call('leads:today', { tzOffsetMinutes: -new Date().getTimezoneOffset() });
    set({ today });
  },
  async loadDue() {
    const { items } = await call('leads:due', {});
    set({ due: items });
  },
  async complete(item) {
    await call('leads:done', { target: { kind: item.kind, id: item.id } });
    await Promise.all([get().loadToday(), get().loadDue()]);
  },
  async snooze(item, ms) {
    await call('leads:snooze', { target: { kind: item.kind, id: item.id }, until: Date.now() + ms });
    await Promise.all([get().loadToday(), get().loadDue()]);
  },
  async openBrief(leadId) {
    set({ brief: leadId ? await call('leads:brief', { leadId }) : null });
  },
  async refreshBrief(leadId) {
    const brief = await call('leads:brief', { leadId });
    if (get().brief?.lead.id === leadId) set({ brief });
  },
}));

export const SNOOZE_DAY_MS = DAY_MS;
