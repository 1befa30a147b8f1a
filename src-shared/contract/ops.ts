import { z } from 'zod';
import { RequestId, event, request } from './define';

/**
 * Operation channels: every long operation carries a caller-chosen requestId; `ops:cancel` stops any of
 * them (a reply, a generation, an import, a download) and `ops:progress` reports generic progress.
 */

export const Progress = z.object({
  requestId: RequestId,
  phase: z.string().max(64),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  message: z.string().max(500).optional(),
});
export type Progress = z.infer<typeof Progress>;

export const opsRequests = {
  /** Cancels a long operation started with this request id (no-op if already finished). */
  'ops:cancel': request(z.object({ requestId: RequestId }).strict(), z.object({ cancelled: z.boolean() }), 'Cancel a long operation', { control: true }),
} as const;

export const opsEvents = {
  'ops:progress': event(Progress, 'Progress of a long operation'),
} as const;
