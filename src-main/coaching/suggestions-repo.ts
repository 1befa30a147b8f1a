import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import { CoachSource, SuggestionKind } from '@shared/coaching/keys';
import type { Suggestion } from '@shared/coaching/types';
import { feedback, suggestions } from '../db/schema';
import { insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';

type SuggestionRow = typeof suggestions.$inferSelect;

export interface DraftSuggestion {
  kind: SuggestionKind;
  text: string;
  knowledgeIds: string[];
}

function parseIds(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function latestFeedback(db: Db, suggestionId: string) {
  return db
    .select()
    .from(feedback)
    .where(and(eq(feedback.suggestionId, suggestionId), isNull(feedback.deletedAt)))
    .orderBy(desc(feedback.updatedAt))
    .get();
}

export function toSuggestion(db: Db, row: SuggestionRow): Suggestion {
  const rated = latestFeedback(db, row.id);
  return {
    id: row.id,
    sessionId: row.sessionId,
    messageId: row.messageId,
    kind: SuggestionKind.catch('elaboration').parse(row.kind),
    text: row.text,
    knowledgeIds: parseIds(row.knowledgeIdsJson),
    source: CoachSource.catch('fallback').parse(row.source),
    rating: rated ? Math.min(5, Math.max(1, rated.rating)) : null,
    comment: rated?.comment ?? null,
    createdAt: row.createdAt,
  };
}

export function addSuggestions(db: Db, sessionId: string, messageId: string | null, drafts: readonly DraftSuggestion[], source: CoachSource, now?: number): Suggestion[] {
  return db.transaction(() =>
    drafts.map((d) =>
      toSuggestion(db, insertSynced(db, suggestions, { sessionId, messageId, kind: d.kind, text: d.text, knowledgeIdsJson: JSON.stringify(d.knowledgeIds), source }, now)),
    ),
  );
}

export function listSuggestions(db: Db, sessionId: string): Suggestion[] {
  return db
    .select()
    .from(suggestions)
    .where(and(eq(suggestions.sessionId, sessionId), isNull(suggestions.deletedAt)))
    .orderBy(asc(suggestions.createdAt), asc(suggestions.id))
    .all()
    .map((row) => toSuggestion(db, row));
}

export function getSuggestion(db: Db, id: string): Suggestion {
  const row = db.select().from(suggestions).where(eq(suggestions.id, id)).get();
  if (!row || row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This suggestion does not exist (it may have been replaced).');
  return toSuggestion(db, row);
}

/**
 * Rates a suggestion 1–5 with an optional comment. One rating per suggestion (a new rating replaces the
 * old one). The rating is attributed to the suggestion's first knowledge entry, which is what
 * retrieval re-ranks on.
 */
export function rateSuggestion(db: Db, suggestionId: string, rating: number, comment: string | null, now?: number): Suggestion {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new AppError('VALIDATION', 'A rating is a whole number from 1 to 5.');
  const suggestion = getSuggestion(db, suggestionId);
  const existing = latestFeedback(db, suggestionId);
  if (existing) updateSynced(db, feedback, existing.id, { rating, comment }, now);
  else insertSynced(db, feedback, { suggestionId, knowledgeId: suggestion.knowledgeIds[0] ?? null, rating, comment }, now);
  return getSuggestion(db, suggestionId);
}

/** How many playbook steps from this playbook the session was already shown (the next one follows). */
export function playbookStepsShown(db: Db, sessionId: string, playbookId: string): number {
  return db
    .select({ ids: suggestions.knowledgeIdsJson })
    .from(suggestions)
    .where(and(eq(suggestions.sessionId, sessionId), eq(suggestions.kind, 'playbook_step'), isNull(suggestions.deletedAt)))
    .all()
    .filter((r) => parseIds(r.ids)[0] === playbookId).length;
}
