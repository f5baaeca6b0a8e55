// Shapes of the staff-only operations endpoints (api/src/routes/admin.rs).
import type { DateTime, User } from '../../api/types';

export interface JobTypeStats {
  type: string;
  queued: number;
  running: number;
  delayed: number;
}

export interface JobsOverview {
  jobs: JobTypeStats[];
  dead: number;
}

export interface DeadLetter {
  id: string;
  type: string;
  job_id: string;
  error: string;
  attempts: number;
  failed_at: DateTime | null;
}

export interface DeadLetters {
  count: number;
  results: DeadLetter[];
}

export interface Backup {
  key: string;
  created_at: DateTime;
  bytes: number;
  sha256: string;
}

export interface BackupRun {
  started_at: DateTime;
  finished_at: DateTime | null;
  outcome: 'running' | 'succeeded' | 'failed' | (string & {});
  key: string | null;
  step: string | null;
  error: string | null;
}

export interface Backups {
  backups: Backup[];
  last_run: BackupRun | null;
}

export const BUSINESS_KEYS = [
  'users',
  'active_users',
  'verified_users',
  'new_users_7_days',
  'contents',
  'categories',
  'reviews',
  'reviews_24_hours',
  'exams',
  'completed_exams',
] as const;

export type BusinessMetrics = Record<(typeof BUSINESS_KEYS)[number], number> & { timestamp: DateTime };

/** `<User>` in the admin list; `is_active` only if the API sends it (it is not in `<User>` today). */
export type AdminUser = User & { is_active?: boolean };
