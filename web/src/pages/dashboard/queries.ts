import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Activity, CategoriesResponse, ContentsPage, Dashboard, Forecast } from '../../api/types';

export const ACTIVITY_DAYS = 365;
export const FORECAST_DAYS = 30;
/** The contents list is asked for one item only: the dashboard wants its `usage`. */
export const USAGE_PARAMS = { page_size: 1 } as const;

export function useDashboard() {
  return useQuery({
    queryKey: qk.review.dashboard(),
    queryFn: ({ signal }) => api.get<Dashboard>('/api/review/dashboard/', { signal }),
  });
}

export function useActivity() {
  return useQuery({
    queryKey: qk.review.activity(ACTIVITY_DAYS),
    queryFn: ({ signal }) => api.get<Activity>('/api/review/activity/', { query: { days: ACTIVITY_DAYS }, signal }),
  });
}

export function useForecast() {
  return useQuery({
    queryKey: qk.review.forecast(FORECAST_DAYS),
    queryFn: ({ signal }) => api.get<Forecast>('/api/review/forecast/', { query: { days: FORECAST_DAYS }, signal }),
  });
}

export function useContentUsage() {
  return useQuery({
    queryKey: qk.contents.list(USAGE_PARAMS),
    queryFn: ({ signal }) => api.get<ContentsPage>('/api/contents/', { query: USAGE_PARAMS, signal }),
    select: (page) => page.usage,
  });
}

export function useCategoryUsage() {
  return useQuery({
    queryKey: qk.categories.list(),
    queryFn: ({ signal }) => api.get<CategoriesResponse>('/api/categories/', { signal }),
    select: (list) => list.usage,
  });
}
