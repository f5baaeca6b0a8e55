import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';

/** Retry network failures and 5xx up to twice; never retry 4xx (they will not change). */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: shouldRetry,
      },
      mutations: {
        retry: false,
      },
    },
  });
}

/** The app's single client (tests create their own with createQueryClient()). */
export const queryClient = createQueryClient();
