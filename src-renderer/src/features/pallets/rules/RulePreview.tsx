import { Badge, Group, Loader, Paper, Select, Stack, Text } from '@mantine/core';
import { ArrowRight } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatNumber } from '../format';
import { StatusBadge } from '../StatusBadge';
import { useRulesStore } from './rules-store';
import { usePalletsStore } from '../pallets-store';

/** The effect of the rule being edited on one analysis, before it is saved. */
export function RulePreview({ invalid }: { invalid: string | null }) {
  const { t, i18n } = useTranslation();
  const analyses = usePalletsStore((s) => s.analyses);
  const analysisId = useRulesStore((s) => s.previewAnalysisId);
  const setAnalysis = useRulesStore((s) => s.setPreviewAnalysis);
  const preview = useRulesStore((s) => s.preview);
  const loading = useRulesStore((s) => s.previewLoading);
  const error = useRulesStore((s) => s.previewError);
  const n = (v: number) => formatNumber(v, i18n.language);

  return (
    <Paper withBorder p="sm" data-testid="rule-preview" data-changed={preview?.changed ?? ''} data-loading={loading || undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} size="sm">
            {t('pallets.rules.preview')}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {loading && <Loader size="xs" />}
            <Select
              size="xs"
              w={260}
              placeholder={t('pallets.rules.previewOn')}
              aria-label={t('pallets.rules.previewOn')}
              data={analyses.map((a) => ({ value: a.id, label: a.name }))}
              value={analysisId}
              onChange={setAnalysis}
              data-testid="rule-preview-analysis"
            />
          </Group>
        </Group>
        {analyses.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('pallets.rules.previewNoAnalysis')}
          </Text>
        )}
        {invalid && (
          <Text size="sm" c="dimmed" data-testid="rule-preview-invalid">
            {invalid}
          </Text>
        )}
        {error && !invalid && <ErrorAlert error={error} />}
        {preview && !invalid && (
          <Stack gap={6}>
            <Text size="sm" fw={600} data-testid="rule-preview-summary">
              {t('pallets.rules.previewChanged', { count: preview.changed, n: n(preview.changed), total: n(preview.total) })}
            </Text>
            {preview.transitions.length > 0 && (
              <Group gap="xs" data-testid="rule-preview-transitions">
                {preview.transitions.map((tr) => (
                  <Group key={`${tr.from}-${tr.to}`} gap={4} wrap="nowrap" data-testid="rule-transition" data-from={tr.from} data-to={tr.to} data-count={tr.count}>
                    <StatusBadge status={tr.from} size="xs" />
                    <ArrowRight size={12} />
                    <StatusBadge status={tr.to} size="xs" />
                    <Badge variant="default" size="xs">
                      {n(tr.count)}
                    </Badge>
                  </Group>
                ))}
              </Group>
            )}
            <Text size="xs" c="dimmed">
              {t('pallets.rules.previewScores', {
                count: preview.scoreChanged,
                n: n(preview.scoreChanged),
                before: formatNumber(preview.averageScoreBefore, i18n.language, 1),
                after: formatNumber(preview.averageScoreAfter, i18n.language, 1),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('pallets.rules.previewCounts', {
                before: `${n(preview.before.ok)} / ${n(preview.before.warning)} / ${n(preview.before.blocked)}`,
                after: `${n(preview.after.ok)} / ${n(preview.after.warning)} / ${n(preview.after.blocked)}`,
              })}
            </Text>
            {preview.sampleRows.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('pallets.rules.previewRows', { rows: preview.sampleRows.slice(0, 12).join(', ') })}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
