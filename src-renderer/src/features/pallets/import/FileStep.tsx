import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { FileSpreadsheet, FileX, Upload } from 'lucide-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { ACCEPT, ACCEPTED_EXTENSIONS } from '../files';
import { formatBytes } from '../format';
import { useImportStore } from './import-store';

/** Drop a manifest or pick one; it is uploaded in chunks with a progress bar, then opened. */
export function FileStep() {
  const { t, i18n } = useTranslation();
  const fileName = useImportStore((s) => s.fileName);
  const fileSize = useImportStore((s) => s.fileSize);
  const uploaded = useImportStore((s) => s.uploaded);
  const opening = useImportStore((s) => s.opening);
  const fileError = useImportStore((s) => s.fileError);
  const rejection = useImportStore((s) => s.rejection);
  const pickFile = useImportStore((s) => s.pickFile);
  const rejectFile = useImportStore((s) => s.rejectFile);
  const openRef = useRef<() => void>(null);
  const busy = uploaded !== null || opening !== null;

  return (
    <Stack>
      <Dropzone
        openRef={openRef}
        onDrop={(files) => {
          if (files.length > 1) return rejectFile(files[0]?.name ?? '', 'many');
          const file = files[0];
          if (file) void pickFile(file);
        }}
        onReject={(rejections) => rejectFile(rejections[0]?.file.name ?? '', rejections.length > 1 ? 'many' : 'type')}
        accept={ACCEPT}
        multiple={false}
        loading={busy}
        activateOnClick={!busy}
        data-testid="import-dropzone"
        aria-label={t('pallets.import.dropTitle')}
      >
        <Group justify="center" gap="xl" mih={180} style={{ pointerEvents: 'none' }}>
          <Dropzone.Accept>
            <Upload size={48} />
          </Dropzone.Accept>
          <Dropzone.Reject>
            <FileX size={48} />
          </Dropzone.Reject>
          <Dropzone.Idle>
            <FileSpreadsheet size={48} strokeWidth={1.5} />
          </Dropzone.Idle>
          <div>
            <Text size="lg" fw={600}>
              {t('pallets.import.dropTitle')}
            </Text>
            <Text size="sm" c="dimmed" mt={6}>
              {t('pallets.import.dropHint', { types: ACCEPTED_EXTENSIONS.join(' ') })}
            </Text>
          </div>
        </Group>
      </Dropzone>
      <Group justify="center">
        <Button variant="default" onClick={() => openRef.current?.()} disabled={busy} data-testid="import-browse">
          {t('pallets.import.browse')}
        </Button>
      </Group>

      {uploaded !== null && (
        <Stack gap={4} data-testid="upload-progress">
          <Text size="sm">
            {t('pallets.import.uploading', { name: fileName, done: formatBytes(uploaded, i18n.language), total: formatBytes(fileSize, i18n.language) })}
          </Text>
          <Progress value={fileSize > 0 ? (uploaded / fileSize) * 100 : 100} animated />
        </Stack>
      )}
      {opening && (
        <Stack gap={4} data-testid="open-progress">
          <Text size="sm">{t('pallets.import.opening', { name: fileName, phase: t(`pallets.phase.${opening.phase}`) })}</Text>
          <Progress value={opening.total ? (opening.done / opening.total) * 100 : 100} animated striped />
        </Stack>
      )}
      {rejection && (
        <Alert color="red" variant="light" data-testid="import-rejected">
          {t(rejection.reason === 'many' ? 'pallets.import.rejectMany' : 'pallets.import.rejectType', { name: rejection.fileName, types: ACCEPTED_EXTENSIONS.join(' ') })}
        </Alert>
      )}
      {fileError && <ErrorAlert error={fileError} testId="import-file-error" />}
    </Stack>
  );
}
