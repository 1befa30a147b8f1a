const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (1024-based, as file managers show sizes). */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${UNITS[unit]}`;
}

/** 412_000_000 → "412M", 7_240_000_000 → "7.2B". */
export function formatParameters(count: number, lang: string): string {
  const steps: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of steps) {
    if (count >= size) return `${(count / size).toLocaleString(lang, { maximumFractionDigits: count / size >= 100 ? 0 : 1 })}${suffix}`;
  }
  return count.toLocaleString(lang);
}

/** "MOSTLY_Q8_0" → "Q8_0": the prefix says nothing a salesperson needs. */
export function formatQuantisation(name: string): string {
  return name.replace(/^MOSTLY_/, '');
}

export function formatNumber(value: number, lang: string): string {
  return value.toLocaleString(lang);
}
