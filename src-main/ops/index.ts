import { opsRequests } from '@shared/contract/ops';
import type { HandlersOf } from '../core/dispatch';
import type { Operations } from '../core/operations';

export interface OpsContext {
  operations: Operations;
}

export interface OpsFeature {
  handlers: HandlersOf<typeof opsRequests>;
}

/**
 * The one way to stop any long operation: `ops:cancel {requestId}` aborts the signal of the request that
 * started it (a streamed reply, a generation, an import, a download). Features keep no cancel channels.
 */
export function createOpsFeature(ctx: OpsContext): OpsFeature {
  return {
    handlers: {
      'ops:cancel': ({ requestId }) => ({ cancelled: ctx.operations.cancel(requestId) }),
    },
  };
}
