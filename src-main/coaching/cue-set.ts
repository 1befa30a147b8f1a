import type Database from 'better-sqlite3';
import { ACCEPTANCE, BUYING_SIGNALS, SENTIMENT_WORDS } from '@shared/coaching/cues';
import { Archetype, ObjectionCategory, TAG_AFFINITY_PREFIX, TAG_QUESTION, type CoachLanguage } from '@shared/coaching/keys';
import { stemSequence } from '@shared/coaching/stem';
import { tokenize } from '@shared/coaching/normalize';
import type { Db } from '../db/open';

/** A cue phrase as a stemmed token sequence, and what finding it is worth. */
export interface CuePattern {
  phrase: string;
  tokens: string[];
  weight: number;
}

export interface CueSet {
  language: CoachLanguage;
  objections: Map<ObjectionCategory, CuePattern[]>;
  archetypes: Map<Archetype, { cues: CuePattern[]; affinity: Set<ObjectionCategory> }>;
  acceptance: CuePattern[];
  buying: CuePattern[];
  positive: Set<string>;
  negative: Set<string>;
}

/** Longer phrases are more specific, so they count more than single words. */
export function compileCue(phrase: string, language: CoachLanguage): CuePattern | null {
  // "renault^2": an explicit multiplier for cues that are decisive on their own (a competitor's name).
  const boost = /\^(\d+(?:\.\d+)?)$/.exec(phrase);
  const text = boost ? phrase.slice(0, boost.index) : phrase;
  const multiplier = boost ? Math.min(5, Number(boost[1])) : 1;
  const tokens = stemSequence(text, language);
  if (tokens.length === 0) return null;
  return { phrase: text, tokens, weight: (1 + 0.5 * (tokens.length - 1)) * multiplier };
}

function compileAll(phrases: readonly string[], language: CoachLanguage): CuePattern[] {
  return phrases.map((p) => compileCue(p, language)).filter((p): p is CuePattern => p !== null);
}

/**
 * Index where `pattern` starts in `tokens`, or -1. Consecutive pattern tokens may be separated by at
 * most `maxGap` other tokens, so "don't need" also finds "don't really need" and "za drogo" finds
 * "za bardzo drogo".
 */
export function findSequence(tokens: readonly string[], pattern: readonly string[], maxGap = 0): number {
  const first = pattern[0];
  if (first === undefined) return -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== first) continue;
    let at = i;
    let ok = true;
    for (let j = 1; j < pattern.length && ok; j++) {
      ok = false;
      for (let k = at + 1; k <= at + 1 + maxGap && k < tokens.length; k++) {
        if (tokens[k] === pattern[j]) {
          at = k;
          ok = true;
          break;
        }
      }
    }
    if (ok) return i;
  }
  return -1;
}

interface CueRow {
  kind: string;
  category: string | null;
  archetype: string | null;
  tags_json: string;
}

const cache = new WeakMap<Database.Database, Map<CoachLanguage, { signature: string; cues: CueSet }>>();

function parseTags(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The cue phrases of the knowledge base (objection and archetype entries' tags, user-editable) compiled
 * for one language. Cached until any objection or archetype entry of that language changes.
 */
export function loadCueSet(db: Db, language: CoachLanguage): CueSet {
  const client = db.$client;
  let perDb = cache.get(client);
  if (!perDb) {
    perDb = new Map();
    cache.set(client, perDb);
  }
  const sig = client
    .prepare("SELECT count(*) AS n, max(updated_at) AS m FROM knowledge_entries WHERE language = ? AND kind IN ('objection', 'archetype')")
    .get(language) as { n: number; m: number | null };
  const signature = `${sig.n}:${sig.m ?? 0}`;
  const hit = perDb.get(language);
  if (hit && hit.signature === signature) return hit.cues;

  const rows = client
    .prepare("SELECT kind, category, archetype, tags_json FROM knowledge_entries WHERE deleted_at IS NULL AND language = ? AND kind IN ('objection', 'archetype')")
    .all(language) as CueRow[];
  const objections = new Map<ObjectionCategory, CuePattern[]>();
  const archetypes = new Map<Archetype, { cues: CuePattern[]; affinity: Set<ObjectionCategory> }>();
  for (const row of rows) {
    const tags = parseTags(row.tags_json);
    const phrases = tags.filter((t) => !t.startsWith(TAG_AFFINITY_PREFIX) && t !== TAG_QUESTION);
    if (row.kind === 'objection') {
      const category = ObjectionCategory.safeParse(row.category);
      if (!category.success) continue;
      const list = objections.get(category.data) ?? [];
      list.push(...compileAll(phrases, language));
      objections.set(category.data, list);
    } else {
      const archetype = Archetype.safeParse(row.archetype);
      if (!archetype.success) continue;
      const entry = archetypes.get(archetype.data) ?? { cues: [], affinity: new Set<ObjectionCategory>() };
      entry.cues.push(...compileAll(phrases, language));
      for (const tag of tags) {
        const affinity = ObjectionCategory.safeParse(tag.slice(TAG_AFFINITY_PREFIX.length));
        if (tag.startsWith(TAG_AFFINITY_PREFIX) && affinity.success) entry.affinity.add(affinity.data);
      }
      archetypes.set(archetype.data, entry);
    }
  }
  // The same phrase listed twice (two entries of one category) must not count twice.
  for (const [category, list] of objections) objections.set(category, dedupe(list));
  for (const entry of archetypes.values()) entry.cues = dedupe(entry.cues);
  const words = SENTIMENT_WORDS[language];
  const cues: CueSet = {
    language,
    objections,
    archetypes,
    acceptance: compileAll(ACCEPTANCE[language], language),
    buying: compileAll(BUYING_SIGNALS[language], language),
    positive: new Set(words.positive.flatMap((w) => tokenize(w))),
    negative: new Set(words.negative.flatMap((w) => tokenize(w))),
  };
  perDb.set(language, { signature, cues });
  return cues;
}

function dedupe(list: CuePattern[]): CuePattern[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const key = p.tokens.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
