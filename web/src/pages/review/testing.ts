// Helpers for the review page tests (not used by the app).
import type { Schedule } from '../../api/types';
import { json, mockFetch, type Call } from '../../test/fetch';
import { schedule } from '../contents/fixtures';

export const today = (results: Schedule[], total = results.length) => ({
  results,
  count: results.length,
  total_count: total,
  subscription_tier: 'basic',
  max_interval_days: 90,
});

export const objective = (id: number, title: string, body = `${title} body`) =>
  schedule(id, { id: id + 100, title, content: body });

export const completed = (result: string, extra: Record<string, unknown> = {}) => ({
  message: 'ok',
  next_review_date: '2025-01-05T00:00:00+09:00',
  interval_index: 1,
  final_result: result,
  ...extra,
});

/** Serves today's list and answers completions with `complete(call)`. */
export function serve(cards: Schedule[], complete: (call: Call) => Response | Promise<Response> = (c) =>
  json(completed((c.body as { result?: string }).result ?? 'remembered')),
  total?: number,
) {
  return mockFetch((call) => {
    if (call.url.startsWith('/api/review/schedules/today/')) return json(today(cards, total));
    if (call.url.includes('/completions/')) return complete(call);
    if (call.url.startsWith('/api/categories/')) return json({ count: 0, results: [], usage: {} });
    if (call.url.startsWith('/api/review/forecast/'))
      return json({ days: [{ date: '2025-01-01', due: 0 }, { date: '2025-01-02', due: 0 }, { date: '2025-01-03', due: 4 }] });
    return json({ detail: 'unexpected' }, 500);
  });
}

export const completions = (calls: Call[]) => calls.filter((c) => c.url.includes('/completions/'));
