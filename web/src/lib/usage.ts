import type { Usage } from '../api/types';

/** The API's "no limit" value for plan limits. */
export const UNLIMITED = 999_999;

export function isUnlimited(usage: Pick<Usage, 'limit'>): boolean {
  return usage.limit >= UNLIMITED;
}

/** 0–100 for a meter (0 for unlimited plans). */
export function usagePercent(usage: Pick<Usage, 'current' | 'limit'>): number {
  if (usage.limit >= UNLIMITED || usage.limit <= 0) return 0;
  return Math.min(100, Math.max(0, (usage.current / usage.limit) * 100));
}
