import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';
import { parseDuration, splitSeconds } from './duration';
import { timeZonesWith } from './timezones';

describe('durations, sizes and zones', () => {
  it('reads the API durations', () => {
    expect(parseDuration('00:12:34.500000')).toBe(754);
    expect(parseDuration('25:00:00')).toBe(90_000);
    expect(parseDuration('nope')).toBeNull();
    expect(parseDuration(null)).toBeNull();
    expect(splitSeconds(3723)).toEqual({ hours: 1, minutes: 2, seconds: 3 });
  });

  it('writes sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(15_400_000)).toBe('15.4 MB');
    expect(formatBytes(250_000_000_000)).toBe('250 GB');
  });

  it('lists IANA zones including Seoul and a saved unknown one', () => {
    const zones = timeZonesWith('Mars/Olympus');
    expect(zones[0]).toBe('Mars/Olympus');
    expect(zones).toContain('Asia/Seoul');
    expect(zones).toContain('UTC');
  });
});
