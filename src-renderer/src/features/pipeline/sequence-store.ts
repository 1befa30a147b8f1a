import { create } from 'zustand';
import type { FollowupSequence } from '@shared/coaching/pipeline';
import { call } from '@renderer/api/client';

interface SequenceState {
  leadId: string | null;
  sequences: FollowupSequence[];
  load(leadId: string | null): Promise<void>;
  start(): Promise<void>;
  draft(stepId: string): Promise<void>;
  edit(stepId: string, body: string): Promise<void>;
  markSent(stepId: string): Promise<void>;
  reply(sequenceId: string): Promise<void>;
}

/** A lead's follow-up sequences as the brief shows them: start, draft, edit, mark sent, log a reply. */
export const useSequenceStore = create<SequenceState>((set, get) => {
  const reload = async () => {
    const { leadId } = get();
    set({ sequences: leadId ? (await call('leads:sequences', { leadId })).sequences : [] });
  };
  return {
    leadId: null,
    sequences: [],
    async load(leadId) {
      set({ leadId, sequences: [] });
      await reload();
    },
    async start() {
      const { leadId } = get();
      if (!leadId) return;
      await call('leads:startSequence', { leadId });
      await reload();
    },
    async draft(stepId) {
      await call('leads:draftStep', { stepId });
      await reload();
    },
    async edit(stepId, body) {
      await call('leads:editStep', { stepId, body });
      await reload();
    },
    async markSent(stepId) {
      await call('leads:markSent', { stepId });
      await reload();
    },
    async reply(sequenceId) {
      await call('leads:logReply', { sequenceId, text: null });
      await reload();
    },
  };
});
