//! Exams, their questions and the answers given.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::{AssertSqlSafe, PgConnection, PgExecutor, PgPool};

use crate::ai::Question;
use crate::exam::ExamStatus;

/// An exam as stored (`time_spent` in microseconds).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExamRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub status: ExamStatus,
    pub total_questions: i32,
    pub correct_answers: i32,
    pub score_percentage: f64,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub time_spent_us: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// Written into the statements below: a constant, never user input.
const EXAM_COLUMNS: &str = "id, title, description, start_date, end_date, status, total_questions, correct_answers,
    score_percentage, started_at, completed_at,
    (extract(epoch FROM time_spent) * 1000000)::bigint AS time_spent_us, created_at, updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub content_id: Option<i64>,
    pub question_type: String,
    pub question_text: String,
    pub choices: Option<Value>,
    pub correct_answer: String,
    pub explanation: String,
    pub order: i32,
    pub points: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: i64,
    pub user_answer: String,
    pub is_correct: bool,
    pub points_earned: i32,
    pub ai_score: Option<f64>,
    pub ai_feedback: Option<String>,
}

/// A new exam; `content_ids` empty = picked by the generation job.
#[derive(Debug)]
pub struct NewExam<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content_ids: &'a [i64],
    pub week_start: NaiveDate,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
}

/// Inserts the exam in `preparing`; `None` when the user already has one that week.
pub async fn create(db: impl PgExecutor<'_>, user_id: i64, exam: &NewExam<'_>) -> sqlx::Result<Option<ExamRow>> {
    sqlx::query_as::<_, ExamRow>(AssertSqlSafe(format!(
        "INSERT INTO exams (user_id, title, description, content_ids, week_start, start_date, end_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id, week_start) DO NOTHING
         RETURNING {EXAM_COLUMNS}"
    )))
    .bind(user_id)
    .bind(exam.title)
    .bind(exam.description)
    .bind(exam.content_ids)
    .bind(exam.week_start)
    .bind(exam.start_date)
    .bind(exam.end_date)
    .fetch_optional(db)
    .await
}

pub async fn count(db: &PgPool, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!("SELECT count(*) AS \"n!\" FROM exams WHERE user_id = $1", user_id).fetch_one(db).await
}

pub async fn list(db: &PgPool, user_id: i64, limit: i64, offset: i64) -> sqlx::Result<Vec<ExamRow>> {
    sqlx::query_as::<_, ExamRow>(AssertSqlSafe(format!(
        "SELECT {EXAM_COLUMNS} FROM exams WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn get(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<Option<ExamRow>> {
    sqlx::query_as::<_, ExamRow>(AssertSqlSafe(format!(
        "SELECT {EXAM_COLUMNS} FROM exams WHERE id = $1 AND user_id = $2"
    )))
    .bind(id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// The exam's status, its row locked until the transaction ends (`FOR UPDATE`).
pub async fn lock_status(tx: &mut PgConnection, user_id: i64, id: i64) -> sqlx::Result<Option<ExamStatus>> {
    sqlx::query_scalar!(
        r#"SELECT status AS "status: ExamStatus" FROM exams WHERE id = $1 AND user_id = $2 FOR UPDATE"#,
        id,
        user_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn delete(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM exams WHERE id = $1 AND user_id = $2", id, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Changes an exam's title and/or description; false when it is not the user's.
pub async fn rename(
    db: &PgPool,
    user_id: i64,
    id: i64,
    title: Option<&str>,
    description: Option<&str>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE exams SET title = COALESCE($3, title), description = COALESCE($4, description)
         WHERE id = $1 AND user_id = $2",
        id,
        user_id,
        title,
        description
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `pending` → `in_progress` (a no-op in any other state).
pub async fn start(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE exams SET status = 'in_progress', started_at = now()
         WHERE id = $1 AND user_id = $2 AND status = 'pending'",
        id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn questions(db: &PgPool, exam_id: i64) -> sqlx::Result<Vec<QuestionRow>> {
    sqlx::query_as!(
        QuestionRow,
        r#"SELECT id, content_id, question_type, question_text, choices, correct_answer, explanation, "order", points, created_at
           FROM exam_questions WHERE exam_id = $1 ORDER BY "order""#,
        exam_id
    )
    .fetch_all(db)
    .await
}

/// The exam of one of the user's questions.
pub async fn exam_of_question(db: &PgPool, user_id: i64, question_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "SELECT e.id FROM exam_questions q JOIN exams e ON e.id = q.exam_id WHERE q.id = $1 AND e.user_id = $2",
        question_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// A question of this exam: `(correct_answer, points)`.
pub async fn question_key(
    tx: &mut PgConnection,
    exam_id: i64,
    question_id: i64,
) -> sqlx::Result<Option<(String, i32)>> {
    let row = sqlx::query!(
        "SELECT correct_answer, points FROM exam_questions WHERE id = $1 AND exam_id = $2",
        question_id,
        exam_id
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.correct_answer, r.points)))
}

/// Records (or replaces) the user's answer to a question; returns the answer's id.
pub async fn save_answer(
    tx: &mut PgConnection,
    user_id: i64,
    question_id: i64,
    answer: &str,
    is_correct: bool,
    points: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "INSERT INTO exam_answers (question_id, user_id, user_answer, is_correct, points_earned)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (question_id, user_id)
         DO UPDATE SET user_answer = EXCLUDED.user_answer, is_correct = EXCLUDED.is_correct,
                       points_earned = EXCLUDED.points_earned
         RETURNING id",
        question_id,
        user_id,
        answer,
        is_correct,
        points
    )
    .fetch_one(tx)
    .await
}

pub async fn answers(db: &PgPool, user_id: i64, exam_id: i64) -> sqlx::Result<Vec<AnswerRow>> {
    sqlx::query_as!(
        AnswerRow,
        "SELECT a.question_id, a.user_answer, a.is_correct, a.points_earned, a.ai_score, a.ai_feedback
         FROM exam_answers a JOIN exam_questions q ON q.id = a.question_id
         WHERE q.exam_id = $1 AND a.user_id = $2",
        exam_id,
        user_id
    )
    .fetch_all(db)
    .await
}

/// Scores an exam in progress and marks it completed.
pub async fn complete(tx: &mut PgConnection, user_id: i64, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        r#"WITH scored AS (
               SELECT count(q.id)::int AS total,
                      count(a.id) FILTER (WHERE a.is_correct)::int AS correct,
                      coalesce(sum(q.points), 0)::float8 AS possible,
                      coalesce(sum(a.points_earned), 0)::float8 AS earned
               FROM exam_questions q
               LEFT JOIN exam_answers a ON a.question_id = q.id AND a.user_id = $2
               WHERE q.exam_id = $1
           )
           UPDATE exams SET status = 'completed', completed_at = now(),
                  total_questions = scored.total, correct_answers = scored.correct,
                  score_percentage = CASE WHEN scored.possible > 0
                                          THEN round((100 * scored.earned / scored.possible)::numeric, 1)::float8
                                          ELSE 0 END,
                  time_spent = now() - coalesce(started_at, now())
           FROM scored
           WHERE exams.id = $1 AND exams.user_id = $2 AND exams.status = 'in_progress'"#,
        id,
        user_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// How many of the user's contents are AI-validated.
pub async fn validated_contents(db: &PgPool, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!("SELECT count(*) AS \"n!\" FROM contents WHERE author_id = $1 AND is_ai_validated", user_id)
        .fetch_one(db)
        .await
}

/// Of `ids`, those the user owns, with whether each is AI-validated.
pub async fn owned_contents(db: &PgPool, user_id: i64, ids: &[i64]) -> sqlx::Result<Vec<(i64, bool)>> {
    let rows =
        sqlx::query!("SELECT id, is_ai_validated FROM contents WHERE author_id = $1 AND id = ANY($2)", user_id, ids)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.is_ai_validated)).collect())
}

/// The owner and chosen contents of exam `id` while it is being prepared (`None`: prepared
/// already, or deleted).
pub async fn preparing(db: &PgPool, id: i64) -> sqlx::Result<Option<(i64, Vec<i64>)>> {
    let row = sqlx::query!("SELECT user_id, content_ids FROM exams WHERE id = $1 AND status = 'preparing'", id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| (r.user_id, r.content_ids)))
}

/// Replaces the questions of exam `id` (in order), records the contents it covers and moves it
/// from `preparing` to `pending`, in one transaction.
pub async fn prepared(db: &PgPool, id: i64, questions: &[Question], picked: &[i64]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!("DELETE FROM exam_questions WHERE exam_id = $1", id).execute(&mut *tx).await?;
    for (order, q) in questions.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO exam_questions (exam_id, content_id, question_type, question_text, choices, correct_answer, explanation, "order")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            id,
            q.content_id,
            q.question_type.code(),
            q.text,
            q.choices.as_ref().map(|c| serde_json::json!(c)),
            q.correct_answer,
            q.explanation,
            i32::try_from(order).unwrap_or(i32::MAX)
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE exams SET status = 'pending', content_ids = $2, total_questions = $3 WHERE id = $1 AND status = 'preparing'",
        id,
        picked,
        i32::try_from(questions.len()).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
