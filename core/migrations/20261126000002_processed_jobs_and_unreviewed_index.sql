-- Jobs whose effect must happen once although delivery is at-least-once: the handler records
-- the job's idempotency key in the same transaction as its effect.
CREATE TABLE processed_jobs (
    id          BIGSERIAL PRIMARY KEY,
    job_key     TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX processed_jobs_created_idx ON processed_jobs (created_at);
CREATE TRIGGER processed_jobs_updated_at BEFORE UPDATE ON processed_jobs FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Today's list = never-reviewed cards OR cards due in a date window. With this partial index
-- beside review_schedules_due_idx the planner can answer both halves from indexes (BitmapOr).
CREATE INDEX review_schedules_unreviewed_idx ON review_schedules (user_id)
    WHERE is_active AND NOT initial_review_completed;
