import { Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoachLanguage } from '@shared/coaching/keys';
import type { Lead } from '@shared/coaching/types';
import { LEAD_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { languageOptions } from '../labels';
import { useCoachStore } from '../coach-store';
import { FormFooter } from '@renderer/components/FormFooter';

interface Props {
  /** The lead to edit, or null to create one. */
  lead: Lead | null;
  opened: boolean;
  onClose(): void;
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** Create or edit a lead; delete from here too (its sessions stay). */
export function LeadModal({ lead, opened, onClose }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={lead ? t('coach.leads.edit') : t('coach.leads.new')} data-testid="lead-modal">
      {opened && <LeadForm key={lead?.id ?? 'new'} lead={lead} onClose={onClose} defaultLanguage={i18n.language === 'pl' ? 'pl' : 'en'} />}
    </Modal>
  );
}

function LeadForm({ lead, onClose, defaultLanguage }: { lead: Lead | null; onClose(): void; defaultLanguage: CoachLanguage }) {
  const { t } = useTranslation();
  const saveLead = useCoachStore((s) => s.saveLead);
  const deleteLead = useCoachStore((s) => s.deleteLead);
  const [name, setName] = useState(lead?.name ?? '');
  const [company, setCompany] = useState(lead?.company ?? '');
  const [email, setEmail] = useState(lead?.email ?? '');
  const [phone, setPhone] = useState(lead?.phone ?? '');
  const [notes, setNotes] = useState(lead?.notes ?? '');
  const [language, setLanguage] = useState<CoachLanguage>(lead?.language ?? defaultLanguage);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError({ code: 'VALIDATION', message: t('coach.leads.nameRequired') });
    setBusy(true);
    try {
      await saveLead(lead?.id ?? null, { name: name.trim(), company: orNull(company), email: orNull(email), phone: orNull(phone), notes: orNull(notes), language });
      notifications.show({ message: t('common.saved'), color: 'teal', autoClose: 1200 });
      onClose();
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!lead) return;
    if (!confirmDelete) return setConfirmDelete(true);
    setBusy(true);
    try {
      await deleteLead(lead.id);
      onClose();
    } catch (e) {
      setError(toUiError(e));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="sm">
        <TextInput label={t('coach.leads.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={LEAD_LIMITS.nameChars} data-testid="lead-name" />
        <TextInput label={t('coach.leads.company')} value={company} onChange={(e) => setCompany(e.currentTarget.value)} maxLength={LEAD_LIMITS.companyChars} />
        <Group grow>
          <TextInput label={t('coach.leads.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} maxLength={LEAD_LIMITS.emailChars} />
          <TextInput label={t('coach.leads.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} maxLength={LEAD_LIMITS.phoneChars} />
        </Group>
        <Select
          label={t('coach.leads.language')}
          description={t('coach.leads.languageHint')}
          data={languageOptions(t)}
          value={language}
          allowDeselect={false}
          onChange={(value) => value && setLanguage(value as CoachLanguage)}
          data-testid="lead-language"
        />
        <Textarea label={t('coach.leads.notes')} autosize minRows={2} maxRows={6} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} maxLength={LEAD_LIMITS.notesChars} />
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <FormFooter
          busy={busy}
          onCancel={onClose}
          onDelete={lead ? () => void remove() : undefined}
          deleteLabel={t('coach.actions.delete')}
          confirmDeleteLabel={t('coach.leads.confirmDelete')}
          confirmingDelete={confirmDelete}
          deleteTestId="lead-delete"
          saveTestId="lead-save"
        />
      </Stack>
    </form>
  );
}
