-- The whole Resee schema (domain.md → Data). Later changes come as new, forward-only migrations
-- that stay safe while the previous version of the code still runs.
--
-- Every table has id BIGSERIAL, created_at and updated_at; updated_at is kept by a trigger.
-- Rules that protect the data live here as CHECKs, uniques and foreign keys; the api maps a
-- violated constraint to a 400, never a 500.

CREATE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Users -------------------------------------------------------------------------------------

CREATE TABLE users (
    id                              BIGSERIAL PRIMARY KEY,
    email                           TEXT NOT NULL
        CONSTRAINT users_email_format CHECK (char_length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    username                        TEXT
        CONSTRAINT users_username_length CHECK (username IS NULL OR char_length(username) BETWEEN 1 AND 150),
    password_hash                   TEXT NOT NULL,
    is_active                       BOOLEAN NOT NULL DEFAULT TRUE,
    is_staff                        BOOLEAN NOT NULL DEFAULT FALSE,
    is_superuser                    BOOLEAN NOT NULL DEFAULT FALSE,
    is_email_verified               BOOLEAN NOT NULL DEFAULT FALSE,
    email_verification_token_hash   BYTEA,
    email_verification_sent_at      TIMESTAMPTZ,
    weekly_goal                     INTEGER NOT NULL DEFAULT 7
        CONSTRAINT users_weekly_goal_range CHECK (weekly_goal BETWEEN 1 AND 100),
    -- Bumped by a password change: every token issued before carries an older version.
    token_version                   INTEGER NOT NULL DEFAULT 0,
    date_joined                     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login                      TIMESTAMPTZ,
    created_at                      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users (lower(username)) WHERE username IS NOT NULL;
CREATE UNIQUE INDEX users_email_verification_token_key ON users (email_verification_token_hash)
    WHERE email_verification_token_hash IS NOT NULL;
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE subscriptions (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    tier                TEXT NOT NULL DEFAULT 'basic'
        CONSTRAINT subscriptions_tier_known CHECK (tier IN ('free', 'basic', 'pro')),
    max_interval_days   INTEGER NOT NULL
        CONSTRAINT subscriptions_max_interval_positive CHECK (max_interval_days > 0),
    start_date          TIMESTAMPTZ NOT NULL DEFAULT now(),
    end_date            TIMESTAMPTZ,
    is_active           BOOLEAN NOT NULL DEFAULT TRUE,
    auto_renewal        BOOLEAN NOT NULL DEFAULT FALSE,
    billing_cycle       TEXT NOT NULL DEFAULT 'monthly'
        CONSTRAINT subscriptions_billing_cycle_known CHECK (billing_cycle IN ('monthly', 'yearly')),
    next_billing_date   TIMESTAMPTZ,
    payment_method      TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_dates_ordered CHECK (end_date IS NULL OR end_date >= start_date)
);
-- Housekeeping looks for subscriptions that lapsed since its last run.
CREATE INDEX subscriptions_end_date_idx ON subscriptions (end_date) WHERE end_date IS NOT NULL;
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE notification_preferences (
    id                          BIGSERIAL PRIMARY KEY,
    user_id                     BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    email_notifications_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    daily_reminder_enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    daily_reminder_time         TIME NOT NULL DEFAULT '09:00',
    timezone                    TEXT NOT NULL DEFAULT 'Asia/Seoul'
        CONSTRAINT notification_preferences_timezone_length CHECK (char_length(timezone) BETWEEN 1 AND 64),
    language                    TEXT NOT NULL DEFAULT 'ko'
        CONSTRAINT notification_preferences_language_known CHECK (language IN ('ko', 'en')),
    unsubscribe_token           TEXT NOT NULL UNIQUE,
    last_reminder_local_date    DATE,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The reminder scan: who wants a reminder at all.
CREATE INDEX notification_preferences_reminders_idx ON notification_preferences (daily_reminder_time)
    WHERE email_notifications_enabled AND daily_reminder_enabled;
CREATE TRIGGER notification_preferences_updated_at BEFORE UPDATE ON notification_preferences
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE password_reset_tokens (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  BYTEA NOT NULL UNIQUE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id);
CREATE INDEX password_reset_tokens_expires_idx ON password_reset_tokens (expires_at);
CREATE TRIGGER password_reset_tokens_updated_at BEFORE UPDATE ON password_reset_tokens
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Learning ----------------------------------------------------------------------------------

CREATE TABLE categories (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- "Contains a letter or digit" (Hangul counts) is checked by the api, which knows Unicode.
    name        TEXT NOT NULL
        CONSTRAINT categories_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    slug        TEXT NOT NULL
        CONSTRAINT categories_slug_length CHECK (char_length(slug) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT ''
        CONSTRAINT categories_description_length CHECK (char_length(description) <= 500),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT categories_user_name_key UNIQUE (user_id, name),
    CONSTRAINT categories_user_slug_key UNIQUE (user_id, slug),
    -- Target of the contents → categories key that keeps both rows with one owner.
    CONSTRAINT categories_id_user_key UNIQUE (id, user_id)
);
CREATE TRIGGER categories_updated_at BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE contents (
    id                      BIGSERIAL PRIMARY KEY,
    author_id               BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id             BIGINT,
    title                   TEXT NOT NULL
        CONSTRAINT contents_title_length CHECK (char_length(btrim(title)) >= 1 AND char_length(title) <= 30),
    body                    TEXT NOT NULL
        CONSTRAINT contents_body_length CHECK (char_length(body) BETWEEN 1 AND 50000),
    review_mode             TEXT NOT NULL DEFAULT 'objective'
        CONSTRAINT contents_review_mode_known CHECK (review_mode IN ('objective', 'descriptive', 'multiple_choice')),
    is_ai_validated         BOOLEAN NOT NULL DEFAULT FALSE,
    ai_validation_score     DOUBLE PRECISION
        CONSTRAINT contents_ai_score_range CHECK (ai_validation_score BETWEEN 0 AND 100),
    ai_validation_result    JSONB,
    ai_validated_at         TIMESTAMPTZ,
    mc_choices              JSONB,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- A content can only sit in a category of its own author; deleting the category leaves the
    -- content uncategorised.
    CONSTRAINT contents_category_fkey FOREIGN KEY (category_id, author_id)
        REFERENCES categories (id, user_id) ON DELETE SET NULL (category_id),
    CONSTRAINT contents_id_author_key UNIQUE (id, author_id)
);
CREATE INDEX contents_author_created_idx ON contents (author_id, created_at DESC);
CREATE INDEX contents_category_idx ON contents (category_id) WHERE category_id IS NOT NULL;
CREATE TRIGGER contents_updated_at BEFORE UPDATE ON contents FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE review_schedules (
    id                          BIGSERIAL PRIMARY KEY,
    user_id                     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_id                  BIGINT NOT NULL UNIQUE,
    next_review_date            TIMESTAMPTZ NOT NULL DEFAULT now(),
    interval_index              INTEGER NOT NULL DEFAULT 0
        CONSTRAINT review_schedules_interval_index_range CHECK (interval_index BETWEEN 0 AND 31),
    is_active                   BOOLEAN NOT NULL DEFAULT TRUE,
    initial_review_completed    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT review_schedules_content_fkey FOREIGN KEY (content_id, user_id)
        REFERENCES contents (id, author_id) ON DELETE CASCADE
);
CREATE INDEX review_schedules_due_idx ON review_schedules (user_id, is_active, next_review_date);
CREATE TRIGGER review_schedules_updated_at BEFORE UPDATE ON review_schedules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE review_history (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_id          BIGINT NOT NULL,
    review_date         TIMESTAMPTZ NOT NULL DEFAULT now(),
    result              TEXT NOT NULL
        CONSTRAINT review_history_result_known CHECK (result IN ('remembered', 'partial', 'forgot')),
    time_spent          INTEGER
        CONSTRAINT review_history_time_spent_range CHECK (time_spent BETWEEN 0 AND 86400),
    notes               TEXT NOT NULL DEFAULT ''
        CONSTRAINT review_history_notes_length CHECK (char_length(notes) <= 5000),
    descriptive_answer  TEXT NOT NULL DEFAULT ''
        CONSTRAINT review_history_answer_length CHECK (char_length(descriptive_answer) <= 10000),
    selected_choice     TEXT,
    ai_score            DOUBLE PRECISION
        CONSTRAINT review_history_ai_score_range CHECK (ai_score BETWEEN 0 AND 100),
    ai_feedback         TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT review_history_content_fkey FOREIGN KEY (content_id, user_id)
        REFERENCES contents (id, author_id) ON DELETE CASCADE
);
CREATE INDEX review_history_user_date_idx ON review_history (user_id, review_date DESC) INCLUDE (result);
CREATE INDEX review_history_content_date_idx ON review_history (content_id, review_date DESC);
CREATE TRIGGER review_history_updated_at BEFORE UPDATE ON review_history
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Exams -------------------------------------------------------------------------------------

CREATE TABLE exams (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title               TEXT NOT NULL
        CONSTRAINT exams_title_length CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    description         TEXT NOT NULL DEFAULT ''
        CONSTRAINT exams_description_length CHECK (char_length(description) <= 2000),
    -- The contents picked for the exam; the questions are generated from them.
    content_ids         BIGINT[] NOT NULL DEFAULT '{}'
        CONSTRAINT exams_content_count CHECK (cardinality(content_ids) <= 10),
    -- Monday of the exam's calendar week in the user's timezone: one exam per week.
    week_start          DATE NOT NULL,
    start_date          TIMESTAMPTZ NOT NULL DEFAULT now(),
    end_date            TIMESTAMPTZ NOT NULL,
    status              TEXT NOT NULL DEFAULT 'preparing'
        CONSTRAINT exams_status_known CHECK (status IN ('pending', 'preparing', 'in_progress', 'completed')),
    total_questions     INTEGER NOT NULL DEFAULT 0 CONSTRAINT exams_total_questions_range CHECK (total_questions >= 0),
    correct_answers     INTEGER NOT NULL DEFAULT 0 CONSTRAINT exams_correct_answers_range CHECK (correct_answers >= 0),
    score_percentage    DOUBLE PRECISION NOT NULL DEFAULT 0
        CONSTRAINT exams_score_range CHECK (score_percentage BETWEEN 0 AND 100),
    started_at          TIMESTAMPTZ,
    completed_at        TIMESTAMPTZ,
    time_spent          INTERVAL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT exams_user_week_key UNIQUE (user_id, week_start),
    CONSTRAINT exams_dates_ordered CHECK (end_date >= start_date),
    CONSTRAINT exams_id_user_key UNIQUE (id, user_id)
);
CREATE INDEX exams_user_created_idx ON exams (user_id, created_at DESC);
CREATE TRIGGER exams_updated_at BEFORE UPDATE ON exams FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE exam_questions (
    id              BIGSERIAL PRIMARY KEY,
    exam_id         BIGINT NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    -- The source note; kept as NULL if the note is deleted after the exam was made.
    content_id      BIGINT REFERENCES contents (id) ON DELETE SET NULL,
    question_type   TEXT NOT NULL
        CONSTRAINT exam_questions_type_known CHECK (question_type IN ('multiple_choice', 'true_false')),
    question_text   TEXT NOT NULL CONSTRAINT exam_questions_text_present CHECK (btrim(question_text) <> ''),
    choices         JSONB,
    correct_answer  TEXT NOT NULL,
    explanation     TEXT NOT NULL DEFAULT '',
    "order"         INTEGER NOT NULL CONSTRAINT exam_questions_order_range CHECK ("order" >= 0),
    points          INTEGER NOT NULL DEFAULT 10 CONSTRAINT exam_questions_points_range CHECK (points >= 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT exam_questions_exam_order_key UNIQUE (exam_id, "order"),
    CONSTRAINT exam_questions_choices_shape CHECK (
        (question_type = 'multiple_choice' AND jsonb_typeof(choices) = 'array' AND jsonb_array_length(choices) = 4)
        OR (question_type = 'true_false' AND choices IS NULL)
    )
);
CREATE TRIGGER exam_questions_updated_at BEFORE UPDATE ON exam_questions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE exam_answers (
    id              BIGSERIAL PRIMARY KEY,
    question_id     BIGINT NOT NULL REFERENCES exam_questions (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_answer     TEXT NOT NULL CONSTRAINT exam_answers_length CHECK (char_length(user_answer) <= 2000),
    is_correct      BOOLEAN NOT NULL,
    points_earned   INTEGER NOT NULL DEFAULT 0 CONSTRAINT exam_answers_points_range CHECK (points_earned >= 0),
    ai_score        DOUBLE PRECISION CONSTRAINT exam_answers_ai_score_range CHECK (ai_score BETWEEN 0 AND 100),
    ai_feedback     TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT exam_answers_question_user_key UNIQUE (question_id, user_id)
);
CREATE INDEX exam_answers_user_idx ON exam_answers (user_id);
CREATE TRIGGER exam_answers_updated_at BEFORE UPDATE ON exam_answers FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Operations --------------------------------------------------------------------------------

-- Emails already sent, by the job's message id: a redelivered email job does not send twice.
CREATE TABLE sent_emails (
    id          BIGSERIAL PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    template    TEXT NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sent_emails_sent_at_idx ON sent_emails (sent_at);
CREATE TRIGGER sent_emails_updated_at BEFORE UPDATE ON sent_emails FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per backup attempt; the api and the alerts read it without S3 credentials.
CREATE TABLE backup_runs (
    id          BIGSERIAL PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    outcome     TEXT NOT NULL DEFAULT 'running'
        CONSTRAINT backup_runs_outcome_known CHECK (outcome IN ('running', 'succeeded', 'failed')),
    key         TEXT,
    bytes       BIGINT CONSTRAINT backup_runs_bytes_range CHECK (bytes >= 0),
    sha256      TEXT,
    step        TEXT,
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT backup_runs_finished_consistent CHECK ((outcome = 'running') = (finished_at IS NULL))
);
CREATE INDEX backup_runs_started_idx ON backup_runs (started_at DESC);
CREATE TRIGGER backup_runs_updated_at BEFORE UPDATE ON backup_runs FOR EACH ROW EXECUTE FUNCTION set_updated_at();
