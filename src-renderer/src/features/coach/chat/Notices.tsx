import { Alert, Stack } from '@mantine/core';
import { Info } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Notice } from '@shared/coaching/types';

/**
 * Notices about the input (cut, cleaned, another language) in the UI language; the main process's own
 * sentence (English, with the exact numbers) is kept as the tooltip.
 */
export function Notices({ notices, usedChars }: { notices: readonly Notice[]; usedChars?: number }) {
  const { t, i18n } = useTranslation();
  const shown = notices.filter((n) => n.code !== 'model_unavailable');
  if (shown.length === 0) return null;
  return (
    <Stack gap={4}>
      {shown.map((notice) => (
        <Alert key={notice.code} variant="light" color="yellow" py={6} icon={<Info size={16} />} title={null} data-testid={`notice-${notice.code}`} aria-live="polite">
          <span title={notice.message}>{t(`coach.notice.${notice.code}`, { used: usedChars?.toLocaleString(i18n.language) ?? '' })}</span>
        </Alert>
      ))}
    </Stack>
  );
}
