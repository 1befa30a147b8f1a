import { and, asc, eq, isNull } from 'drizzle-orm';
import { ARCHETYPES, Archetype, Confidence, type CoachLanguage } from '@shared/coaching/keys';
import type { Db } from '../db/open';
import { coachingSessions, leadArchetypes } from '../db/schema';
import { insertSynced, updateSynced } from '../db/synced-repo';
import type { Classification } from './classifier';
import { findSequence, loadCueSet } from './cue-set';

/**
 * The archetype of a whole conversation. Each client message adds its archetype evidence (cue scores and
 * the phrases that carried them) to the session's running total; the archetype shown changes only when
 * another archetype's total overtakes the current one by SWITCH_MARGIN, so one message cannot flip it.
 * Every change is kept in the lead's archetype history (synced).
 */

/** How far another archetype's evidence must lead the current one's before the archetype changes. */
export const SWITCH_MARGIN = 1;
/** Weight of a model's reading of the whole transcript, per confidence level. */
const MODEL_WEIGHT: Record<Confidence, number> = { low: 0.5, medium: 1, high: 1.5 };
const PHRASES_KEPT = 24;
const PHRASE_CHARS = 160;

export interface EvidencePhrase {
  archetype: Archetype;
  text: string;
}

export interface ArchetypeEvidence {
  scores: Record<Archetype, number>;
  phrases: EvidencePhrase[];
  messages: number;
}

export interface ArchetypeDecision {
  archetype: Archetype;
  confidence: Confidence;
  /** The phrases that support the archetype, most recent first. */
  support: string[];
}

const zeroScores = (): Record<Archetype, number> => Object.fromEntries(ARCHETYPES.map((a) => [a, 0])) as Record<Archetype, number>;

export function emptyEvidence(): ArchetypeEvidence {
  return { scores: zeroScores(), phrases: [], messages: 0 };
}

/** Stored evidence read defensively (it syncs from other devices): anything malformed counts as none. */
export function parseEvidence(json: string | null): ArchetypeEvidence {
  if (!json) return emptyEvidence();
  try {
    const raw = JSON.parse(json) as { scores?: Record<string, unknown>; phrases?: unknown; messages?: unknown };
    const scores = zeroScores();
    for (const a of ARCHETYPES) {
      const value = raw.scores?.[a];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) scores[a] = value;
    }
    const phrases = Array.isArray(raw.phrases)
      ? raw.phrases.flatMap((p: unknown) => {
          const item = p as { archetype?: unknown; text?: unknown };
          const archetype = Archetype.safeParse(item.archetype);
          return archetype.success && typeof item.text === 'string' ? [{ archetype: archetype.data, text: item.text.slice(0, PHRASE_CHARS) }] : [];
        })
      : [];
    return { scores, phrases: phrases.slice(-PHRASES_KEPT), messages: typeof raw.messages === 'number' ? raw.messages : 0 };
  } catch {
    return emptyEvidence();
  }
}

/** The archetype cue phrases of one client message, with the clause each was found in. */
export function messageEvidence(db: Db, classification: Classification, language: CoachLanguage): { scores: Record<Archetype, number>; phrases: EvidencePhrase[] } {
  const cues = loadCueSet(db, language);
  const phrases: EvidencePhrase[] = [];
  for (const [archetype, { cues: patterns }] of cues.archetypes) {
    for (const clause of classification.clauses) {
      if (patterns.some((p) => findSequence(clause.tokens, p.tokens, 1) >= 0)) phrases.push({ archetype, text: clause.text.slice(0, PHRASE_CHARS) });
    }
  }
  return { scores: { ...classification.archetypeScores }, phrases };
}

export function addEvidence(evidence: ArchetypeEvidence, scores: Record<Archetype, number>, phrases: readonly EvidencePhrase[]): ArchetypeEvidence {
  const total = zeroScores();
  for (const a of ARCHETYPES) total[a] = Math.round((evidence.scores[a] + Math.max(0, scores[a] ?? 0)) * 100) / 100;
  return { scores: total, phrases: [...evidence.phrases, ...phrases].slice(-PHRASES_KEPT), messages: evidence.messages + 1 };
}

/** A model's reading of the transcript as evidence: its archetype gains a weight by its confidence. */
export function modelEvidence(archetype: Archetype, confidence: Confidence): Record<Archetype, number> {
  const scores = zeroScores();
  scores[archetype] = MODEL_WEIGHT[confidence];
  return scores;
}

export function decideArchetype(evidence: ArchetypeEvidence, current: Archetype | null): ArchetypeDecision {
  const ranked = ARCHETYPES.map((a) => [a, evidence.scores[a]] as const).sort((x, y) => y[1] - x[1]);
  const [top] = ranked;
  const topScore = top?.[1] ?? 0;
  let archetype: Archetype = current ?? 'analytical';
  if (top && topScore > 0) {
    const lead = current ? topScore - evidence.scores[current] : Infinity;
    if (!current || lead >= SWITCH_MARGIN) archetype = top[0];
  }
  const own = evidence.scores[archetype];
  const rival = Math.max(0, ...ARCHETYPES.filter((a) => a !== archetype).map((a) => evidence.scores[a]));
  const margin = own - rival;
  const confidence: Confidence = own >= 3 && margin >= 1.5 ? 'high' : own >= 1 && margin >= 0.5 ? 'medium' : 'low';
  return { archetype, confidence, support: supportFor(evidence, archetype) };
}

/** The phrases that speak for an archetype, most recent first, without repeats. */
export function supportFor(evidence: ArchetypeEvidence, archetype: Archetype): string[] {
  return [...new Set(evidence.phrases.filter((p) => p.archetype === archetype).map((p) => p.text).reverse())].slice(0, 5);
}

export function sessionEvidence(db: Db, sessionId: string): ArchetypeEvidence {
  const row = db.select({ json: coachingSessions.archetypeEvidenceJson }).from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
  return parseEvidence(row?.json ?? null);
}

/**
 * Stores the session's new evidence and archetype; when the archetype changes, a history row records
 * the change and the phrases that tipped it.
 */
export function recordArchetype(
  db: Db,
  session: { id: string; leadId: string | null; archetype: Archetype | null },
  evidence: ArchetypeEvidence,
  decision: ArchetypeDecision,
  now = Date.now(),
): void {
  db.$client.transaction(() => {
    const changed = decision.archetype !== session.archetype && (session.archetype !== null || decision.confidence !== 'low' || decision.support.length > 0);
    updateSynced(db, coachingSessions, session.id, { archetypeEvidenceJson: JSON.stringify(evidence), ...(changed ? { archetype: decision.archetype } : {}) }, now);
    if (changed && session.leadId) {
      insertSynced(
        db,
        leadArchetypes,
        { leadId: session.leadId, sessionId: session.id, archetype: decision.archetype, previousArchetype: session.archetype, confidence: decision.confidence, evidenceJson: JSON.stringify(decision.support) },
        now,
      );
    }
  })();
}

export interface ArchetypeChange {
  archetype: Archetype;
  previousArchetype: Archetype | null;
  confidence: Confidence;
  evidence: string[];
  sessionId: string | null;
  at: number;
}

/** The lead's archetype history, oldest first ("archetype evolution"). */
export function archetypeHistory(db: Db, leadId: string): ArchetypeChange[] {
  return db
    .select()
    .from(leadArchetypes)
    .where(and(eq(leadArchetypes.leadId, leadId), isNull(leadArchetypes.deletedAt)))
    .orderBy(asc(leadArchetypes.createdAt), asc(leadArchetypes.id))
    .all()
    .flatMap((r) => {
      const archetype = Archetype.safeParse(r.archetype);
      if (!archetype.success) return [];
      let evidence: string[];
      try {
        const parsed = JSON.parse(r.evidenceJson) as unknown;
        evidence = Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
      } catch {
        evidence = [];
      }
      return [{ archetype: archetype.data, previousArchetype: Archetype.nullable().catch(null).parse(r.previousArchetype), confidence: Confidence.catch('low').parse(r.confidence), evidence, sessionId: r.sessionId, at: r.createdAt }];
    });
}
