const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 kB" (decimal units, as storage providers count), in the given language's digits. */
export function formatBytes(bytes: number, lang = 'en'): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}
