//! Contents (notes) with their category, schedule and review count, in one query per page.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, QueryBuilder};

use crate::ai::Note;
use crate::review::ReviewMode;

/// A content as the API shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContentRow {
    pub id: i64,
    pub author_id: i64,
    pub author_email: String,
    pub title: String,
    pub body: String,
    pub review_mode: String,
    pub is_ai_validated: bool,
    pub ai_validation_score: Option<f64>,
    pub ai_validation_result: Option<Value>,
    pub ai_validated_at: Option<DateTime<Utc>>,
    pub mc_choices: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    pub category_slug: Option<String>,
    pub category_description: Option<String>,
    pub category_created_at: Option<DateTime<Utc>>,
    pub next_review_date: Option<DateTime<Utc>>,
    /// Remembered reviews of this content.
    pub review_count: i64,
}

/// Filters and order of the contents list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub category_id: Option<i64>,
    pub category_slug: Option<String>,
    /// Already wrapped as an ILIKE pattern (`%term%`, with `%` and `_` escaped).
    pub search_pattern: Option<String>,
    pub is_ai_validated: Option<bool>,
    /// `created_at`, `updated_at` or `title`, optionally prefixed with `-`.
    pub ordering: String,
}

// The list and its count are built per request (with bound values): the filters and the order
// then reach PostgreSQL as plain predicates it can plan for, instead of `$n IS NULL OR ...`
// disjunctions whose cached generic plan read every content of the user.

/// The columns of a [`ContentRow`], for queries over `contents c` joined to its category and
/// schedule.
const CONTENT_COLUMNS: &str = "c.id, c.author_id, u.email AS author_email, c.title, c.body, c.review_mode,
    c.is_ai_validated, c.ai_validation_score, c.ai_validation_result, c.ai_validated_at, c.mc_choices,
    c.created_at, c.updated_at, c.category_id, cat.name AS category_name, cat.slug AS category_slug,
    cat.description AS category_description, cat.created_at AS category_created_at,
    s.next_review_date AS next_review_date,
    (SELECT count(*) FROM review_history h WHERE h.content_id = c.id AND h.result = 'remembered') AS review_count";

/// The joins behind [`CONTENT_COLUMNS`].
const CONTENT_FROM: &str = "FROM contents c
    JOIN users u ON u.id = c.author_id
    LEFT JOIN categories cat ON cat.id = c.category_id
    LEFT JOIN review_schedules s ON s.content_id = c.id";

fn push_filters(query: &mut QueryBuilder<Postgres>, q: &ListQuery) {
    if let Some(id) = q.category_id {
        query.push(" AND c.category_id = ").push_bind(id);
    }
    if let Some(slug) = &q.category_slug {
        query.push(" AND cat.slug = ").push_bind(slug.clone());
    }
    if let Some(pattern) = &q.search_pattern {
        query.push(" AND (c.title ILIKE ").push_bind(pattern.clone());
        query.push(" OR c.body ILIKE ").push_bind(pattern.clone()).push(")");
    }
    if let Some(validated) = q.is_ai_validated {
        query.push(" AND c.is_ai_validated = ").push_bind(validated);
    }
}

impl ListQuery {
    pub fn is_filtered(&self) -> bool {
        self.category_id.is_some()
            || self.category_slug.is_some()
            || self.search_pattern.is_some()
            || self.is_ai_validated.is_some()
    }

    /// The ORDER BY clause for `ordering` (validated by the caller; unknown values sort newest first).
    fn order_by(&self) -> &'static str {
        match self.ordering.as_str() {
            "created_at" => "c.created_at, c.id",
            "updated_at" => "c.updated_at, c.id",
            "-updated_at" => "c.updated_at DESC, c.id DESC",
            "title" => "c.title, c.id",
            "-title" => "c.title DESC, c.id DESC",
            _ => "c.created_at DESC, c.id DESC",
        }
    }
}

/// How many of the user's contents match the filters. Unfiltered lists take the user's
/// `content_count` instead (read with the user on every request).
pub async fn count_matching(db: &PgPool, user_id: i64, q: &ListQuery) -> sqlx::Result<i64> {
    let mut query = QueryBuilder::new(
        "SELECT count(*) FROM contents c LEFT JOIN categories cat ON cat.id = c.category_id WHERE c.author_id = ",
    );
    query.push_bind(user_id);
    push_filters(&mut query, q);
    query.build_query_scalar::<i64>().fetch_one(db).await
}

pub async fn list(db: &PgPool, user_id: i64, q: &ListQuery, limit: i64, offset: i64) -> sqlx::Result<Vec<ContentRow>> {
    let mut query = QueryBuilder::new(format!("SELECT {CONTENT_COLUMNS} {CONTENT_FROM} WHERE c.author_id = "));
    query.push_bind(user_id);
    push_filters(&mut query, q);
    query.push(" ORDER BY ").push(q.order_by());
    // LIMIT and OFFSET written into the statement (validated integers, not user text): with
    // them as parameters PostgreSQL cannot cost a generic plan and plans every execution anew,
    // which took most of its time on this query. One cached statement per page and filter set.
    query.push(format_args!(" LIMIT {limit} OFFSET {offset}"));
    query.build_query_as::<ContentRow>().fetch_all(db).await
}

/// One of the user's contents (another user's is `None`).
pub async fn get(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<ContentRow>> {
    sqlx::query_as!(
        ContentRow,
        r#"SELECT c.id, c.author_id, u.email AS author_email, c.title, c.body, c.review_mode, c.is_ai_validated,
                  c.ai_validation_score, c.ai_validation_result, c.ai_validated_at, c.mc_choices, c.created_at, c.updated_at,
                  c.category_id, cat.name AS "category_name?", cat.slug AS "category_slug?",
                  cat.description AS "category_description?", cat.created_at AS "category_created_at?",
                  s.next_review_date AS "next_review_date?",
                  (SELECT count(*) FROM review_history h WHERE h.content_id = c.id AND h.result = 'remembered') AS "review_count!"
           FROM contents c
           JOIN users u ON u.id = c.author_id
           LEFT JOIN categories cat ON cat.id = c.category_id
           LEFT JOIN review_schedules s ON s.content_id = c.id
           WHERE c.id = $1 AND c.author_id = $2"#,
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// What a new content is made of (already validated).
#[derive(Debug)]
pub struct NewContent<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub category_id: Option<i64>,
    pub review_mode: ReviewMode,
}

/// Outcome of [`create`].
#[derive(Debug)]
pub enum Created {
    Id(i64),
    /// The user already has `limit` contents.
    LimitReached,
}

/// Creates a content and its schedule (due now) in the caller's transaction. The user's row is
/// locked first so that two parallel creations cannot both slip under the plan limit.
pub async fn create(
    tx: &mut PgConnection,
    user_id: i64,
    new: &NewContent<'_>,
    limit: Option<i64>,
) -> sqlx::Result<Created> {
    super::users::lock(tx, user_id).await?;
    if let Some(limit) = limit {
        let current = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM contents WHERE author_id = $1"#, user_id)
            .fetch_one(&mut *tx)
            .await?;
        if current >= limit {
            return Ok(Created::LimitReached);
        }
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO contents (author_id, title, body, category_id, review_mode) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        user_id,
        new.title,
        new.body,
        new.category_id,
        new.review_mode.code()
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO review_schedules (user_id, content_id, next_review_date) VALUES ($1, $2, now())",
        user_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    Ok(Created::Id(id))
}

/// The editable fields of a content as they stand.
#[derive(Debug)]
pub struct Editable {
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub review_mode: ReviewMode,
}

pub async fn editable(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<Editable>> {
    sqlx::query_as!(
        Editable,
        r#"SELECT title, body, category_id, review_mode AS "review_mode: ReviewMode" FROM contents WHERE id = $1 AND author_id = $2"#,
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Stores the new fields. `text_changed` clears the AI validation; `clear_choices` drops the
/// multiple-choice options so they are generated again.
pub async fn update(
    db: impl PgExecutor<'_>,
    user_id: i64,
    id: i64,
    fields: &Editable,
    text_changed: bool,
    clear_choices: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE contents SET title = $3, body = $4, category_id = $5, review_mode = $6,
             is_ai_validated = is_ai_validated AND NOT $7,
             ai_validation_score = CASE WHEN $7 THEN NULL ELSE ai_validation_score END,
             ai_validation_result = CASE WHEN $7 THEN NULL ELSE ai_validation_result END,
             ai_validated_at = CASE WHEN $7 THEN NULL ELSE ai_validated_at END,
             mc_choices = CASE WHEN $8 THEN NULL ELSE mc_choices END
         WHERE id = $1 AND author_id = $2",
        id,
        user_id,
        fields.title,
        fields.body,
        fields.category_id,
        fields.review_mode.code(),
        text_changed,
        clear_choices
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a content with its schedule and history.
pub async fn delete(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM contents WHERE id = $1 AND author_id = $2", id, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The outcome of an AI validation, stored only if the title and body are still the validated
/// ones; returns the validation time, or `None` when the content changed (or is gone).
#[allow(clippy::too_many_arguments)]
pub async fn store_validation(
    db: &PgPool,
    user_id: i64,
    id: i64,
    title: &str,
    body: &str,
    is_valid: bool,
    score: f64,
    result: &Value,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!(
        "UPDATE contents SET is_ai_validated = $5, ai_validation_score = $6, ai_validation_result = $7,
             ai_validated_at = now()
         WHERE id = $1 AND author_id = $2 AND title = $3 AND body = $4
         RETURNING ai_validated_at AS \"validated_at!\"",
        id,
        user_id,
        title,
        body,
        is_valid,
        score,
        result
    )
    .fetch_optional(db)
    .await
}

/// The user's contents with these ids, in no particular order (others' ids are left out).
pub async fn by_ids(db: &PgPool, user_id: i64, ids: &[i64]) -> sqlx::Result<Vec<ContentRow>> {
    let mut query = QueryBuilder::new(format!("SELECT {CONTENT_COLUMNS} {CONTENT_FROM} WHERE c.author_id = "));
    query.push_bind(user_id).push(" AND c.id = ANY(").push_bind(ids.to_vec()).push(")");
    query.build_query_as::<ContentRow>().fetch_all(db).await
}

/// The title and body of the user's content `id`.
pub async fn note(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!("SELECT title, body FROM contents WHERE id = $1 AND author_id = $2", id, user_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| (r.title, r.body)))
}

/// A multiple-choice content and its author (`None`: deleted, or no longer multiple choice).
pub async fn multiple_choice_note(db: &PgPool, id: i64) -> sqlx::Result<Option<(i64, Note)>> {
    let row = sqlx::query!(
        "SELECT author_id, title, body FROM contents WHERE id = $1 AND review_mode = 'multiple_choice'",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.author_id, Note { id, title: r.title, body: r.body })))
}

/// Titles of the author's newest `limit` contents other than `except`.
pub async fn other_titles(db: &PgPool, author_id: i64, except: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "SELECT title FROM contents WHERE author_id = $1 AND id <> $2 ORDER BY id DESC LIMIT $3",
        author_id,
        except,
        limit
    )
    .fetch_all(db)
    .await
}

/// Saves the multiple-choice options of content `id`, if its title is still `title` (an edit
/// queues new ones); whether they were saved.
pub async fn save_mc_choices(db: &PgPool, id: i64, title: &str, choices: &Value) -> sqlx::Result<bool> {
    let saved = sqlx::query!("UPDATE contents SET mc_choices = $3 WHERE id = $1 AND title = $2", id, title, choices)
        .execute(db)
        .await?;
    Ok(saved.rows_affected() > 0)
}

/// The user's `limit` most recently validated notes.
pub async fn recently_validated(db: &PgPool, user_id: i64, limit: i64) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as!(
        Note,
        "SELECT id, title, body FROM contents WHERE author_id = $1 AND is_ai_validated
         ORDER BY ai_validated_at DESC NULLS LAST, id DESC LIMIT $2",
        user_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// The user's notes `ids`, in that order (missing ones left out).
pub async fn notes_in_order(db: &PgPool, user_id: i64, ids: &[i64]) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as!(
        Note,
        "SELECT id, title, body FROM contents WHERE author_id = $1 AND id = ANY($2) ORDER BY array_position($2, id)",
        user_id,
        ids
    )
    .fetch_all(db)
    .await
}
