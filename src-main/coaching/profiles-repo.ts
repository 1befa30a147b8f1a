import { and, desc, eq, isNull } from 'drizzle-orm';
import { CustomerAnalysis } from '../../src-shared/coaching/analysis';
import { CoachSource } from '../../src-shared/coaching/keys';
import type { ClientProfile } from '../../src-shared/coaching/types';
import { clientProfiles } from '../db/schema';
import { insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';

type ProfileRow = typeof clientProfiles.$inferSelect;

function toProfile(row: ProfileRow): ClientProfile | null {
  try {
    const analysis = CustomerAnalysis.safeParse(JSON.parse(row.analysisJson));
    if (!analysis.success) return null;
    return { id: row.id, leadId: row.leadId, sessionId: row.sessionId, analysis: analysis.data, source: CoachSource.catch('fallback').parse(row.source), updatedAt: row.updatedAt };
  } catch {
    return null;
  }
}

/** The lead's current profile (one row per lead, the latest analysis). */
export function getProfile(db: Db, leadId: string): ClientProfile | null {
  const row = db.select().from(clientProfiles).where(and(eq(clientProfiles.leadId, leadId), isNull(clientProfiles.deletedAt))).orderBy(desc(clientProfiles.updatedAt)).get();
  return row ? toProfile(row) : null;
}

/** Stores the latest analysis as the lead's profile (updates the row in place so it syncs as one record). */
export function saveProfile(db: Db, leadId: string, sessionId: string | null, analysis: CustomerAnalysis, source: CoachSource, now?: number): ClientProfile {
  const valid = CustomerAnalysis.parse(analysis);
  const existing = db.select().from(clientProfiles).where(and(eq(clientProfiles.leadId, leadId), isNull(clientProfiles.deletedAt))).orderBy(desc(clientProfiles.updatedAt)).get();
  const values = { sessionId, analysisJson: JSON.stringify(valid), archetype: valid.archetype, source };
  const row = existing ? updateSynced(db, clientProfiles, existing.id, values, now) : insertSynced(db, clientProfiles, { leadId, ...values }, now);
  const profile = toProfile(row);
  if (!profile) throw new Error('A stored profile failed to read back');
  return profile;
}
