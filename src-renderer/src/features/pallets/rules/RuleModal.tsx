import { Button, Group, Modal, SegmentedControl, SimpleGrid, Slider, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_ACTIONS, RULE_TYPES, type RuleAction, type RuleType } from '@shared/pallets/rules';
import { PALLET_LIMITS } from '@shared/contract/limits';
import { DiscardConfirm, useDiscardGuard } from '@renderer/components/DiscardConfirm';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useRulesStore } from './rules-store';
import { usePalletsStore } from '../pallets-store';
import { ACTION_COLOR } from './ActionBadge';
import { ConditionBuilder } from './ConditionBuilder';
import { draftFromForm, type RuleForm } from './condition-model';
import { RulePreview } from './RulePreview';

const WEIGHT_MARKS = [1, Math.ceil(PALLET_LIMITS.ruleWeightMax / 2), PALLET_LIMITS.ruleWeightMax].map((value) => ({ value, label: String(value) }));

/** Create or edit a rule; its effect on an analysis is previewed live before it is saved. */
export function RuleModal() {
  const { t } = useTranslation();
  const editor = useRulesStore((s) => s.editor);
  const saving = useRulesStore((s) => s.saving);
  const saveError = useRulesStore((s) => s.saveError);
  const previewAnalysisId = useRulesStore((s) => s.previewAnalysisId);
  const { setForm, closeEditor, save, runPreview, setPreviewAnalysis } = useRulesStore.getState();
  const categories = usePalletsStore((s) => s.analysis?.categories ?? null);
  // The last form stays on screen while the modal fades out after Save / Cancel.
  const lastForm = useRef<RuleForm | null>(null);
  if (editor) lastForm.current = editor.form;
  const form = editor?.form ?? lastForm.current;
  const result = useMemo(() => (form ? draftFromForm(form) : null), [form]);
  const [debounced] = useDebouncedValue(result?.draft ?? null, 350);
  const dirty = editor !== null && JSON.stringify(editor.form) !== JSON.stringify(editor.initial);
  const guard = useDiscardGuard(dirty, closeEditor);
  const draftKey = JSON.stringify(debounced);

  // Preview against the open analysis, else the newest one.
  useEffect(() => {
    if (!editor || previewAnalysisId) return;
    const pallets = usePalletsStore.getState();
    const id = pallets.openId ?? pallets.analyses[0]?.id ?? null;
    if (id) setPreviewAnalysis(id);
  }, [editor, previewAnalysisId, setPreviewAnalysis]);

  // draftKey stands for the draft's content: a new object with the same rule does not re-run the preview.
  const editorOpen = editor !== null;
  useEffect(() => {
    if (editorOpen) void runPreview(debounced);
  }, [draftKey, previewAnalysisId, editorOpen]);

  if (!form || !result) return null;
  const update = (patch: Partial<RuleForm>) => setForm({ ...form, ...patch });
  const invalid = result.schemaError ?? (result.problems.length > 0 ? t('pallets.rules.incomplete') : null);
  const canSave = result.draft !== null && form.name.trim() !== '' && !saving;

  return (
    <Modal opened={editor !== null} onClose={guard.requestClose} closeOnEscape={!guard.asking} trapFocus={!guard.asking} size={960} title={editor?.id ? t('pallets.rules.editTitle') : t('pallets.rules.newTitle')} data-testid="rule-modal">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (canSave && result.draft) void save({ ...result.draft, name: form.name.trim() });
        }}
      >
        <Stack>
          {saveError && <ErrorAlert error={saveError} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('pallets.rules.name')} value={form.name} onChange={(e) => update({ name: e.currentTarget.value })} maxLength={PALLET_LIMITS.ruleNameChars} required data-autofocus data-testid="rule-name" />
            <Textarea label={t('pallets.rules.description')} value={form.description} onChange={(e) => update({ description: e.currentTarget.value })} maxLength={PALLET_LIMITS.ruleDescriptionChars} autosize minRows={1} maxRows={3} />
          </SimpleGrid>
          <Group gap="xl" align="flex-end">
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('pallets.rules.type')}
              </Text>
              <SegmentedControl size="xs" value={form.type} onChange={(v) => update({ type: v as RuleType })} data={RULE_TYPES.map((v) => ({ value: v, label: t(`pallets.rules.types.${v}`) }))} data-testid="rule-type" />
            </div>
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('pallets.rules.action')}
              </Text>
              <SegmentedControl
                size="xs"
                value={form.action}
                color={ACTION_COLOR[form.action]}
                onChange={(v) => update({ action: v as RuleAction })}
                data={RULE_ACTIONS.map((v) => ({ value: v, label: t(`pallets.rules.actions.${v}`) }))}
                data-testid="rule-action"
              />
            </div>
            <div style={{ flex: 1, minWidth: 200 }}>
              <Text size="sm" fw={500} mb={4}>
                {t('pallets.rules.weight', { weight: form.weight })}
              </Text>
              <Slider min={1} max={PALLET_LIMITS.ruleWeightMax} step={1} value={form.weight} onChange={(weight) => update({ weight })} marks={WEIGHT_MARKS} mb="md" aria-label={t('pallets.rules.weight', { weight: form.weight })} data-testid="rule-weight" />
            </div>
            <Switch label={t('pallets.rules.enabled')} checked={form.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} mb={20} data-testid="rule-enabled" />
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('pallets.rules.conditions')}
            </Text>
            <ConditionBuilder root={form.root} onChange={(root) => update({ root })} problems={result.problems} categories={categories ?? []} />
          </div>
          <RulePreview invalid={invalid} />
          <Group justify="flex-end">
            <Button variant="default" onClick={guard.requestClose} data-testid="rule-cancel">
              {t('pallets.cancel')}
            </Button>
            <Button type="submit" disabled={!canSave} loading={saving} data-testid="rule-save">
              {t('pallets.save')}
            </Button>
          </Group>
        </Stack>
      </form>
      <DiscardConfirm {...guard.confirmProps} />
    </Modal>
  );
}
