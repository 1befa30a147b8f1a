import type { StoreRecovery } from './open-store';

/** What the desktop dialog and the headless page say about a damaged store, in the user's language. */
export interface RecoveryTexts {
  title: string;
  message: string;
  detail: string;
  /** Null when there is no usable backup to restore. */
  restore: string | null;
  fresh: string;
  quit: string;
}

function when(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale);
}

export function recoveryTexts(recovery: StoreRecovery, locale: string): RecoveryTexts {
  const polish = locale.toLowerCase().startsWith('pl');
  const backup = recovery.newestBackup;
  if (polish) {
    return {
      title: 'Plik danych Fieldmate jest uszkodzony',
      message: 'Nie można otworzyć danych Fieldmate: plik jest uszkodzony.',
      detail: `${recovery.dbFile}: ${recovery.reason}. Uszkodzony plik zostanie zachowany obok (fieldmate.sqlite.damaged-…), nic nie jest usuwane.${backup ? ` Najnowsza kopia zapasowa: ${when(backup.createdAt, locale)}.` : ' Nie znaleziono żadnej użytecznej kopii zapasowej.'}`,
      restore: backup ? `Przywróć kopię z ${when(backup.createdAt, locale)}` : null,
      fresh: 'Zacznij od nowa',
      quit: 'Zamknij',
    };
  }
  return {
    title: 'The Fieldmate data file is damaged',
    message: 'Fieldmate cannot open its data: the file is damaged.',
    detail: `${recovery.dbFile}: ${recovery.reason}. The damaged file is kept aside (fieldmate.sqlite.damaged-…); nothing is deleted.${backup ? ` Newest backup: ${when(backup.createdAt, locale)}.` : ' No usable backup was found.'}`,
    restore: backup ? `Restore the backup from ${when(backup.createdAt, locale)}` : null,
    fresh: 'Start fresh',
    quit: 'Quit',
  };
}
