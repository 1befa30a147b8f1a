import { Modal, Select, SimpleGrid, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Archetype, CoachLanguage, KnowledgeKind, ObjectionCategory } from '@shared/coaching/keys';
import { KNOWLEDGE_KEY_RE, type KnowledgeEntry } from '@shared/coaching/types';
import { KNOWLEDGE_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useKnowledgeStore } from './knowledge-store';
import { archetypeOptions, categoryOptions, kindOptions, languageOptions } from '../labels';
import { FormFooter } from '@renderer/components/FormFooter';
import type { KnowledgeFacts } from '@shared/coaching/facts';
import { cleanFacts, FactsFields } from './FactsFields';

interface Props {
  /** The entry to edit; null creates one. */
  entry: KnowledgeEntry | null;
  opened: boolean;
  onClose(): void;
}

export function KnowledgeModal({ entry, opened, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={entry ? t('coach.knowledge.editEntry') : t('coach.knowledge.newEntry')} data-testid="knowledge-modal">
      {opened && <EntryForm key={entry?.id ?? 'new'} entry={entry} onClose={onClose} />}
    </Modal>
  );
}

function EntryForm({ entry, onClose }: { entry: KnowledgeEntry | null; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const save = useKnowledgeStore((s) => s.save);
  const remove = useKnowledgeStore((s) => s.remove);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [kind, setKind] = useState<KnowledgeKind>(entry?.kind ?? 'response');
  const [language, setLanguage] = useState<CoachLanguage>(entry?.language ?? (i18n.language === 'pl' ? 'pl' : 'en'));
  const [key, setKey] = useState(entry?.key ?? '');
  const [title, setTitle] = useState(entry?.title ?? '');
  const [body, setBody] = useState(entry?.body ?? '');
  const [category, setCategory] = useState<ObjectionCategory | null>(entry?.category ?? null);
  const [archetype, setArchetype] = useState<Archetype | null>(entry?.archetype ?? null);
  const [tags, setTags] = useState<string[]>(entry?.tags ?? []);
  const [facts, setFacts] = useState<KnowledgeFacts>(entry?.facts ?? {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return setError({ code: 'VALIDATION', message: t('coach.knowledge.titleRequired') });
    if (key.trim() && !KNOWLEDGE_KEY_RE.test(key.trim())) return setError({ code: 'VALIDATION', message: t('coach.knowledge.keyInvalid') });
    setBusy(true);
    try {
      await save(entry?.id ?? null, { kind, language, key: key.trim() || null, title: title.trim(), body, category, archetype, tags, facts: cleanFacts(kind, facts) });
      notifications.show({ message: t('common.saved'), color: 'teal', autoClose: 1200 });
      onClose();
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!entry) return;
    if (!confirmDelete) return setConfirmDelete(true);
    setBusy(true);
    try {
      await remove(entry.id);
      notifications.show({ message: t('coach.knowledge.deleted'), color: 'teal', autoClose: 1500 });
      onClose();
    } catch (e) {
      setError(toUiError(e));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="sm">
        <SimpleGrid cols={3} spacing="sm">
          <Select label={t('coach.knowledge.kind')} data={kindOptions(t)} value={kind} allowDeselect={false} onChange={(v) => v && setKind(v as KnowledgeKind)} data-testid="knowledge-form-kind" />
          <Select label={t('coach.knowledge.language')} data={languageOptions(t)} value={language} allowDeselect={false} onChange={(v) => v && setLanguage(v as CoachLanguage)} />
          <TextInput label={t('coach.knowledge.key')} description={t('coach.knowledge.keyHint')} value={key} onChange={(e) => setKey(e.currentTarget.value)} maxLength={KNOWLEDGE_LIMITS.keyChars} />
        </SimpleGrid>
        <TextInput label={t('coach.knowledge.titleField')} required data-autofocus value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={KNOWLEDGE_LIMITS.titleChars} data-testid="knowledge-form-title" />
        <Textarea label={t('coach.knowledge.body')} autosize minRows={4} maxRows={12} value={body} onChange={(e) => setBody(e.currentTarget.value)} maxLength={KNOWLEDGE_LIMITS.bodyChars} data-testid="knowledge-form-body" />
        <SimpleGrid cols={2} spacing="sm">
          <Select label={t('coach.knowledge.category')} placeholder={t('coach.knowledge.none')} data={categoryOptions(t)} value={category} clearable onChange={(v) => setCategory(v as ObjectionCategory | null)} />
          <Select label={t('coach.knowledge.archetype')} placeholder={t('coach.knowledge.none')} data={archetypeOptions(t)} value={archetype} clearable onChange={(v) => setArchetype(v as Archetype | null)} />
        </SimpleGrid>
        <FactsFields kind={kind} facts={facts} onChange={setFacts} />
        <TagsInput label={t('coach.knowledge.tags')} description={t('coach.knowledge.tagsHint')} value={tags} onChange={setTags} maxTags={KNOWLEDGE_LIMITS.tags} clearable />
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <FormFooter
          busy={busy}
          onCancel={onClose}
          onDelete={entry ? () => void onDelete() : undefined}
          deleteLabel={t('coach.actions.delete')}
          confirmDeleteLabel={t('coach.leads.confirmDelete')}
          confirmingDelete={confirmDelete}
          deleteTestId="knowledge-form-delete"
          saveTestId="knowledge-form-save"
        />
      </Stack>
    </form>
  );
}
