import type { KnowledgeFacts } from '@shared/coaching/facts';
import type { Archetype, KnowledgeKind, ObjectionCategory } from '@shared/coaching/keys';

/** One shipped knowledge entry. `key` is stable across languages and versions (seeding is by key + language). */
export interface PackEntry {
  key: string;
  kind: KnowledgeKind;
  title: string;
  body: string;
  archetype?: Archetype;
  category?: ObjectionCategory;
  /** Cue phrases (objection / archetype entries), `@category` affinities, or `question`. */
  tags?: string[];
  /** Structured facts (products, competitors, promotions). */
  facts?: KnowledgeFacts;
}

export const archetypeEntry = (archetype: Archetype, title: string, body: string, tags: string[]): PackEntry => ({
  key: `archetype.${archetype}`,
  kind: 'archetype',
  title,
  body,
  archetype,
  tags,
});

export const objectionEntry = (category: ObjectionCategory, n: number, title: string, body: string, tags: string[] = []): PackEntry => ({
  key: `objection.${category}.${n}`,
  kind: 'objection',
  title,
  body,
  category,
  tags,
});

export const responseEntry = (category: ObjectionCategory, n: number, title: string, body: string, archetype?: Archetype): PackEntry => ({
  key: `response.${category}.${n}`,
  kind: 'response',
  title,
  body,
  category,
  ...(archetype ? { archetype } : {}),
});

export const categoryQuestion = (category: ObjectionCategory, body: string): PackEntry => ({
  key: `question.${category}`,
  kind: 'response',
  title: body,
  body,
  category,
  tags: ['question'],
});

export const archetypeQuestion = (archetype: Archetype, body: string): PackEntry => ({
  key: `question.archetype.${archetype}`,
  kind: 'response',
  title: body,
  body,
  archetype,
  tags: ['question'],
});

/** A playbook's body is its numbered steps, one per line; the coach offers them in order. */
export const playbookEntry = (archetype: Archetype, title: string, steps: string[]): PackEntry => ({
  key: `playbook.${archetype}`,
  kind: 'playbook',
  title,
  body: steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
  archetype,
});
