import { localDay, promotionValidOn } from '@shared/coaching/facts';
import type { CoachLanguage, KnowledgeKind, ObjectionCategory } from '@shared/coaching/keys';
import type { KnowledgeEntry } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { rankedByFeedback, searchKnowledge } from '../knowledge';
import type { DraftSuggestion } from './suggestions-repo';
import { competitorText, productFactText, promotionText } from './templates';

/** Categories whose answers quote product, competitor or promotion facts. */
const FACT_CATEGORIES: ReadonlySet<ObjectionCategory> = new Set(['competitor', 'price', 'financing', 'product_fit', 'trust']);

type ProductField = 'range' | 'warranty' | 'charging' | 'space';

/** Which product fact a product-fit worry is about, from the client's words (both languages, stems). */
const FIELD_WORDS: readonly [ProductField, RegExp][] = [
  ['charging', /charg|plug|socket|wallbox|ładow|gniazd|wtycz/iu],
  ['space', /space|boot|trunk|tow|trailer|seat|room|cargo|bagaż|miejsc|hak|przycz|ciągn|pojemn/iu],
  ['range', /range|battery|winter|cold|km|kilomet|zasięg|bateri|akumul|zim|mróz|mroz/iu],
  ['warranty', /warrant|guarant|gwaranc/iu],
];

function liveEntries(db: Db, language: CoachLanguage, kind: KnowledgeKind): KnowledgeEntry[] {
  return rankedByFeedback(db, { language, kind }, 50).map((h) => h.entry);
}

/** The entry of a kind the client's words point at (lexically), else null. */
function mentioned(db: Db, text: string, language: CoachLanguage, kind: KnowledgeKind): KnowledgeEntry | null {
  return searchKnowledge(db, text.slice(0, 2000), { language, kinds: [kind], limit: 1 })[0]?.entry ?? null;
}

function competitorAnswer(db: Db, text: string, language: CoachLanguage): DraftSuggestion | null {
  const entry = mentioned(db, text, language, 'competitor');
  if (!entry) return null;
  const advantage = entry.facts?.advantage ?? entry.body;
  return { kind: 'objection_response', text: competitorText(language, entry.title, advantage), knowledgeIds: [entry.id] };
}

/** Promotions valid on the given day, the one the client's words point at first. */
export function currentPromotions(db: Db, language: CoachLanguage, now: number, text = ''): KnowledgeEntry[] {
  const day = localDay(now);
  const valid = liveEntries(db, language, 'promotion').filter((e) => promotionValidOn(e.facts, day));
  const pointed = text ? mentioned(db, text, language, 'promotion') : null;
  const first = pointed && valid.some((e) => e.id === pointed.id) ? pointed : null;
  return first ? [first, ...valid.filter((e) => e.id !== first.id)] : valid;
}

function promotionAnswer(db: Db, text: string, language: CoachLanguage, now: number): DraftSuggestion | null {
  const [promotion] = currentPromotions(db, language, now, text);
  if (!promotion) return null;
  return { kind: 'objection_response', text: promotionText(language, promotion.title, promotion.body, promotion.facts), knowledgeIds: [promotion.id] };
}

function productWithFact(db: Db, text: string, language: CoachLanguage, field: ProductField): { entry: KnowledgeEntry; value: string } | null {
  const pointed = mentioned(db, text, language, 'product');
  const candidates = pointed ? [pointed, ...liveEntries(db, language, 'product')] : liveEntries(db, language, 'product');
  for (const entry of candidates) {
    const value = entry.facts?.[field];
    if (value) return { entry, value };
  }
  return null;
}

/** A product fact: the one the client's words are about (`detect`), else `fallbackField`. */
function productAnswer(db: Db, text: string, language: CoachLanguage, fallbackField: ProductField, detect: boolean): DraftSuggestion | null {
  const wanted = detect ? (FIELD_WORDS.find(([, re]) => re.test(text))?.[0] ?? fallbackField) : fallbackField;
  for (const field of wanted === fallbackField ? [wanted] : [wanted, fallbackField]) {
    const found = productWithFact(db, text, language, field);
    if (found) return { kind: 'objection_response', text: productFactText(language, found.entry.title, field, found.value), knowledgeIds: [found.entry.id] };
  }
  return null;
}

/**
 * One answer quoting the knowledge base's structured facts for an objection category, in the session's
 * language and citing its entry: a battlecard for a named competitor, a promotion valid today for price
 * and financing, the product fact a product-fit worry is about, the warranty for trust. Null when the
 * knowledge base has nothing that fits (an expired promotion never does).
 */
export function factAnswer(db: Db, text: string, language: CoachLanguage, category: ObjectionCategory, now = Date.now()): DraftSuggestion | null {
  if (!FACT_CATEGORIES.has(category)) return null;
  switch (category) {
    case 'competitor':
      return competitorAnswer(db, text, language);
    case 'price':
    case 'financing':
      return promotionAnswer(db, text, language, now);
    case 'product_fit':
      return productAnswer(db, text, language, 'range', true);
    case 'trust':
      return productAnswer(db, text, language, 'warranty', false);
    default:
      return null;
  }
}
