// Unsaved note drafts in localStorage, one per note ("new" for a note not saved yet).
import type { Id, ReviewMode } from '../api/types';

export const DRAFT_PREFIX = 'resee.draft.';

export interface Draft {
  title: string;
  content: string;
  category: Id | null;
  review_mode: ReviewMode;
  /** ms since the epoch */
  savedAt: number;
}

export type DraftKey = Id | 'new';

const storageKey = (key: DraftKey) => `${DRAFT_PREFIX}${key}`;

function isDraft(value: unknown): value is Draft {
  const v = value as Draft | null;
  return !!v && typeof v.title === 'string' && typeof v.content === 'string' && typeof v.savedAt === 'number';
}

export function loadDraft(key: DraftKey): Draft | null {
  try {
    const raw = localStorage.getItem(storageKey(key));
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isDraft(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: DraftKey, draft: Omit<Draft, 'savedAt'>, now: number = Date.now()): void {
  try {
    localStorage.setItem(storageKey(key), JSON.stringify({ ...draft, savedAt: now }));
  } catch {
    // storage full or disabled: no draft this time
  }
}

export function clearDraft(key: DraftKey): void {
  try {
    localStorage.removeItem(storageKey(key));
  } catch {
    // ignore
  }
}
