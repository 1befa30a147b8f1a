import { and, asc, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import { Archetype, CoachLanguage, CoachSource } from '@shared/coaching/keys';
import { Scorecard } from '@shared/coaching/scorecard';
import type { Message, MessageRole, Session } from '@shared/coaching/types';
import { coachingSessions, messages, suggestions } from '../db/schema';
import { deleteSynced, insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';

type SessionRow = typeof coachingSessions.$inferSelect;
type MessageRow = typeof messages.$inferSelect;

function parseScorecard(json: string | null): Session['scorecard'] {
  if (!json) return null;
  try {
    const parsed = Scorecard.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function messageCount(db: Db, sessionId: string): number {
  return db.select({ n: sql<number>`count(*)` }).from(messages).where(and(eq(messages.sessionId, sessionId), isNull(messages.deletedAt))).get()?.n ?? 0;
}

export function toSession(db: Db, row: SessionRow): Session {
  return {
    id: row.id,
    leadId: row.leadId,
    mode: row.mode,
    title: row.title,
    archetype: Archetype.nullable().catch(null).parse(row.archetype),
    language: CoachLanguage.catch('pl').parse(row.language),
    scorecard: parseScorecard(row.scorecardJson),
    endedAt: row.endedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    messageCount: messageCount(db, row.id),
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sessionId: row.sessionId,
    role: row.role,
    content: row.content,
    source: CoachSource.nullable().catch(null).parse(row.source),
    seq: row.seq,
    createdAt: row.createdAt,
  };
}

export function listSessions(db: Db, options: { leadId?: string; mode?: 'coach' | 'roleplay'; limit?: number } = {}): Session[] {
  const conditions = [isNull(coachingSessions.deletedAt)];
  if (options.leadId) conditions.push(eq(coachingSessions.leadId, options.leadId));
  if (options.mode) conditions.push(eq(coachingSessions.mode, options.mode));
  return db
    .select()
    .from(coachingSessions)
    .where(and(...conditions))
    .orderBy(desc(coachingSessions.updatedAt))
    .limit(options.limit ?? 100)
    .all()
    .map((row) => toSession(db, row));
}

export function getSessionRow(db: Db, id: string): SessionRow {
  const row = db.select().from(coachingSessions).where(eq(coachingSessions.id, id)).get();
  if (!row || row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This coaching session does not exist (it may have been deleted).');
  return row;
}

export function getSession(db: Db, id: string): Session {
  return toSession(db, getSessionRow(db, id));
}

export interface NewSession {
  leadId: string | null;
  mode: 'coach' | 'roleplay';
  title: string;
  language: CoachLanguage;
  archetype?: Archetype | null;
}

export function createSession(db: Db, input: NewSession, now?: number): Session {
  const row = insertSynced(db, coachingSessions, { leadId: input.leadId, mode: input.mode, title: input.title, language: input.language, archetype: input.archetype ?? null }, now);
  return toSession(db, row);
}

export function updateSession(db: Db, id: string, patch: { title?: string; archetype?: Archetype | null; scorecard?: Scorecard; endedAt?: number }, now?: number): Session {
  const values = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.archetype !== undefined ? { archetype: patch.archetype } : {}),
    ...(patch.scorecard !== undefined ? { scorecardJson: JSON.stringify(patch.scorecard) } : {}),
    ...(patch.endedAt !== undefined ? { endedAt: patch.endedAt } : {}),
  };
  return toSession(db, updateSynced(db, coachingSessions, id, values, now));
}

export function deleteSession(db: Db, id: string, now?: number): void {
  getSessionRow(db, id);
  deleteSynced(db, coachingSessions, id, now);
}

/** Live messages in order. */
export function listMessages(db: Db, sessionId: string): Message[] {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), isNull(messages.deletedAt)))
    .orderBy(asc(messages.seq))
    .all()
    .map(toMessage);
}

export function getMessage(db: Db, id: string): Message {
  const row = db.select().from(messages).where(eq(messages.id, id)).get();
  if (!row || row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This message does not exist (it may have been edited or deleted).');
  return toMessage(row);
}

/** Appends a message; seq continues after every earlier message, deleted ones included (ordering stays total). */
export function addMessage(db: Db, sessionId: string, role: MessageRole, content: string, source: CoachSource | null = null, now?: number): Message {
  return db.transaction(() => {
    const last = db.select({ seq: sql<number | null>`max(${messages.seq})` }).from(messages).where(eq(messages.sessionId, sessionId)).get();
    const row = insertSynced(db, messages, { sessionId, role, content, source, seq: (last?.seq ?? 0) + 1 }, now);
    updateSynced(db, coachingSessions, sessionId, {}, now);
    return toMessage(row);
  });
}

export function updateMessageContent(db: Db, id: string, content: string, now?: number): Message {
  return toMessage(updateSynced(db, messages, id, { content }, now));
}

/**
 * Tombstones the messages from `fromSeq` on, with their suggestions (edit-and-resend, regenerate).
 * Returns the ids of the removed messages.
 */
export function removeMessagesFrom(db: Db, sessionId: string, fromSeq: number, now?: number): string[] {
  return db.transaction(() => {
    const rows = db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), gte(messages.seq, fromSeq), isNull(messages.deletedAt)))
      .all();
    for (const { id } of rows) removeMessage(db, id, now);
    return rows.map((r) => r.id);
  });
}

/** Tombstones one message and the suggestions attached to it. */
export function removeMessage(db: Db, id: string, now?: number): void {
  db.transaction(() => {
    deleteSynced(db, messages, id, now);
    const linked = db.select({ id: suggestions.id }).from(suggestions).where(and(eq(suggestions.messageId, id), isNull(suggestions.deletedAt))).all();
    for (const s of linked) deleteSynced(db, suggestions, s.id, now);
  });
}
