import { ANALYSIS_LIMITS as LIMITS, type CustomerAnalysis } from '@shared/coaching/analysis';
import { NEED_STATEMENTS } from '@shared/coaching/cues';
import type { Archetype, CoachLanguage, ObjectionCategory } from '@shared/coaching/keys';
import type { CoachAnalyzeOutput, DetectedObjection } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { rankedByFeedback, searchKnowledge } from '../knowledge';
import { classify, type Classification } from './classifier';
import { compileCue, findSequence } from './cue-set';
import { factAnswer } from './knowledge-answers';
import type { DraftSuggestion } from './suggestions-repo';
import { templatePlaybookStep, templateQuestion, templateResponse } from './templates';

/** How much a lexical match between the client's words and a response adds to its rating-based rank. */
const LEXICAL_WEIGHT = 0.3;
/** Responses written for the detected archetype come first among equals. */
const ARCHETYPE_BONUS = 0.3;
const RESPONSES_FOR_TOP = 3;

export interface FallbackOptions {
  previousArchetype?: Archetype | null;
  /** How many steps of a playbook this session has already shown (0 outside a session). */
  stepsShown?: (playbookId: string) => number;
  /**
   * The session's language: every suggestion is in it, whatever language the words were read in (the
   * client may speak Polish in an English session). Defaults to the reading language.
   */
  answerLanguage?: CoachLanguage;
  /** Today, for promotions' validity (tests pin it). */
  now?: number;
}

export interface FallbackResult {
  language: CoachLanguage;
  classification: Classification;
  suggestions: DraftSuggestion[];
  analysis: CustomerAnalysis;
  elapsedMs: number;
}

/** Numbered lines of a playbook body ("1. …"); any non-empty lines if it is not numbered. */
export function playbookSteps(body: string): string[] {
  const lines = body.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const numbered = lines.map((l) => /^\d+[.)]\s*(.+)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  return numbered.length > 0 ? numbered : lines;
}

function pickResponses(db: Db, text: string, language: CoachLanguage, category: ObjectionCategory, archetype: Archetype, count: number) {
  const lexical = new Map(searchKnowledge(db, text.slice(0, 2000), { language, kinds: ['response'], category, limit: 20 }).map((h) => [h.entry.id, h.lexical]));
  const candidates = rankedByFeedback(db, { language, kind: 'response', category, questions: false }, 50);
  const scored = candidates.map((hit, order) => {
    const bonus = hit.entry.archetype === null ? 0 : hit.entry.archetype === archetype ? ARCHETYPE_BONUS : -ARCHETYPE_BONUS / 3;
    return { hit, order, score: hit.score + LEXICAL_WEIGHT * (lexical.get(hit.entry.id) ?? 0) + bonus };
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, count).map((s) => s.hit);
}

function objectionEntryId(db: Db, language: CoachLanguage, category: ObjectionCategory): string | null {
  return rankedByFeedback(db, { language, kind: 'objection', category }, 1)[0]?.entry.id ?? null;
}

/** Knowledge entries are looked up in the session's language only; without one the coach's own template answers. */
function question(db: Db, language: CoachLanguage, category: ObjectionCategory | null, archetype: Archetype): DraftSuggestion {
  const hit = (category ? rankedByFeedback(db, { language, kind: 'response', category, questions: true }, 1)[0] : undefined)
    ?? rankedByFeedback(db, { language, kind: 'response', category: null, archetype, questions: true }, 1)[0];
  return hit ? { kind: 'next_question', text: hit.entry.body, knowledgeIds: [hit.entry.id] } : { kind: 'next_question', text: templateQuestion(language), knowledgeIds: [] };
}

function playbookStep(db: Db, language: CoachLanguage, archetype: Archetype, stepsShown: (id: string) => number): DraftSuggestion {
  const playbook = rankedByFeedback(db, { language, kind: 'playbook', archetype }, 1)[0];
  const steps = playbook ? playbookSteps(playbook.entry.body) : [];
  const step = playbook ? steps[Math.min(stepsShown(playbook.entry.id), steps.length - 1)] : undefined;
  return playbook && step ? { kind: 'playbook_step', text: step, knowledgeIds: [playbook.entry.id] } : { kind: 'playbook_step', text: templatePlaybookStep(language), knowledgeIds: [] };
}

function needs(classification: Classification, language: CoachLanguage): string[] {
  const cues = NEED_STATEMENTS[language].map((p) => compileCue(p, language)).filter((c) => c !== null);
  const objectionQuotes = new Set(classification.objections.map((o) => o.quote));
  return classification.clauses
    .filter((c) => !objectionQuotes.has(c.text) && cues.some((cue) => findSequence(c.tokens, cue.tokens) >= 0))
    .map((c) => c.text.slice(0, LIMITS.item))
    .slice(0, LIMITS.needs);
}

function fallbackAnalysis(classification: Classification, language: CoachLanguage, nextQuestion: string): CustomerAnalysis {
  const { objections, buyingSignals, sentimentBalance } = classification;
  const sentiment = sentimentBalance > 0 ? 'positive' : sentimentBalance < 0 ? 'negative' : 'neutral';
  const likelihood = 50 + 10 * buyingSignals.length - 10 * objections.length + (sentiment === 'positive' ? 5 : sentiment === 'negative' ? -5 : 0);
  return {
    archetype: classification.archetype,
    archetype_confidence: classification.archetypeConfidence,
    needs: needs(classification, language),
    objections: objections.slice(0, LIMITS.objections).map((o: DetectedObjection) => ({ category: o.category, quote: o.quote.slice(0, LIMITS.quote) })),
    buying_signals: buyingSignals.slice(0, LIMITS.signals).map((s) => s.slice(0, LIMITS.item)),
    sentiment,
    purchase_likelihood: Math.max(5, Math.min(95, Math.round(likelihood))),
    next_best_question: nextQuestion.slice(0, LIMITS.question),
  };
}

/**
 * The deterministic coach: what it needs is the knowledge base, nothing else. Objection categories and
 * archetype from cue phrases + retrieval, then the best-rated responses for the top objection (and one
 * for the second), a discovery question and the next step of the archetype's playbook, each citing the
 * knowledge entries it came from.
 */
export function fallbackCoach(db: Db, text: string, language: CoachLanguage, options: FallbackOptions = {}): FallbackResult {
  const started = performance.now();
  const answerLanguage = options.answerLanguage ?? language;
  const classification = classify(db, text, language, { previousArchetype: options.previousArchetype ?? null });
  const suggestions = suggestionsFor(db, text, answerLanguage, classification.objections.map((o) => o.category), classification.archetype, options.stepsShown, options.now);
  const nextQuestion = suggestions.find((s) => s.kind === 'next_question')?.text ?? '';
  const analysis = fallbackAnalysis(classification, language, nextQuestion);
  return { language: answerLanguage, classification, suggestions, analysis, elapsedMs: performance.now() - started };
}

/**
 * Knowledge-base suggestions for objection categories (most likely first) and an archetype: the top
 * responses for the first category and the best one for the second, a discovery question and the next
 * playbook step. Shared by the fallback coach and the model path (which supplies its own reading).
 */
export function suggestionsFor(
  db: Db,
  text: string,
  language: CoachLanguage,
  categories: readonly ObjectionCategory[],
  archetype: Archetype,
  stepsShown: (playbookId: string) => number = () => 0,
  now = Date.now(),
): DraftSuggestion[] {
  const [top, second] = categories;
  const suggestions: DraftSuggestion[] = [];
  for (const [category, count] of [
    [top, RESPONSES_FOR_TOP],
    [second, 1],
  ] as const) {
    if (!category) continue;
    const objectionId = objectionEntryId(db, language, category);
    const responses: DraftSuggestion[] = pickResponses(db, text, language, category, archetype, count).map((hit) => ({
      kind: 'objection_response',
      text: hit.entry.body,
      knowledgeIds: objectionId ? [hit.entry.id, objectionId] : [hit.entry.id],
    }));
    if (responses.length === 0) responses.push({ kind: 'objection_response', text: templateResponse(language, category), knowledgeIds: [] });
    // A fact from the knowledge base (battlecard, valid promotion, product fact) right after the best response.
    const fact = factAnswer(db, text, language, category, now);
    if (fact) responses.splice(1, 0, fact);
    suggestions.push(...responses);
  }
  suggestions.push(question(db, language, top ?? null, archetype));
  suggestions.push(playbookStep(db, language, archetype, stepsShown));
  return suggestions;
}

/** The `cli coach analyze --json` shape for a fallback result. */
export function toAnalyzeOutput(result: FallbackResult): CoachAnalyzeOutput {
  return {
    source: 'fallback',
    archetype: result.classification.archetype,
    archetype_confidence: result.classification.archetypeConfidence,
    objections: result.classification.objections.map((o) => ({ category: o.category, quote: o.quote })),
    buying_signals: result.analysis.buying_signals,
    suggestions: result.suggestions.flatMap((s) => (s.kind === 'elaboration' ? [] : [{ kind: s.kind, text: s.text, knowledge_ids: s.knowledgeIds }])),
  };
}
