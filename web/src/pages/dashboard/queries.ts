// The dashboard's hooks; the calls themselves are in dashboardQueries.ts.
import { useQuery } from '@tanstack/react-query';
import { activity, categories, contents, dashboard, forecast } from './dashboardQueries';

export function useDashboard() {
  return useQuery(dashboard);
}

export function useActivity() {
  return useQuery(activity);
}

export function useForecast() {
  return useQuery(forecast);
}

export function useContentUsage() {
  return useQuery({ ...contents, select: (page) => page.usage });
}

export function useCategoryUsage() {
  return useQuery({ ...categories, select: (list) => list.usage });
}
