import { and, desc, eq, isNull } from 'drizzle-orm';
import { CustomerAnalysis } from '@shared/coaching/analysis';
import { CoachSource } from '@shared/coaching/keys';
import type { ClientProfile } from '@shared/coaching/types';
import { clientProfiles } from '../db/schema';
import { insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { archetypeHistory, sessionEvidence, supportFor } from './archetype-evidence';

type ProfileRow = typeof clientProfiles.$inferSelect;

function toProfile(db: Db, row: ProfileRow): ClientProfile | null {
  try {
    const analysis = CustomerAnalysis.safeParse(JSON.parse(row.analysisJson));
    if (!analysis.success) return null;
    // The supporting phrases come from the session's accumulated evidence, for the archetype the profile shows.
    const evidence = row.sessionId ? supportFor(sessionEvidence(db, row.sessionId), analysis.data.archetype) : [];
    const history = archetypeHistory(db, row.leadId).map((c) => ({ archetype: c.archetype, at: c.at }));
    return {
      id: row.id,
      leadId: row.leadId,
      sessionId: row.sessionId,
      analysis: analysis.data,
      source: CoachSource.catch('fallback').parse(row.source),
      archetypeEvidence: evidence,
      archetypeHistory: history,
      updatedAt: row.updatedAt,
    };
  } catch {
    return null;
  }
}

/** The lead's current profile (one row per lead, the latest analysis). */
export function getProfile(db: Db, leadId: string): ClientProfile | null {
  const row = db.select().from(clientProfiles).where(and(eq(clientProfiles.leadId, leadId), isNull(clientProfiles.deletedAt))).orderBy(desc(clientProfiles.updatedAt)).get();
  return row ? toProfile(db, row) : null;
}

/** Stores the latest analysis as the lead's profile (updates the row in place so it syncs as one record). */
export function saveProfile(db: Db, leadId: string, sessionId: string | null, analysis: CustomerAnalysis, source: CoachSource, now?: number): ClientProfile {
  const valid = CustomerAnalysis.parse(analysis);
  const existing = db.select().from(clientProfiles).where(and(eq(clientProfiles.leadId, leadId), isNull(clientProfiles.deletedAt))).orderBy(desc(clientProfiles.updatedAt)).get();
  const values = { sessionId, analysisJson: JSON.stringify(valid), archetype: valid.archetype, source };
  const row = existing ? updateSynced(db, clientProfiles, existing.id, values, now) : insertSynced(db, clientProfiles, { leadId, ...values }, now);
  const profile = toProfile(db, row);
  if (!profile) throw new Error('A stored profile failed to read back');
  return profile;
}
