// Test data for the contents, review and categories pages (used by tests only).
import type { Category, Content, Schedule, Usage } from '../../api/types';

export const usage = (current: number, limit: number, tier = 'free'): Usage => ({
  current,
  limit,
  remaining: Math.max(0, limit - current),
  percentage: limit ? Math.round((current / limit) * 1000) / 10 : 0,
  can_create: current < limit,
  tier,
});

export const category = (id: number, name: string, extra: Partial<Category> = {}): Category => ({
  id,
  name,
  slug: name.toLowerCase(),
  description: '',
  created_at: '2025-01-01T00:00:00+09:00',
  user: 1,
  ...extra,
});

/** `days` from now, at noon local time, as RFC 3339. */
export function daysFromNow(days: number): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 12).toISOString();
}

export const content = (id: number, extra: Partial<Content> = {}): Content => ({
  id,
  title: `Note ${id}`,
  content: `Body of note ${id}`,
  author: 'me@example.com',
  category: null,
  created_at: '2025-01-01T00:00:00+09:00',
  updated_at: '2025-01-02T00:00:00+09:00',
  review_count: 0,
  next_review_date: null,
  review_mode: 'objective',
  mc_choices: null,
  is_ai_validated: false,
  ai_validation_score: null,
  ai_validation_result: null,
  ai_validated_at: null,
  ...extra,
});

export function contentsPage(results: Content[], extra: Record<string, unknown> = {}) {
  return {
    count: results.length,
    next: null,
    previous: null,
    links: { next: null, previous: null },
    page_size: 15,
    current_page: 1,
    total_pages: 1,
    results,
    usage: usage(results.length, 20),
    ...extra,
  };
}

export const schedule = (id: number, c: Partial<Content> & { id: number }): Schedule => {
  const full = content(c.id, c);
  return {
    id,
    content: {
      id: full.id,
      title: full.title,
      content: full.content,
      author: full.author,
      category_name: full.category?.name ?? null,
      review_mode: full.review_mode,
      mc_choices: full.mc_choices,
      is_ai_validated: full.is_ai_validated,
      ai_validation_score: full.ai_validation_score,
      created_at: full.created_at,
      updated_at: full.updated_at,
    },
    user: 'me@example.com',
    next_review_date: daysFromNow(0),
    interval_index: 0,
    is_active: true,
    initial_review_completed: false,
    created_at: full.created_at,
    updated_at: full.updated_at,
  };
};
