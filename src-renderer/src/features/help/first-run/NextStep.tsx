import { Alert } from '@mantine/core';
import { Footprints } from 'lucide-react';
import { useNextStepStore } from './next-step-store';

/** The first-run guide's "next step" for the page it landed on; closed by the person. */
export function NextStep() {
  const text = useNextStepStore((s) => s.text);
  if (!text) return null;
  return (
    <Alert color="blue" icon={<Footprints size={18} />} withCloseButton onClose={() => useNextStepStore.getState().set(null)} mb="md" data-testid="next-step">
      {text}
    </Alert>
  );
}
