import { Alert, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function CoachPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2} mb="md" data-testid="page-title">
        {t('coach.title')}
      </Title>
      <Alert variant="light">{t('coach.placeholder')}</Alert>
    </>
  );
}
