// Response and request shapes of the Resee API (docs/API.md, docs/openapi.json). Ids are numbers,
// datetimes RFC 3339 strings, dates YYYY-MM-DD, times HH:MM:SS.

export type Id = number;
export type DateTime = string;
export type DateOnly = string;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type Tier = 'free' | 'basic' | 'pro' | (string & {});

export interface UserSubscriptionSummary {
  id: Id;
  tier: Tier;
  tier_display: string;
  max_interval_days: number;
  start_date: DateTime;
  end_date: DateTime | null;
  is_active: boolean;
  days_remaining: number | null;
  is_expired: boolean;
}

export interface User {
  id: Id;
  email: string;
  username: string | null;
  is_email_verified: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  weekly_goal: number;
  date_joined: DateTime;
  subscription: UserSubscriptionSummary | null;
}

// ---- auth and accounts

export interface TokenResponse {
  access: string;
}

export interface RegisterRequest {
  email: string;
  password: string;
  password_confirm: string;
}

export interface RegisterResponse {
  success: true;
  message: string;
  data: { user: User; requires_email_verification: boolean };
}

export interface MessageResponse {
  message: string;
}

export interface VerifyEmailResponse {
  message: string;
  user: User;
}

export interface ProfileUpdate {
  username?: string;
  weekly_goal?: number;
}

export interface NotificationPreferences {
  email_notifications_enabled: boolean;
  daily_reminder_enabled: boolean;
  daily_reminder_time: string;
  timezone?: string;
  language?: 'ko' | 'en';
}

export interface PasswordChangeRequest {
  current_password: string;
  new_password: string;
  new_password_confirm: string;
}

export interface Subscription extends UserSubscriptionSummary {
  auto_renewal: boolean;
  next_billing_date: DateTime | null;
  /** `""` when there is none. */
  payment_method: string;
}

export type BillingCycle = 'monthly' | 'yearly';

export interface TierInfo {
  tier: Tier;
  tier_display: string;
  level: number;
  max_interval_days: number;
  monthly_price: number;
  price: number;
  billing_cycle: BillingCycle;
  content_limit: number;
  category_limit: number;
  features: string[];
}

export interface TiersResponse {
  tiers: TierInfo[];
  billing_cycle: BillingCycle;
}

// ---- categories and contents

/** "unlimited" is 999999 */
export interface Usage {
  current: number;
  limit: number;
  remaining: number;
  percentage: number;
  can_create: boolean;
  tier: Tier;
}

export interface Category {
  id: Id;
  name: string;
  slug: string;
  description: string;
  created_at: DateTime;
  /** the owner's id */
  user: Id;
}

export interface CategoriesResponse extends Page<Category> {
  usage: Usage;
}

export type ReviewMode = 'objective' | 'descriptive' | 'multiple_choice';

export interface McChoices {
  choices: string[];
  correct_answer: string;
}

export interface Content {
  id: Id;
  title: string;
  content: string;
  /** the owner's email */
  author: string;
  category: Category | null;
  created_at: DateTime;
  updated_at: DateTime;
  review_count: number;
  next_review_date: DateTime | null;
  review_mode: ReviewMode;
  mc_choices: McChoices | null;
  is_ai_validated: boolean;
  ai_validation_score: number | null;
  ai_validation_result: unknown;
  ai_validated_at: DateTime | null;
}

export interface ContentsPage extends Page<Content> {
  links: { next: string | null; previous: string | null };
  page_size: number;
  current_page: number;
  total_pages: number;
  usage: Usage;
  content_meta?: { categories_in_page: string[] };
}

export interface ContentInput {
  title: string;
  content: string;
  category?: Id | null;
  review_mode?: ReviewMode;
}

export interface ValidationAspect {
  score: number;
  issues: string[];
}

export interface ValidationResult {
  is_valid: boolean;
  factual_accuracy: ValidationAspect;
  logical_consistency: ValidationAspect;
  title_relevance: ValidationAspect;
  overall_feedback: string;
}

// ---- review

export interface ScheduleContent {
  id: Id;
  title: string;
  content: string;
  author: string;
  category_name: string | null;
  review_mode: ReviewMode;
  mc_choices: McChoices | null;
  is_ai_validated: boolean;
  ai_validation_score: number | null;
  created_at: DateTime;
  updated_at: DateTime;
}

export interface Schedule {
  id: Id;
  content: ScheduleContent;
  user: string;
  next_review_date: DateTime;
  interval_index: number;
  is_active: boolean;
  initial_review_completed: boolean;
  created_at: DateTime;
  updated_at: DateTime;
}

export interface TodayResponse {
  results: Schedule[];
  count: number;
  total_count: number;
  subscription_tier: Tier;
  max_interval_days: number;
}

export type ReviewResult = 'remembered' | 'partial' | 'forgot';

export interface CompletionRequest {
  result?: ReviewResult;
  /** seconds, 0–86400 */
  time_spent?: number;
  notes?: string;
  descriptive_answer?: string;
  selected_choice?: string;
}

export interface CompletionResponse {
  message: string;
  next_review_date: DateTime;
  interval_index: number;
  final_result: ReviewResult;
  ai_evaluation?: { score: number; feedback: string; auto_result: ReviewResult; is_correct: boolean };
}

export interface ReviewPage<T> extends Page<T> {
  links: { next: string | null; previous: string | null };
  page_size: number;
  current_page: number;
  total_pages: number;
  /** Only on a page with items (as the original API); `completion_rate` and
   * `completed_reviews_in_page` are always 0. */
  review_meta?: { completion_rate: number; total_reviews_in_page: number; completed_reviews_in_page: number };
}

export interface History {
  id: Id;
  content: Content;
  user: string;
  review_date: DateTime;
  result: ReviewResult;
  /** Seconds; 0 when the review did not say. */
  time_spent: number;
  notes: string | null;
  descriptive_answer: string | null;
  ai_score: number | null;
  ai_feedback: string | null;
}

export interface Activity {
  days: { date: DateOnly; reviews: number; remembered: number }[];
  streak: number;
  longest_streak: number;
  weekly_goal: number;
  this_week: number;
}

export interface Forecast {
  days: { date: DateOnly; due: number }[];
}

export interface Dashboard {
  today_reviews: number;
  pending_reviews: number;
  total_content: number;
  success_rate: number;
  total_reviews_30_days: number;
}

export type CategoryStats = Record<
  string,
  { category: string; today_reviews: number; total_content: number; success_rate: number; total_reviews_30_days: number }
>;

// ---- exams

export type ExamStatus = 'preparing' | 'pending' | 'in_progress' | 'completed' | (string & {});

export interface ExamSummary {
  id: Id;
  title: string;
  start_date: DateTime | null;
  end_date: DateTime | null;
  status: ExamStatus;
  total_questions: number;
  correct_answers: number;
  score_percentage: number | null;
  created_at: DateTime;
  completed_at: DateTime | null;
}

export interface Question {
  id: Id;
  question_type: 'multiple_choice' | 'true_false';
  question_text: string;
  choices: string[] | null;
  order: number;
  points: number;
  content: Content;
  created_at: DateTime;
  /** only once the test is completed */
  correct_answer?: string;
  explanation?: string;
}

export interface Exam {
  id: Id;
  title: string;
  description: string;
  start_date: DateTime | null;
  end_date: DateTime | null;
  status: ExamStatus;
  total_questions: number;
  correct_answers: number;
  score_percentage: number | null;
  started_at: DateTime | null;
  completed_at: DateTime | null;
  /** "HH:MM:SS.ffffff" */
  time_spent: string | null;
  created_at: DateTime;
  updated_at: DateTime;
  questions: Question[];
}

export interface ExamCreate {
  content_ids?: Id[];
  title?: string;
  description?: string;
  start_date?: DateTime;
  end_date?: DateTime;
}

export interface AnswerResponse {
  message: string;
  answer_id: Id;
  is_correct: boolean;
  points_earned: number;
}

export interface ExamCompleteResponse {
  message: string;
  score_percentage: number;
  correct_answers: number;
  total_questions: number;
  time_spent: string;
}

export interface ExamResults {
  test: Exam;
  answers: {
    question: Question & { correct_answer: string; explanation: string; content_title: string };
    user_answer: string;
    is_correct: boolean;
    points_earned: number;
    ai_score: number | null;
    ai_feedback: string | null;
  }[];
}
