import { Alert, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PalletsPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2} mb="md" data-testid="page-title">
        {t('pallets.title')}
      </Title>
      <Alert variant="light">{t('pallets.placeholder')}</Alert>
    </>
  );
}
