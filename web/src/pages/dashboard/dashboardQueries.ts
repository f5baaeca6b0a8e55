import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Activity, CategoriesResponse, ContentsPage, Dashboard, Forecast } from '../../api/types';
import { ACTIVITY_DAYS, DASHBOARD_PATHS, FORECAST_DAYS, USAGE_PARAMS } from './dashboardPaths';

// The dashboard's five calls, shared by its hooks (queries.ts) and prefetchDashboard(). Apart from
// the hooks so that main.tsx, which imports this module, does not take useQuery into the entry chunk.
export const dashboard = queryOptions({
  queryKey: qk.review.dashboard(),
  queryFn: ({ signal }) => api.get<Dashboard>(DASHBOARD_PATHS.dashboard, { signal }),
});
export const activity = queryOptions({
  queryKey: qk.review.activity(ACTIVITY_DAYS),
  queryFn: ({ signal }) => api.get<Activity>(DASHBOARD_PATHS.activity, { signal }),
});
export const forecast = queryOptions({
  queryKey: qk.review.forecast(FORECAST_DAYS),
  queryFn: ({ signal }) => api.get<Forecast>(DASHBOARD_PATHS.forecast, { signal }),
});
export const contents = queryOptions({
  queryKey: qk.contents.list(USAGE_PARAMS),
  queryFn: ({ signal }) => api.get<ContentsPage>(DASHBOARD_PATHS.contents, { signal }),
});
export const categories = queryOptions({
  queryKey: qk.categories.list(),
  queryFn: ({ signal }) => api.get<CategoriesResponse>(DASHBOARD_PATHS.categories, { signal }),
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
