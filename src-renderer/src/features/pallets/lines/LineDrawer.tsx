import { Badge, Code, Drawer, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { describeCondition } from '@shared/pallets/rules';
import { CANONICAL_FIELDS, type CanonicalField } from '@shared/pallets/fields';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { cellText, formatMoney, formatNumber } from '../format';
import { categoryLabel, issueText } from '../labels';
import { ActionBadge } from '../rules/ActionBadge';
import { conditionText, ruleName } from '../rules/condition-text';
import { useRulesStore } from '../rules/rules-store';
import { StatusBadge } from '../StatusBadge';
import { usePalletsStore, type LineDetail } from '../pallets-store';

const MONEY = new Set<CanonicalField>(['price_net', 'price_gross', 'retail_price', 'market_price']);

/** One line: its values, the reason for every rejected/guessed cell, the rules that fired, the original cells. */
export function LineDrawer() {
  const { t } = useTranslation();
  const detailId = usePalletsStore((s) => s.detailId);
  const detail = usePalletsStore((s) => s.detail);
  const loading = usePalletsStore((s) => s.detailLoading);
  const error = usePalletsStore((s) => s.detailError);
  const close = usePalletsStore((s) => s.closeDetail);
  const reopen = usePalletsStore((s) => s.openDetail);

  return (
    <Drawer
      opened={detailId !== null}
      onClose={close}
      position="right"
      size="xl"
      title={detail ? t('pallets.detail.title', { row: detail.row }) : t('pallets.detail.loading')}
      data-testid="line-drawer"
    >
      {error && detailId && <ErrorAlert error={error} onRetry={() => void reopen(detailId)} />}
      {loading && !detail && <Loader />}
      {detail && <DetailBody detail={detail} />}
    </Drawer>
  );
}

function DetailBody({ detail }: { detail: LineDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const derived = new Set<CanonicalField>(detail.derived);
  const issuesByField = new Map<CanonicalField, LineDetail['issues']>();
  for (const issue of detail.issues) issuesByField.set(issue.field, [...(issuesByField.get(issue.field) ?? []), issue]);
  const valueText = (field: CanonicalField): string => {
    const v = detail.values[field];
    if (v === null) return '—';
    if (field === 'condition') return t(`pallets.conditions.${String(v)}`, { defaultValue: String(v) });
    if (field === 'category') return categoryLabel(t, String(v));
    if (MONEY.has(field) && typeof v === 'number') return formatMoney(v, detail.values.currency, lang);
    if (field === 'vat_rate' && typeof v === 'number') return `${formatNumber(v, lang, 2)} %`;
    return typeof v === 'number' ? formatNumber(v, lang, 4) : String(v);
  };
  const shown = CANONICAL_FIELDS.filter((f) => detail.values[f] !== null || issuesByField.has(f));
  const rules = useRulesStore((s) => s.rules);
  const templates = useRulesStore((s) => s.templates);
  useEffect(() => {
    if (!useRulesStore.getState().loaded) void useRulesStore.getState().load();
  }, []);
  /**
   * A fired rule in the user's language: the line carries the rule's condition as English text, so the
   * stored rule's structured condition is shown instead while it is still the one that fired.
   */
  const firedText = (f: LineDetail['fired'][number]) => {
    const rule = rules.find((r) => r.id === f.ruleId) ?? templates.find((r) => r.id === f.ruleId);
    const same = rule !== undefined && describeCondition(rule.when) === f.condition;
    return { name: rule && same ? ruleName(t, rule) : f.name, condition: rule && same ? conditionText(t, rule.when) : f.condition };
  };

  return (
    <Stack gap="md" data-testid="line-detail" data-line-id={detail.id}>
      <Group gap="sm">
        <StatusBadge status={detail.status} size="md" />
        <Badge variant="outline" size="md" data-testid="detail-score">
          {t('pallets.detail.score', { score: Math.round(detail.score) })}
        </Badge>
      </Group>
      <Text size="sm" fw={500} data-testid="detail-name">
        {detail.name ?? '—'}
      </Text>
      {/* The core writes the explanation (also exported) in English; in another language the table of
          fired rules below says the same in the user's words, so the English sentence is left out. */}
      {detail.explanation && lang.startsWith('en') && (
        <Text size="sm" c="dimmed" data-testid="detail-explanation">
          {detail.explanation}
        </Text>
      )}

      <section>
        <Title order={5} mb={6}>
          {t('pallets.detail.fired')}
        </Title>
        {detail.fired.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('pallets.detail.noFired')}
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm" data-testid="detail-fired">
            <Table.Tbody>
              {detail.fired.map((f) => (
                <Table.Tr key={f.ruleId} data-testid="fired-rule">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {firedText(f).name}
                    </Text>
                    <Code fz="xs">{firedText(f).condition}</Code>
                  </Table.Td>
                  <Table.Td w={110}>
                    <ActionBadge action={f.action} size="sm" />
                  </Table.Td>
                  <Table.Td w={70} ta="right" c={f.effect < 0 ? 'red' : f.effect > 0 ? 'teal' : undefined} fw={600}>
                    {f.effect > 0 ? `+${f.effect}` : f.effect}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>

      <section>
        <Title order={5} mb={6}>
          {t('pallets.detail.issues')}
        </Title>
        {detail.issues.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('pallets.detail.noIssues')}
          </Text>
        ) : (
          <Stack gap={6} data-testid="detail-issues">
            {detail.issues.map((issue, i) => (
              <Group key={`${issue.field}-${issue.code}-${i}`} gap="xs" wrap="nowrap" align="flex-start" data-testid="detail-issue">
                <Badge color={issue.kind === 'rejected' ? 'red' : 'yellow'} variant="light" size="sm" miw={90}>
                  {t(`pallets.detail.kind.${issue.kind}`)}
                </Badge>
                <div>
                  <Text size="sm">
                    <b>{t(`pallets.fields.${issue.field}`)}</b>: {issueText(t, issue)}
                  </Text>
                  {issue.raw && <Code fz="xs">{issue.raw}</Code>}
                </div>
              </Group>
            ))}
          </Stack>
        )}
      </section>

      <section>
        <Title order={5} mb={6}>
          {t('pallets.detail.values')}
        </Title>
        <Table verticalSpacing={2} fz="sm" withRowBorders={false} data-testid="detail-values">
          <Table.Tbody>
            {shown.map((field) => (
              <Table.Tr key={field} data-field={field}>
                <Table.Td w={170} c="dimmed">
                  {t(`pallets.fields.${field}`)}
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-word' }}>
                  {valueText(field)}
                  {issuesByField.has(field) && (
                    <Badge ml={6} size="xs" variant="outline" color="orange">
                      {t('pallets.detail.checked')}
                    </Badge>
                  )}
                  {derived.has(field) && (
                    <Text span size="xs" c="dimmed" ml={6} data-testid="detail-derived">
                      ({t(`pallets.detail.derived.${field}`)})
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>

      <section>
        <Title order={5} mb={6}>
          {t('pallets.detail.source')}
        </Title>
        <Table verticalSpacing={2} fz="sm" striped data-testid="detail-source">
          <Table.Tbody>
            {detail.source.map((cell, i) => (
              <Table.Tr key={`${i}-${cell.header}`}>
                <Table.Td w={200} c="dimmed">
                  {cell.header || t('pallets.import.noHeader', { n: i + 1 })}
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-word' }}>{cellText(cell.value) || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
    </Stack>
  );
}
