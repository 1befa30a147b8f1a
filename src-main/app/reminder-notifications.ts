import { Notification } from 'electron';
import type { Core } from '../composition/create-core';
import { dueFollowups } from '../leads';

const CHECK_MS = 60_000;

/**
 * While the desktop app runs, a system notification for each follow-up that falls due (once per item and
 * due time, so a snooze that ends notifies again). Local data only: works with no network.
 */
export function startReminderNotifications(core: Core, onClick: () => void): () => void {
  const shown = new Set<string>();
  const check = () => {
    if (!Notification.isSupported()) return;
    const pl = core.settings().language === 'pl';
    for (const item of dueFollowups(core.db, { at: Date.now() })) {
      const key = `${item.kind}:${item.id}:${item.due}`;
      if (shown.has(key)) continue;
      shown.add(key);
      const title = item.overdue ? (pl ? `Zaległe: ${item.leadName}` : `Overdue: ${item.leadName}`) : item.leadName;
      const notification = new Notification({ title, body: item.text });
      notification.on('click', onClick);
      notification.show();
    }
  };
  check();
  const timer = setInterval(check, CHECK_MS);
  return () => clearInterval(timer);
}
