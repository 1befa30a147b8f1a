import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "2 min ago" / "in 14 min" in the UI language; the last 45 seconds read "just now". */
export function relativeTime(at: number, now: number, language: string, t: TFunction, style: Intl.RelativeTimeFormatStyle = 'long'): string {
  const diff = at - now;
  if (Math.abs(diff) < 45_000) return diff <= 0 ? t('sync.time.justNow') : t('sync.time.soon');
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'minute') return format.format(Math.round(diff / ms), unit);
  }
  return format.format(Math.round(diff / 60_000), 'minute');
}

/** A past moment; a clock read a few seconds before the event still says "just now", never "in a moment". */
export const ago = (at: number, now: number, language: string, t: TFunction, style?: Intl.RelativeTimeFormatStyle) => relativeTime(Math.min(at, now), now, language, t, style);

/** Local date and time, for tooltips next to a relative time. */
export function absoluteTime(at: number, language: string): string {
  return new Date(at).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The current time, re-read every `everyMs` so relative times on screen stay true. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
