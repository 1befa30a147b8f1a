import { z } from 'zod';
import { Empty, RequestId, event, request } from './define';
import { Language } from './settings';

/**
 * Sample data for a first look: a demo lead with a short coaching session and its client profile, and a
 * demo pallet manifest imported with the current rules. Clearly marked as sample; removed in one step.
 */
export const SampleState = z.object({
  loaded: z.boolean(),
  leadId: z.string().nullable(),
  sessionId: z.string().nullable(),
  analysisId: z.string().nullable(),
  loadedAt: z.number().nullable(),
});
export type SampleState = z.infer<typeof SampleState>;

export const sampleRequests = {
  'sample:status': request(Empty, SampleState, 'Whether sample data is loaded, and its records'),
  'sample:load': request(z.object({ requestId: RequestId, language: Language }).strict(), SampleState, 'Load the sample lead, session, profile and manifest (once)'),
  'sample:remove': request(Empty, z.object({ removed: z.number().int().nonnegative() }), 'Delete every sample record through the synced write path (tombstones are sent at the next sync)'),
} as const;

export const sampleEvents = {
  'sample:changed': event(SampleState, 'Sample data was loaded or removed'),
} as const;
