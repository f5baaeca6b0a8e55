import type { CompletionRequest, ReviewResult, Schedule } from '../../api/types';
import type { SubmitResult } from '../../offline';

export interface CardProps {
  schedule: Schedule;
  /** sends the completion (time_spent is added by the session) */
  submit: (body: CompletionRequest) => Promise<SubmitResult>;
  /** go to the next card; `result` null when skipped */
  next: (result: ReviewResult | null, queued: boolean) => void;
  /** the last card: "See results" instead of "Next" */
  last: boolean;
}

export interface Outcome {
  scheduleId: number;
  title: string;
  result: ReviewResult | null;
  queued: boolean;
  seconds: number;
}
