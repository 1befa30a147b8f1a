import { dialog } from 'electron';
import type { RecoveryChoice, StoreRecovery } from '../db/open-store';
import { recoveryTexts } from '../db/store-recovery-text';

/** The desktop's recovery question for a damaged store: restore the newest backup, start fresh, or quit. */
export async function askStoreRecovery(recovery: StoreRecovery, locale: string): Promise<RecoveryChoice | null> {
  const t = recoveryTexts(recovery, locale);
  const buttons = [...(t.restore ? [t.restore] : []), t.fresh, t.quit];
  const { response } = await dialog.showMessageBox({ type: 'error', title: t.title, message: t.message, detail: t.detail, buttons, defaultId: 0, cancelId: buttons.length - 1, noLink: true });
  const picked = buttons[response];
  if (picked === t.restore) return { kind: 'restore' };
  return picked === t.fresh ? { kind: 'fresh' } : null;
}
