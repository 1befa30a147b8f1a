import { Badge, Button, Center, Group, Loader, Modal, Paper, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Plus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatNumber } from '../format';
import { useRulesStore, type RulePreview, type StoredRule } from './rules-store';
import { ActionBadge } from './ActionBadge';
import { conditionText, ruleDescription, ruleName } from './condition-text';
import { RuleModal } from './RuleModal';
import { RowActions } from '@renderer/components/RowActions';
import { EmptyState } from '@renderer/components/EmptyState';

/** The user's rules (enable, edit, delete) and the shipped templates to start from. */
export function RulesTab() {
  const { t } = useTranslation();
  const rules = useRulesStore((s) => s.rules);
  const templates = useRulesStore((s) => s.templates);
  const loaded = useRulesStore((s) => s.loaded);
  const error = useRulesStore((s) => s.error);
  const { load, newRule, edit, setEnabled } = useRulesStore.getState();
  const [deleting, setDeleting] = useState<StoredRule | null>(null);

  useEffect(() => {
    void useRulesStore.getState().load();
  }, []);

  return (
    <Stack>
      {error && <ErrorAlert error={error} onRetry={() => void load()} />}
      <Group justify="space-between">
        <Title order={4}>{t('pallets.rules.mine')}</Title>
        <Button size="xs" leftSection={<Plus size={14} />} onClick={() => newRule()} data-testid="rule-new">
          {t('pallets.rules.new')}
        </Button>
      </Group>
      {!loaded ? (
        <Center h={120}>
          <Loader />
        </Center>
      ) : rules.length === 0 ? (
        <EmptyState testId="rules-empty" title={t('help.empty.rulesTitle')} hint={t('pallets.rules.empty')} action={t('help.empty.rulesAction')} onAction={() => newRule()} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="rules-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('pallets.rules.enabled')}</Table.Th>
                <Table.Th>{t('pallets.rules.name')}</Table.Th>
                <Table.Th w={110}>{t('pallets.rules.type')}</Table.Th>
                <Table.Th w={120}>{t('pallets.rules.action')}</Table.Th>
                <Table.Th w={70}>{t('pallets.rules.weightShort')}</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((r) => (
                <Table.Tr key={r.id} data-testid="rule-row" data-name={r.name}>
                  <Table.Td>
                    <Switch size="sm" checked={r.enabled} onChange={(e) => void setEnabled(r, e.currentTarget.checked)} aria-label={t('pallets.rules.enabled')} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {ruleName(t, r)}
                      </Text>
                      {r.scope === 'global' && (
                        <Badge size="xs" variant="outline" color="gray">
                          {t('pallets.rules.shipped')}
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed" ff="monospace" lineClamp={2} data-testid="rule-condition">
                      {conditionText(t, r.when)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`pallets.rules.types.${r.type}`)}</Table.Td>
                  <Table.Td>
                    <ActionBadge action={r.action} />
                  </Table.Td>
                  <Table.Td>{r.weight}</Table.Td>
                  <Table.Td>
                    <RowActions
                      editLabel={t('pallets.rules.edit')}
                      deleteLabel={t('pallets.rules.delete')}
                      onEdit={() => edit(r)}
                      onDelete={() => setDeleting(r)}
                      editTestId="rule-edit"
                      deleteTestId="rule-delete"
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Title order={4} mt="md">
        {t('pallets.rules.templates')}
      </Title>
      <Text size="sm" c="dimmed" mt={-8}>
        {t('pallets.rules.templatesHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="rule-templates">
        {templates.map((tpl) => (
          <Paper key={tpl.id} withBorder p="sm" data-testid="rule-template" data-id={tpl.id}>
            <Stack gap={6} h="100%" justify="space-between">
              <div>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={600} size="sm" data-testid="template-name">
                    {ruleName(t, tpl)}
                  </Text>
                  <ActionBadge action={tpl.action} size="sm" />
                </Group>
                {tpl.description && (
                  <Text size="xs" c="dimmed" data-testid="template-description">
                    {ruleDescription(t, tpl)}
                  </Text>
                )}
                <Text size="xs" ff="monospace" mt={4} lineClamp={2} data-testid="template-condition">
                  {conditionText(t, tpl.when)}
                </Text>
              </div>
              <Group justify="flex-end">
                <Button size="compact-xs" variant="light" leftSection={<Plus size={12} />} onClick={() => newRule({ ...tpl, name: ruleName(t, tpl), description: ruleDescription(t, tpl) })} data-testid="template-add">
                  {t('pallets.rules.fromTemplate')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
      <RuleModal />
      <DeleteRuleModal rule={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function DeleteRuleModal({ rule, onClose }: { rule: StoredRule | null; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const remove = useRulesStore((s) => s.remove);
  const [preview, setPreview] = useState<RulePreview | null>(null);
  useEffect(() => {
    setPreview(null);
    let live = true;
    if (rule) void useRulesStore.getState().previewDelete(rule.id).then((p) => live && setPreview(p));
    return () => {
      live = false;
    };
  }, [rule]);
  return (
    <Modal opened={rule !== null} onClose={onClose} title={t('pallets.rules.deleteTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (rule) void remove(rule.id).then(onClose);
        }}
      >
        <Stack>
          <Text size="sm">{t('pallets.rules.deleteConfirm', { name: rule?.name ?? '' })}</Text>
          {preview && (
            <Text size="sm" c="dimmed" data-testid="rule-delete-preview">
              {t('pallets.rules.previewChanged', { n: formatNumber(preview.changed, i18n.language), total: formatNumber(preview.total, i18n.language) })}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('pallets.cancel')}
            </Button>
            <Button type="submit" color="red" data-autofocus data-testid="rule-delete-confirm">
              {t('pallets.rules.delete')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
