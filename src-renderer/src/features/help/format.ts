import type { TFunction } from 'i18next';

/** Bytes as the person reads them (1 decimal from MB up). */
export function formatBytes(bytes: number, language: string): string {
  const abs = Math.abs(bytes);
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = abs;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = new Intl.NumberFormat(language, { maximumFractionDigits: unit >= 2 ? 1 : 0 }).format(value);
  return `${text} ${units[unit]}`;
}

/** "just now", "5 min ago", "2 h ago", "3 d ago". */
export function timeAgo(at: number, t: TFunction, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  if (minutes < 1) return t('help.time.justNow');
  if (minutes < 60) return t('help.time.minutes', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('help.time.hours', { count: hours });
  return t('help.time.days', { count: Math.round(hours / 24) });
}
