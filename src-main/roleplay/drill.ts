import { AppError } from '@shared/contract/errors';
import { OBJECTION_CATEGORIES, type Archetype, type CoachLanguage, type ObjectionCategory } from '@shared/coaching/keys';
import { sanitizeText, tokenize } from '@shared/coaching/normalize';
import { isStopword, stemToken } from '@shared/coaching/stem';
import type { KnowledgeEntry } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { loadCueSet } from '../coaching';
import { getKnowledge, rankedByFeedback } from '../knowledge';

/**
 * The objection drill: practice without a model. The pack's objections are put to the salesperson and
 * the answer is compared with the recommended responses by the share of their key words it uses.
 */
export interface DrillPrompt {
  objection: KnowledgeEntry;
  recommendedCount: number;
}

export function nextDrill(db: Db, input: { language: CoachLanguage; category?: ObjectionCategory; archetype?: Archetype; excludeIds?: string[] }, random = Math.random): DrillPrompt {
  const exclude = new Set(input.excludeIds ?? []);
  let categories: ObjectionCategory[] = input.category ? [input.category] : [...OBJECTION_CATEGORIES];
  if (!input.category && input.archetype) {
    const affinity = [...(loadCueSet(db, input.language).archetypes.get(input.archetype)?.affinity ?? [])];
    if (affinity.length > 0 && random() < 0.7) categories = affinity;
  }
  const pool = categories.flatMap((category) => rankedByFeedback(db, { language: input.language, kind: 'objection', category }, 20).map((h) => h.entry));
  const fresh = pool.filter((e) => !exclude.has(e.id));
  const choices = fresh.length > 0 ? fresh : pool;
  const objection = choices[Math.floor(random() * choices.length)];
  if (!objection) throw new AppError('NOT_FOUND', 'The knowledge base has no objections in this language to practise with.');
  const recommendedCount = objection.category ? rankedByFeedback(db, { language: input.language, kind: 'response', category: objection.category, questions: false }, 50).length : 0;
  return { objection, recommendedCount };
}

/**
 * Key words of a text: stem → the first word it came from (shown to people instead of stems). Content
 * words only: contractions ("can't", "you'd") and anything with a digit (numbers, "160,000" in fragments,
 * "8-year") are left out with the stop-words; other hyphenated words count by their parts; one stem once.
 */
export function keyWords(text: string, language: CoachLanguage): Map<string, string> {
  const out = new Map<string, string>();
  const compounds = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  for (const word of compounds.filter((c) => !/[\p{N}'’]/u.test(c)).flatMap((c) => c.split('-'))) {
    const folded = tokenize(word)[0];
    if (!folded || folded.length < 3 || isStopword(folded, language)) continue;
    const stem = stemToken(folded, language);
    if (stem.length < 3 || isStopword(stem, language)) continue;
    if (!out.has(stem)) out.set(stem, word.toLowerCase());
  }
  return out;
}

export interface DrillComparison {
  id: string;
  title: string;
  text: string;
  /** Share (0–1) of this response's key words that the answer used. */
  overlap: number;
  matchedWords: string[];
  missingWords: string[];
}

export interface DrillResult {
  objectionId: string;
  score: number;
  verdict: 'strong' | 'partial' | 'weak';
  best: DrillComparison | null;
  recommended: DrillComparison[];
}

export function answerDrill(db: Db, input: { objectionId: string; answer: string }): DrillResult {
  const objection = getKnowledge(db, input.objectionId);
  if (objection.kind !== 'objection' || !objection.category) throw new AppError('VALIDATION', 'That entry is not an objection to practise.');
  const answer = sanitizeText(input.answer, 8000).text;
  if (!/[\p{L}\p{N}]/u.test(answer)) throw new AppError('VALIDATION', 'Type your answer to the customer first.');
  const language = objection.language;
  const said = keyWords(answer, language);
  const recommended = rankedByFeedback(db, { language, kind: 'response', category: objection.category, questions: false }, 20).map(({ entry }): DrillComparison => {
    const words = keyWords(entry.body, language);
    const matched = [...words.keys()].filter((stem) => said.has(stem));
    return {
      id: entry.id,
      title: entry.title,
      text: entry.body,
      overlap: words.size > 0 ? Math.round((matched.length / words.size) * 1000) / 1000 : 0,
      matchedWords: matched.map((s) => words.get(s) ?? s),
      missingWords: [...words.entries()].filter(([s]) => !said.has(s)).map(([, w]) => w).slice(0, 12),
    };
  });
  recommended.sort((a, b) => b.overlap - a.overlap);
  const best = recommended[0] ?? null;
  // A spoken answer rarely reuses more than half of a written one: 50 % overlap already earns full marks.
  const score = best ? Math.min(100, Math.round((best.overlap / 0.5) * 100)) : 0;
  return { objectionId: objection.id, score, verdict: score >= 60 ? 'strong' : score >= 30 ? 'partial' : 'weak', best, recommended };
}
