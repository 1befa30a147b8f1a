import { roleplayRequests } from '@shared/contract/roleplay';
import type { CoachDeps } from '../coaching';
import type { HandlersOf } from '../core/dispatch';
import { ensurePackSeeded } from '../knowledge';
import { answerDrill, nextDrill } from './drill';
import { endRoleplay, replyRoleplay, startRoleplay } from './roleplay';

/** Roleplay shares the coach's dependencies: the same store, events, log, language and model. */
export type RoleplayContext = CoachDeps;

export interface RoleplayFeature {
  handlers: HandlersOf<typeof roleplayRequests>;
}

/** Roleplay (the model plays a customer archetype, then scores the salesperson) and the objection drill. */
export function createRoleplayFeature(ctx: RoleplayContext): RoleplayFeature {
  const seeded = <T>(fn: () => T): T => {
    ensurePackSeeded(ctx.db);
    return fn();
  };
  return {
    handlers: {
      'roleplay:start': (input, op) => seeded(() => startRoleplay(ctx, input, op.signal)),
      'roleplay:reply': (input, op) => replyRoleplay(ctx, input, op.signal),
      'roleplay:end': (input, op) => endRoleplay(ctx, input, op.signal),
      'roleplay:drillNext': (input) => seeded(() => nextDrill(ctx.db, input)),
      'roleplay:drillAnswer': (input) => seeded(() => answerDrill(ctx.db, input)),
    },
  };
}
