import type { TodayView } from '@shared/coaching/pipeline-views';
import type { Db } from '../db/open';
import { dueFollowups, quietLeads } from './followups';

const DAY_MS = 86_400_000;
/** A lead with no change, session or open next step for this long has gone quiet. */
const QUIET_MS = 14 * DAY_MS;

/** The screen the app opens on: what is due today or overdue, what comes this week, who went quiet. */
export function todayView(db: Db, input: { at?: number; tzOffsetMinutes?: number } = {}): TodayView {
  const at = input.at ?? Date.now();
  const offsetMs = (input.tzOffsetMinutes ?? 0) * 60_000;
  // The end of the viewer's local day, so "due today" means the same as on their wall clock.
  const endOfDay = Math.floor((at + offsetMs) / DAY_MS) * DAY_MS + DAY_MS - offsetMs - 1;
  const followups = dueFollowups(db, { at, horizonMs: Math.max(0, endOfDay - at) });
  const shown = new Set(followups.map((f) => `${f.kind}:${f.id}`));
  const upcoming = dueFollowups(db, { at, horizonMs: 7 * DAY_MS }).filter((f) => !shown.has(`${f.kind}:${f.id}`));
  const undecidedAnalyses = db.$client
    .prepare("SELECT id, name, created_at AS createdAt FROM analyses WHERE deleted_at IS NULL AND status = 'ready' ORDER BY created_at DESC LIMIT 10")
    .all() as { id: string; name: string; createdAt: number }[];
  return { at, followups, upcoming, quietLeads: quietLeads(db, at, QUIET_MS), undecidedAnalyses };
}
