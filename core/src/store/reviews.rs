//! Review schedules, history and statistics.

use crate::review::{ReviewMode, ReviewResult, ScheduleState, TodayWindow};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgPool, QueryBuilder};

/// A schedule with the content summary the API shows next to it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduleRow {
    pub id: i64,
    pub user_email: String,
    pub next_review_date: DateTime<Utc>,
    pub interval_index: i32,
    pub is_active: bool,
    pub initial_review_completed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub content_id: i64,
    pub title: String,
    pub body: String,
    pub category_name: Option<String>,
    pub review_mode: String,
    pub mc_choices: Option<Value>,
    pub is_ai_validated: bool,
    pub ai_validation_score: Option<f64>,
    pub content_created_at: DateTime<Utc>,
    pub content_updated_at: DateTime<Utc>,
}

/// Today's list (docs/RULES.md → Today and statistics), ordered by due time.
///
/// Built per request so that the category filter is a plain predicate only when asked for: with
/// an `$n IS NULL OR ...` disjunction, the cached generic plan joined every schedule of the user.
pub async fn today(
    db: &PgPool,
    user_id: i64,
    window: &TodayWindow,
    slug: Option<&str>,
) -> sqlx::Result<Vec<ScheduleRow>> {
    let mut query = QueryBuilder::new(
        "SELECT s.id, u.email AS user_email, s.next_review_date, s.interval_index, s.is_active, s.initial_review_completed,
                s.created_at, s.updated_at, c.id AS content_id, c.title, c.body, cat.name AS category_name, c.review_mode,
                c.mc_choices, c.is_ai_validated, c.ai_validation_score, c.created_at AS content_created_at,
                c.updated_at AS content_updated_at
         FROM review_schedules s
         JOIN contents c ON c.id = s.content_id
         JOIN users u ON u.id = s.user_id
         LEFT JOIN categories cat ON cat.id = c.category_id
         WHERE s.user_id = ",
    );
    query.push_bind(user_id);
    query.push(" AND s.is_active AND (NOT s.initial_review_completed OR (s.next_review_date >= ");
    query.push_bind(window.oldest_due).push(" AND s.next_review_date < ").push_bind(window.today_end).push("))");
    if let Some(slug) = slug {
        query.push(" AND cat.slug = ").push_bind(slug.to_owned());
    }
    query.push(" ORDER BY s.next_review_date, s.id");
    query.build_query_as::<ScheduleRow>().fetch_all(db).await
}

/// All active schedules (in a category, when given).
pub async fn count_active(db: &PgPool, user_id: i64, slug: Option<&str>) -> sqlx::Result<i64> {
    match slug {
        None => {
            sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM review_schedules WHERE user_id = $1 AND is_active"#,
                user_id
            )
            .fetch_one(db)
            .await
        }
        Some(slug) => {
            sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM review_schedules s
                   JOIN contents c ON c.id = s.content_id JOIN categories cat ON cat.id = c.category_id
                   WHERE s.user_id = $1 AND s.is_active AND cat.slug = $2"#,
                user_id,
                slug
            )
            .fetch_one(db)
            .await
        }
    }
}

pub async fn count_schedules(db: &PgPool, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM review_schedules WHERE user_id = $1"#, user_id)
        .fetch_one(db)
        .await
}

/// One page of all schedules, soonest due first.
pub async fn schedules(db: &PgPool, user_id: i64, limit: i64, offset: i64) -> sqlx::Result<Vec<ScheduleRow>> {
    sqlx::query_as!(
        ScheduleRow,
        r#"SELECT s.id, u.email AS user_email, s.next_review_date, s.interval_index, s.is_active, s.initial_review_completed,
                  s.created_at, s.updated_at, c.id AS content_id, c.title, c.body, cat.name AS "category_name?", c.review_mode,
                  c.mc_choices, c.is_ai_validated, c.ai_validation_score, c.created_at AS content_created_at,
                  c.updated_at AS content_updated_at
           FROM review_schedules s
           JOIN contents c ON c.id = s.content_id
           JOIN users u ON u.id = s.user_id
           LEFT JOIN categories cat ON cat.id = c.category_id
           WHERE s.user_id = $1
           ORDER BY s.next_review_date, s.id
           LIMIT $2 OFFSET $3"#,
        user_id,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

pub async fn schedule(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<ScheduleRow>> {
    sqlx::query_as!(
        ScheduleRow,
        r#"SELECT s.id, u.email AS user_email, s.next_review_date, s.interval_index, s.is_active, s.initial_review_completed,
                  s.created_at, s.updated_at, c.id AS content_id, c.title, c.body, cat.name AS "category_name?", c.review_mode,
                  c.mc_choices, c.is_ai_validated, c.ai_validation_score, c.created_at AS content_created_at,
                  c.updated_at AS content_updated_at
           FROM review_schedules s
           JOIN contents c ON c.id = s.content_id
           JOIN users u ON u.id = s.user_id
           LEFT JOIN categories cat ON cat.id = c.category_id
           WHERE s.id = $1 AND s.user_id = $2"#,
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Pauses or resumes one schedule; false when it is not the user's.
pub async fn set_active(db: &PgPool, user_id: i64, id: i64, active: bool) -> sqlx::Result<bool> {
    let done =
        sqlx::query!("UPDATE review_schedules SET is_active = $3 WHERE id = $1 AND user_id = $2", id, user_id, active)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one schedule (the original's DELETE): the note and its history stay, and the note is
/// no longer reviewed. False when it is not the user's.
pub async fn delete_schedule(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query!("DELETE FROM review_schedules WHERE id = $1 AND user_id = $2", id, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one review from the history; the schedule stays where it is. False when it is not
/// the user's.
pub async fn delete_history(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query!("DELETE FROM review_history WHERE id = $1 AND user_id = $2", id, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// A schedule as a completion reads it, with what grading needs.
#[derive(Debug)]
pub struct Card {
    pub id: i64,
    pub content_id: i64,
    pub interval_index: i32,
    pub next_review_date: DateTime<Utc>,
    pub initial_review_completed: bool,
    pub is_active: bool,
    pub review_mode: ReviewMode,
    pub mc_choices: Option<Value>,
}

impl Card {
    /// A multiple-choice card's right option, once the worker has made the options.
    pub fn correct_choice(&self) -> Option<&str> {
        self.mc_choices.as_ref().and_then(|c| c["correct_answer"].as_str())
    }

    pub fn state(&self) -> ScheduleState {
        ScheduleState {
            interval_index: usize::try_from(self.interval_index).unwrap_or(0),
            next_review_date: self.next_review_date,
            initial_review_completed: self.initial_review_completed,
        }
    }
}

/// One of the user's schedules with its content's review mode and choices.
pub async fn card(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<Card>> {
    sqlx::query_as!(
        Card,
        r#"SELECT s.id, s.content_id, s.interval_index, s.next_review_date, s.initial_review_completed, s.is_active,
                c.review_mode AS "review_mode: ReviewMode", c.mc_choices
         FROM review_schedules s JOIN contents c ON c.id = s.content_id
         WHERE s.id = $1 AND s.user_id = $2"#,
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// One review as it is recorded.
#[derive(Debug)]
pub struct Review<'a> {
    pub result: ReviewResult,
    pub time_spent: Option<i32>,
    pub notes: &'a str,
    pub descriptive_answer: &'a str,
    pub selected_choice: Option<&'a str>,
    pub ai_score: Option<f64>,
    pub ai_feedback: Option<&'a str>,
}

/// Moves the card to its new state and writes the history row, in one statement, only if the
/// schedule is still active and in the state `card` was read in (optimistic concurrency).
/// Returns false when it was not: a concurrent completion or a pause got there first, and the
/// caller reads the card again and recomputes.
pub async fn record(
    db: &PgPool,
    user_id: i64,
    card: &Card,
    review: &Review<'_>,
    interval_index: i32,
    next_review_date: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "WITH moved AS (
             UPDATE review_schedules SET interval_index = $3, next_review_date = $4, initial_review_completed = TRUE
             WHERE id = $1 AND user_id = $2 AND is_active
               AND interval_index = $5 AND next_review_date = $6 AND initial_review_completed = $7
             RETURNING content_id
         )
         INSERT INTO review_history (user_id, content_id, result, time_spent, notes, descriptive_answer, selected_choice,
                                     ai_score, ai_feedback)
         SELECT $2, moved.content_id, $8, $9, $10, $11, $12, $13, $14 FROM moved",
        card.id,
        user_id,
        interval_index,
        next_review_date,
        card.interval_index,
        card.next_review_date,
        card.initial_review_completed,
        review.result.code(),
        review.time_spent,
        review.notes,
        review.descriptive_answer,
        review.selected_choice,
        review.ai_score,
        review.ai_feedback
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A history row with its content.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub id: i64,
    pub user_email: String,
    pub review_date: DateTime<Utc>,
    pub result: String,
    pub time_spent: Option<i32>,
    pub notes: String,
    pub descriptive_answer: String,
    pub ai_score: Option<f64>,
    pub ai_feedback: Option<String>,
    pub content: super::contents::ContentRow,
}

/// A flat history row as SQL returns it.
struct FlatHistory {
    id: i64,
    review_date: DateTime<Utc>,
    result: String,
    time_spent: Option<i32>,
    notes: String,
    descriptive_answer: String,
    ai_score: Option<f64>,
    ai_feedback: Option<String>,
    content_id: i64,
    author_id: i64,
    author_email: String,
    title: String,
    body: String,
    review_mode: String,
    is_ai_validated: bool,
    ai_validation_score: Option<f64>,
    ai_validation_result: Option<Value>,
    ai_validated_at: Option<DateTime<Utc>>,
    mc_choices: Option<Value>,
    content_created_at: DateTime<Utc>,
    content_updated_at: DateTime<Utc>,
    category_id: Option<i64>,
    category_name: Option<String>,
    category_slug: Option<String>,
    category_description: Option<String>,
    category_created_at: Option<DateTime<Utc>>,
    next_review_date: Option<DateTime<Utc>>,
    review_count: i64,
}

impl From<FlatHistory> for HistoryRow {
    fn from(f: FlatHistory) -> Self {
        Self {
            id: f.id,
            user_email: f.author_email.clone(),
            review_date: f.review_date,
            result: f.result,
            time_spent: f.time_spent,
            notes: f.notes,
            descriptive_answer: f.descriptive_answer,
            ai_score: f.ai_score,
            ai_feedback: f.ai_feedback,
            content: super::contents::ContentRow {
                id: f.content_id,
                author_id: f.author_id,
                author_email: f.author_email,
                title: f.title,
                body: f.body,
                review_mode: f.review_mode,
                is_ai_validated: f.is_ai_validated,
                ai_validation_score: f.ai_validation_score,
                ai_validation_result: f.ai_validation_result,
                ai_validated_at: f.ai_validated_at,
                mc_choices: f.mc_choices,
                created_at: f.content_created_at,
                updated_at: f.content_updated_at,
                category_id: f.category_id,
                category_name: f.category_name,
                category_slug: f.category_slug,
                category_description: f.category_description,
                category_created_at: f.category_created_at,
                next_review_date: f.next_review_date,
                review_count: f.review_count,
            },
        }
    }
}

pub async fn count_history(db: &PgPool, user_id: i64, content_id: Option<i64>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM review_history WHERE user_id = $1 AND ($2::bigint IS NULL OR content_id = $2)"#,
        user_id,
        content_id
    )
    .fetch_one(db)
    .await
}

/// One page of history, newest first; `id` picks a single row instead.
pub async fn history(
    db: &PgPool,
    user_id: i64,
    content_id: Option<i64>,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HistoryRow>> {
    let rows = sqlx::query_as!(
        FlatHistory,
        r#"SELECT h.id, h.review_date, h.result, h.time_spent, h.notes, h.descriptive_answer, h.ai_score, h.ai_feedback,
                  c.id AS content_id, c.author_id, u.email AS author_email, c.title, c.body, c.review_mode, c.is_ai_validated,
                  c.ai_validation_score, c.ai_validation_result, c.ai_validated_at, c.mc_choices,
                  c.created_at AS content_created_at, c.updated_at AS content_updated_at,
                  c.category_id, cat.name AS "category_name?", cat.slug AS "category_slug?",
                  cat.description AS "category_description?", cat.created_at AS "category_created_at?",
                  s.next_review_date AS "next_review_date?",
                  (SELECT count(*) FROM review_history h2 WHERE h2.content_id = c.id) AS "review_count!"
           FROM review_history h
           JOIN contents c ON c.id = h.content_id
           JOIN users u ON u.id = h.user_id
           LEFT JOIN categories cat ON cat.id = c.category_id
           LEFT JOIN review_schedules s ON s.content_id = c.id
           WHERE h.user_id = $1 AND ($2::bigint IS NULL OR h.content_id = $2) AND ($3::bigint IS NULL OR h.id = $3)
           ORDER BY h.review_date DESC, h.id DESC
           LIMIT $4 OFFSET $5"#,
        user_id,
        content_id,
        id,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(HistoryRow::from).collect())
}

/// The dashboard's numbers.
#[derive(Debug, Clone, Copy)]
pub struct Dashboard {
    pub today_reviews: i64,
    pub pending_reviews: i64,
    pub reviews_30_days: i64,
    pub remembered_30_days: i64,
}

pub async fn dashboard(
    db: &PgPool,
    user_id: i64,
    window: &TodayWindow,
    since: DateTime<Utc>,
) -> sqlx::Result<Dashboard> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM review_schedules s WHERE s.user_id = $1 AND s.is_active
                AND (NOT s.initial_review_completed OR (s.next_review_date >= $2 AND s.next_review_date < $3))) AS "today!",
             (SELECT count(*) FROM review_schedules s WHERE s.user_id = $1 AND s.is_active
                AND s.next_review_date < $4) AS "pending!",
             r.reviews AS "reviews!", r.remembered AS "remembered!"
           FROM (SELECT count(*) AS reviews, count(*) FILTER (WHERE h.result = 'remembered') AS remembered
                 FROM review_history h WHERE h.user_id = $1 AND h.review_date >= $5) r"#,
        user_id,
        window.oldest_due,
        window.today_end,
        window.today_start,
        since
    )
    .fetch_one(db)
    .await?;
    Ok(Dashboard {
        today_reviews: row.today,
        pending_reviews: row.pending,
        reviews_30_days: row.reviews,
        remembered_30_days: row.remembered,
    })
}

/// Per-category statistics.
#[derive(Debug, Clone)]
pub struct CategoryStats {
    pub name: String,
    pub slug: String,
    pub total_content: i64,
    pub today_reviews: i64,
    pub reviews_30_days: i64,
    /// Mean of remembered 100 / partial 50 / forgot 0 over the last 30 days.
    pub success_rate: Option<f64>,
}

pub async fn category_stats(
    db: &PgPool,
    user_id: i64,
    window: &TodayWindow,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<CategoryStats>> {
    sqlx::query_as!(
        CategoryStats,
        r#"SELECT cat.name, cat.slug,
                  (SELECT count(*) FROM contents c WHERE c.category_id = cat.id) AS "total_content!",
                  (SELECT count(*) FROM review_schedules s JOIN contents c ON c.id = s.content_id
                     WHERE c.category_id = cat.id AND s.is_active
                       AND s.next_review_date >= $2 AND s.next_review_date < $3) AS "today_reviews!",
                  r.reviews AS "reviews_30_days!", r.rate AS success_rate
           FROM categories cat
           CROSS JOIN LATERAL (
               SELECT count(*) AS reviews,
                      avg(CASE h.result WHEN 'remembered' THEN 100.0 WHEN 'partial' THEN 50.0 ELSE 0.0 END)::float8 AS rate
               FROM review_history h JOIN contents c ON c.id = h.content_id
               WHERE c.category_id = cat.id AND h.review_date >= $4
           ) r
           WHERE cat.user_id = $1
             AND (r.reviews > 0 OR EXISTS (SELECT 1 FROM contents c WHERE c.category_id = cat.id))
           ORDER BY cat.name"#,
        user_id,
        window.today_start,
        window.today_end,
        since
    )
    .fetch_all(db)
    .await
}

/// (local date, reviews, remembered) for each day with reviews since `since`.
pub async fn activity(
    db: &PgPool,
    user_id: i64,
    zone: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<(chrono::NaiveDate, i64, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT (h.review_date AT TIME ZONE $2)::date AS "day!", count(*) AS "reviews!",
                  count(*) FILTER (WHERE h.result = 'remembered') AS "remembered!"
           FROM review_history h WHERE h.user_id = $1 AND h.review_date >= $3
           GROUP BY 1 ORDER BY 1"#,
        user_id,
        zone,
        since
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.reviews, r.remembered)).collect())
}

/// (local due date, active cards) for cards due before `until`; overdue and never-reviewed cards
/// count on `today`.
pub async fn forecast(
    db: &PgPool,
    user_id: i64,
    zone: &str,
    today: chrono::NaiveDate,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<(chrono::NaiveDate, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT GREATEST((s.next_review_date AT TIME ZONE $2)::date, $3) AS "day!", count(*) AS "due!"
           FROM review_schedules s
           WHERE s.user_id = $1 AND s.is_active AND (s.next_review_date < $4 OR NOT s.initial_review_completed)
           GROUP BY 1 ORDER BY 1"#,
        user_id,
        zone,
        today,
        until
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.due)).collect())
}

/// The first `limit` titles of the user's cards in today's list, and how many there are.
pub async fn due_titles(
    db: &PgPool,
    user_id: i64,
    window: &TodayWindow,
    limit: i64,
) -> sqlx::Result<(Vec<String>, i64)> {
    let rows = sqlx::query!(
        r#"SELECT c.title, count(*) OVER () AS "total!"
           FROM review_schedules s JOIN contents c ON c.id = s.content_id
           WHERE s.user_id = $1 AND s.is_active
             AND (NOT s.initial_review_completed OR (s.next_review_date >= $2 AND s.next_review_date < $3))
           ORDER BY s.next_review_date, s.id
           LIMIT $4"#,
        user_id,
        window.oldest_due,
        window.today_end,
        limit
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok((rows.into_iter().map(|r| r.title).collect(), total))
}

/// An active schedule's place on the ladder.
#[derive(Debug)]
pub struct ActiveSchedule {
    pub id: i64,
    pub state: ScheduleState,
    pub created_at: DateTime<Utc>,
}

/// The user's active schedules, locked until the caller's transaction ends.
pub async fn lock_active(tx: &mut sqlx::PgConnection, user_id: i64) -> sqlx::Result<Vec<ActiveSchedule>> {
    let rows = sqlx::query!(
        "SELECT id, interval_index, next_review_date, initial_review_completed, created_at
         FROM review_schedules WHERE user_id = $1 AND is_active FOR UPDATE",
        user_id
    )
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ActiveSchedule {
            id: row.id,
            state: ScheduleState {
                interval_index: usize::try_from(row.interval_index).unwrap_or(0),
                next_review_date: row.next_review_date,
                initial_review_completed: row.initial_review_completed,
            },
            created_at: row.created_at,
        })
        .collect())
}

/// Moves schedules `ids` to the given ladder steps and due dates (one entry per id).
pub async fn move_schedules(
    tx: &mut sqlx::PgConnection,
    ids: &[i64],
    indexes: &[i32],
    dues: &[DateTime<Utc>],
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE review_schedules s SET interval_index = v.idx, next_review_date = v.due
         FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS v(id, idx, due) WHERE s.id = v.id",
        ids,
        indexes,
        dues
    )
    .execute(tx)
    .await?;
    Ok(())
}
