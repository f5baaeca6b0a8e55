import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Activity, CategoriesResponse, ContentsPage, Dashboard, Forecast } from '../../api/types';

export const ACTIVITY_DAYS = 365;
export const FORECAST_DAYS = 30;
/** The contents list is asked for one item only: the dashboard wants its `usage`. */
export const USAGE_PARAMS = { page_size: 1 } as const;

// The dashboard's five calls, shared by its hooks (queries.ts) and prefetchDashboard(). Apart from
// the hooks so that main.tsx, which imports this module, does not take useQuery into the entry chunk.
export const dashboard = queryOptions({
  queryKey: qk.review.dashboard(),
  queryFn: ({ signal }) => api.get<Dashboard>('/api/review/dashboard/', { signal }),
});
export const activity = queryOptions({
  queryKey: qk.review.activity(ACTIVITY_DAYS),
  queryFn: ({ signal }) => api.get<Activity>('/api/review/activity/', { query: { days: ACTIVITY_DAYS }, signal }),
});
export const forecast = queryOptions({
  queryKey: qk.review.forecast(FORECAST_DAYS),
  queryFn: ({ signal }) => api.get<Forecast>('/api/review/forecast/', { query: { days: FORECAST_DAYS }, signal }),
});
export const contents = queryOptions({
  queryKey: qk.contents.list(USAGE_PARAMS),
  queryFn: ({ signal }) => api.get<ContentsPage>('/api/contents/', { query: USAGE_PARAMS, signal }),
});
export const categories = queryOptions({
  queryKey: qk.categories.list(),
  queryFn: ({ signal }) => api.get<CategoriesResponse>('/api/categories/', { signal }),
});

/**
 * Starts the dashboard's calls without waiting for its code or the signed-in user (main.tsx, when
 * the first page is the dashboard): its hooks then find their answers in the cache.
 */
export function prefetchDashboard(client: QueryClient): void {
  void client.prefetchQuery(dashboard);
  void client.prefetchQuery(activity);
  void client.prefetchQuery(forecast);
  void client.prefetchQuery(contents);
  void client.prefetchQuery(categories);
}
