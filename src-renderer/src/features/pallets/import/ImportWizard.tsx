import { Button, Group, Modal, Stepper } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DiscardConfirm, useDiscardGuard } from '@renderer/components/DiscardConfirm';
import { IMPORT_STEPS, useImportStore } from './import-store';
import { DetailsStep } from './DetailsStep';
import { FileStep } from './FileStep';
import { MappingStep } from './MappingStep';
import { RunStep } from './RunStep';
import { SheetStep } from './SheetStep';

/** File → sheet & header → mapping → details → run. Escape closes (except while importing), asking first once something was changed. */
export function ImportWizard() {
  const { t } = useTranslation();
  const opened = useImportStore((s) => s.opened);
  const step = useImportStore((s) => s.step);
  const running = useImportStore((s) => s.running !== null);
  const hasPreview = useImportStore((s) => s.preview !== null);
  const previewLoading = useImportStore((s) => s.previewLoading);
  const close = useImportStore((s) => s.close);
  const reset = useImportStore((s) => s.reset);
  const goTo = useImportStore((s) => s.goTo);
  const edited = useImportStore((s) => s.edited);
  const guard = useDiscardGuard(edited && !running, () => void close());
  const active = IMPORT_STEPS.indexOf(step);
  const reachable = (index: number) => !running && index < active;
  const canNext = (step === 'sheet' || step === 'mapping') && hasPreview && !previewLoading;
  const next = () => goTo(step === 'sheet' ? 'mapping' : 'details');
  // Enter moves on from the sheet and column steps, unless a dropdown or a button takes the key itself.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (event.key !== 'Enter' || event.defaultPrevented || !canNext || target.tagName === 'BUTTON' || target.getAttribute('aria-expanded') === 'true') return;
    event.preventDefault();
    next();
  };

  return (
    <Modal
      opened={opened}
      onClose={guard.requestClose}
      onExitTransitionEnd={reset}
      closeOnEscape={!running && !guard.asking}
      trapFocus={!guard.asking}
      closeOnClickOutside={false}
      withCloseButton={!running}
      size={1120}
      title={t('pallets.import.title')}
      data-testid="import-wizard"
    >
      <Stepper active={active} onStepClick={(index) => reachable(index) && goTo(IMPORT_STEPS[index] ?? 'file')} size="sm" mb="lg" allowNextStepsSelect={false}>
        {IMPORT_STEPS.map((s, index) => (
          <Stepper.Step key={s} label={t(`pallets.import.steps.${s}`)} allowStepSelect={reachable(index)} data-testid={`import-step-${s}`} />
        ))}
      </Stepper>
      <div onKeyDown={onKeyDown}>
        {step === 'file' && <FileStep />}
        {step === 'sheet' && <SheetStep />}
        {step === 'mapping' && <MappingStep />}
        {step === 'details' && <DetailsStep />}
        {step === 'run' && <RunStep />}
      </div>
      {(step === 'sheet' || step === 'mapping') && (
        <Group justify="space-between" mt="lg">
          <Button variant="default" onClick={() => goTo(step === 'sheet' ? 'file' : 'sheet')} data-testid="import-back">
            {t('pallets.import.back')}
          </Button>
          <Button onClick={next} disabled={!canNext} data-testid="import-next">
            {t('pallets.import.next')}
          </Button>
        </Group>
      )}
      <DiscardConfirm {...guard.confirmProps} />
    </Modal>
  );
}
