// IANA time zones for pickers: the browser's full list when it has one, else a short fallback.

const FALLBACK = [
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Moscow',
  'Africa/Cairo',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'UTC',
];

export const DEFAULT_TIMEZONE = 'Asia/Seoul';

let cached: string[] | null = null;

/** Every zone the browser knows (sorted), always including `Asia/Seoul` and UTC. */
export function timeZones(): string[] {
  if (cached) return cached;
  let zones: string[] = [];
  try {
    const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
    zones = intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const set = new Set(zones.length > 0 ? zones : FALLBACK);
  set.add(DEFAULT_TIMEZONE);
  set.add('UTC');
  cached = [...set].sort();
  return cached;
}

/** The list with `current` in it (a saved zone the browser does not list stays selectable). */
export function timeZonesWith(current: string | null | undefined): string[] {
  const zones = timeZones();
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/** The browser's own zone, if it can tell. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
