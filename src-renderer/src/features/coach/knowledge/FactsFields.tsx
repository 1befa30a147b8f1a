import { NumberInput, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { KnowledgeFacts } from '@shared/coaching/facts';
import type { KnowledgeKind } from '@shared/coaching/keys';
import { KNOWLEDGE_LIMITS } from '@shared/contract/limits';

/** The kinds whose entries carry structured facts the coach quotes in answers. */
export const FACT_KINDS: ReadonlySet<KnowledgeKind> = new Set(['product', 'competitor', 'promotion']);

type TextField = 'range' | 'warranty' | 'charging' | 'space' | 'advantage' | 'validFrom' | 'validUntil' | 'currency';
const TEXT_FIELDS: Record<'product' | 'competitor' | 'promotion', TextField[]> = {
  product: ['range', 'warranty', 'charging', 'space', 'currency'],
  competitor: ['advantage'],
  promotion: ['validFrom', 'validUntil', 'currency'],
};

/** Empty strings and missing numbers are dropped, so an untouched form stores no facts at all. */
export function cleanFacts(kind: KnowledgeKind, facts: KnowledgeFacts): KnowledgeFacts | null {
  if (!FACT_KINDS.has(kind)) return null;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(facts)) if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') out[k] = typeof v === 'string' ? v.trim() : v;
  const parsed = KnowledgeFacts.safeParse(out);
  return parsed.success && Object.keys(parsed.data).length > 0 ? parsed.data : null;
}

/** Structured fields of a product, competitor battlecard or promotion, edited beside the free text. */
export function FactsFields({ kind, facts, onChange }: { kind: KnowledgeKind; facts: KnowledgeFacts; onChange(next: KnowledgeFacts): void }) {
  const { t } = useTranslation();
  if (kind !== 'product' && kind !== 'competitor' && kind !== 'promotion') return null;
  const set = (field: keyof KnowledgeFacts, value: string | number | undefined) => onChange({ ...facts, [field]: value === '' ? undefined : value });
  return (
    <SimpleGrid cols={kind === 'competitor' ? 1 : 2} spacing="sm" data-testid="knowledge-facts">
      {TEXT_FIELDS[kind].map((field) => (
        <TextInput
          key={field}
          label={t(`coach.knowledge.facts.${field}`)}
          type={field === 'validFrom' || field === 'validUntil' ? 'date' : 'text'}
          value={facts[field] ?? ''}
          maxLength={KNOWLEDGE_LIMITS.titleChars}
          onChange={(e) => set(field, e.currentTarget.value)}
          data-testid={`knowledge-fact-${field}`}
        />
      ))}
      {kind !== 'competitor' && (
        <NumberInput
          label={t(kind === 'promotion' ? 'coach.knowledge.facts.amount' : 'coach.knowledge.facts.price')}
          value={(kind === 'promotion' ? facts.amount : facts.price) ?? ''}
          min={0}
          decimalSeparator={t('coach.knowledge.facts.decimalSeparator')}
          onChange={(v) => set(kind === 'promotion' ? 'amount' : 'price', typeof v === 'number' ? v : undefined)}
          data-testid={`knowledge-fact-${kind === 'promotion' ? 'amount' : 'price'}`}
        />
      )}
    </SimpleGrid>
  );
}
