import { dialog } from 'electron';
import type { RecoveryChoice, StoreRecovery } from '../db/open-store';
import { recoveryTexts } from '../db/store-recovery-text';

/** The desktop's recovery question for a damaged store: restore the newest backup, start fresh, or quit. */
export async function askStoreRecovery(recovery: StoreRecovery, locale: string, failure: string | null = null): Promise<RecoveryChoice | null> {
  const t = recoveryTexts(recovery, locale);
  const detail = failure ? `${failure}\n\n${t.detail}` : t.detail;
  const buttons = [...(t.restore ? [t.restore] : []), t.fresh, t.quit];
  const { response } = await dialog.showMessageBox({ type: 'error', title: t.title, message: t.message, detail, buttons, defaultId: 0, cancelId: buttons.length - 1, noLink: true });
  const picked = buttons[response];
  if (picked === t.restore) return { kind: 'restore' };
  return picked === t.fresh ? { kind: 'fresh' } : null;
}
