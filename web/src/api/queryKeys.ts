// Every TanStack Query key in one place, as hierarchical arrays, so invalidation is predictable:
//   queryClient.invalidateQueries({ queryKey: qk.contents.all })   → every contents query
// Add keys for a new area here (append only; do not rename existing ones).
import type { QueryParams } from './client';
import type { Id } from './types';

export const qk = {
  me: ['me'] as const,
  profile: ['profile'] as const,
  notificationPreferences: ['notification-preferences'] as const,
  subscription: {
    all: ['subscription'] as const,
    mine: () => ['subscription', 'mine'] as const,
    tiers: (billingCycle: string) => ['subscription', 'tiers', billingCycle] as const,
  },
  categories: {
    all: ['categories'] as const,
    list: () => ['categories', 'list'] as const,
    detail: (id: Id) => ['categories', 'detail', id] as const,
    stats: () => ['categories', 'stats'] as const,
  },
  contents: {
    all: ['contents'] as const,
    list: (params: QueryParams) => ['contents', 'list', params] as const,
    detail: (id: Id) => ['contents', 'detail', id] as const,
  },
  review: {
    all: ['review'] as const,
    today: (categorySlug?: string) => ['review', 'today', categorySlug ?? null] as const,
    schedules: (params: QueryParams) => ['review', 'schedules', params] as const,
    history: (params: QueryParams) => ['review', 'history', params] as const,
    dashboard: () => ['review', 'dashboard'] as const,
    activity: (days: number) => ['review', 'activity', days] as const,
    forecast: (days: number) => ['review', 'forecast', days] as const,
  },
  exams: {
    all: ['exams'] as const,
    list: (params: QueryParams) => ['exams', 'list', params] as const,
    detail: (id: Id) => ['exams', 'detail', id] as const,
    results: (id: Id) => ['exams', 'results', id] as const,
    /** the started/resumed test of POST test-sessions/ (questions without answers) */
    session: (id: Id) => ['exams', 'session', id] as const,
  },
  admin: {
    all: ['admin'] as const,
    users: (params: QueryParams) => ['admin', 'users', params] as const,
    jobs: () => ['admin', 'jobs'] as const,
    deadJobs: () => ['admin', 'jobs', 'dead'] as const,
    backups: () => ['admin', 'backups'] as const,
    metrics: (kind: 'system' | 'business') => ['admin', 'metrics', kind] as const,
  },
} as const;
