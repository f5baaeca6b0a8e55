//! The AI jobs. The worker runs them; they live in `core` so that the api's tests (and anything
//! else) can run the same code.
//!
//! Jobs a user waits for (`validate_content`, `grade_answer`) answer on the Redis list
//! `replies:<request_id>`, which the api pops with a deadline ([`wait_reply`]). A provider
//! failure is not a job failure: the reply then says so (grading) or carries the fallback's
//! answer (validation), so the user is never kept waiting for a retry.

use std::time::Duration;

use anyhow::Context as _;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde_json::{Value, json};
use sqlx::PgPool;

use super::{Ai, Note, balance};
use crate::jobs::{self, GenerateExam, GenerateMcChoices, GradeAnswer, Job, ValidateContent};
use crate::redis::Redis;

/// A reply nobody popped is dropped after this long.
const REPLY_TTL_SECS: u64 = 120;
/// Automatic exams rate at most this many of the user's validated notes.
const PICK_CANDIDATES: i64 = 40;
/// Wrong titles come from this many of the user's other notes.
const DISTRACTOR_POOL: i64 = 100;

fn reply_key(redis: &Redis, request_id: &str) -> String {
    redis.key(format!("replies:{request_id}"))
}

/// Pushes the reply for the request `request_id`.
pub async fn reply(redis: &Redis, request_id: &str, body: &Value) -> anyhow::Result<()> {
    let key = reply_key(redis, request_id);
    let mut conn = redis.conn.clone();
    redis::pipe()
        .atomic()
        .cmd("LPUSH")
        .arg(&key)
        .arg(body.to_string())
        .ignore()
        .cmd("EXPIRE")
        .arg(&key)
        .arg(REPLY_TTL_SECS)
        .ignore()
        .query_async::<()>(&mut conn)
        .await?;
    Ok(())
}

/// Enqueues `job` and waits up to `deadline` for its reply on `request_id`; `None` past it.
pub async fn request_reply<J: Job>(
    redis: &Redis,
    job: &J,
    request_id: &str,
    deadline: Duration,
) -> anyhow::Result<Option<Value>> {
    // During a Redis outage no worker could answer: the caller's fallback applies at once.
    anyhow::ensure!(redis.is_up(), "Redis is unavailable");
    // A connection of its own: BLPOP would hold up every command behind it on the shared one.
    let mut conn = redis.dedicated(deadline + Duration::from_secs(5)).await?;
    jobs::enqueue(redis, job).await?;
    let popped: Option<(String, String)> = redis::cmd("BLPOP")
        .arg(reply_key(redis, request_id))
        .arg(deadline.as_secs_f64().max(0.01))
        .query_async(&mut conn)
        .await?;
    popped.map(|(_, body)| serde_json::from_str(&body).context("the reply is not JSON")).transpose()
}

/// The Unix-ms moment after which nobody waits for a reply.
pub fn reply_by(deadline: Duration) -> i64 {
    chrono::Utc::now().timestamp_millis() + i64::try_from(deadline.as_millis()).unwrap_or(i64::MAX / 2)
}

fn expired(reply_by_ms: Option<i64>) -> bool {
    reply_by_ms.is_some_and(|by| chrono::Utc::now().timestamp_millis() > by)
}

/// Replies `{"validation", "is_valid", "score", "provider"}`.
pub async fn validate_content(redis: &Redis, ai: &Ai, job: &ValidateContent) -> anyhow::Result<()> {
    if expired(job.reply_by_ms) {
        tracing::info!(request = %job.request_id, "validation skipped: its caller stopped waiting");
        return Ok(());
    }
    let answer = ai.validate(&job.title, &job.body).await;
    let v = &answer.value;
    let body = json!({ "validation": v, "is_valid": v.is_valid(), "score": v.score(), "provider": answer.provider });
    reply(redis, &job.request_id, &body).await
}

/// Replies `{"score", "feedback", "provider"}`, or `{"error"}` when the provider failed.
pub async fn grade_answer(db: &PgPool, redis: &Redis, ai: &Ai, job: &GradeAnswer) -> anyhow::Result<()> {
    if expired(job.reply_by_ms) {
        tracing::info!(request = %job.request_id, "grading skipped: its caller stopped waiting");
        return Ok(());
    }
    let note =
        sqlx::query!("SELECT title, body FROM contents WHERE id = $1 AND author_id = $2", job.content_id, job.user_id)
            .fetch_optional(db)
            .await?;
    let body = match note {
        None => json!({ "error": "the content no longer exists" }),
        Some(note) => match ai.grade(&note.title, &note.body, &job.answer).await {
            Ok(g) => json!({ "score": g.value.score, "feedback": g.value.feedback, "provider": g.provider }),
            Err(e) => json!({ "error": e.to_string(), "provider": ai.name() }),
        },
    };
    reply(redis, &job.request_id, &body).await
}

/// Fills `mc_choices` of a multiple-choice content: its title and three distractors. The
/// author's cached review views carry the choices, so they are invalidated.
pub async fn generate_mc_choices(db: &PgPool, redis: &Redis, ai: &Ai, job: &GenerateMcChoices) -> anyhow::Result<()> {
    let Some(row) = sqlx::query!(
        "SELECT author_id, title, body FROM contents WHERE id = $1 AND review_mode = 'multiple_choice'",
        job.content_id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(()); // deleted, or no longer multiple choice
    };
    let others: Vec<String> = sqlx::query_scalar!(
        "SELECT title FROM contents WHERE author_id = $1 AND id <> $2 ORDER BY id DESC LIMIT $3",
        row.author_id,
        job.content_id,
        DISTRACTOR_POOL
    )
    .fetch_all(db)
    .await?;
    let note = Note { id: job.content_id, title: row.title, body: row.body };
    let answer = ai.distractors(&note, &others).await;
    let choices = super::place_answer(job.content_id, &note.title, answer.value);
    // Only if the title is still the one the choices were made for (an edit queues a new job).
    let saved = sqlx::query!(
        "UPDATE contents SET mc_choices = $3 WHERE id = $1 AND title = $2",
        job.content_id,
        note.title,
        json!({ "choices": choices, "correct_answer": note.title, "provider": answer.provider })
    )
    .execute(db)
    .await?;
    if saved.rows_affected() > 0 {
        crate::learning_cache::invalidate(redis, row.author_id).await;
    }
    Ok(())
}

/// Picks the contents of an automatic exam (when it has none yet), writes one question per
/// content and moves the exam from `preparing` to `pending`.
pub async fn generate_exam(db: &PgPool, ai: &Ai, job: &GenerateExam) -> anyhow::Result<()> {
    let Some(exam) =
        sqlx::query!("SELECT user_id, content_ids FROM exams WHERE id = $1 AND status = 'preparing'", job.exam_id)
            .fetch_optional(db)
            .await?
    else {
        return Ok(()); // already generated, or deleted
    };
    let content_ids = if exam.content_ids.is_empty() {
        pick_contents(db, ai, exam.user_id, job.exam_id).await?
    } else {
        exam.content_ids
    };
    let notes: Vec<Note> = sqlx::query_as!(
        Note,
        "SELECT id, title, body FROM contents WHERE author_id = $1 AND id = ANY($2) ORDER BY array_position($2, id)",
        exam.user_id,
        &content_ids
    )
    .fetch_all(db)
    .await?;
    let mut questions = Vec::with_capacity(notes.len());
    for note in &notes {
        questions.push(ai.exam_question(note, &notes).await.value);
    }
    let mut tx = db.begin().await?;
    sqlx::query!("DELETE FROM exam_questions WHERE exam_id = $1", job.exam_id).execute(&mut *tx).await?;
    for (order, q) in questions.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO exam_questions (exam_id, content_id, question_type, question_text, choices, correct_answer, explanation, "order")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            job.exam_id,
            q.content_id,
            q.question_type.code(),
            q.text,
            q.choices.as_ref().map(|c| json!(c)),
            q.correct_answer,
            q.explanation,
            i32::try_from(order).unwrap_or(i32::MAX)
        )
        .execute(&mut *tx)
        .await?;
    }
    let picked: Vec<i64> = notes.iter().map(|n| n.id).collect();
    sqlx::query!(
        "UPDATE exams SET status = 'pending', content_ids = $2, total_questions = $3 WHERE id = $1 AND status = 'preparing'",
        job.exam_id,
        &picked,
        i32::try_from(questions.len()).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 7–10 of the user's validated contents, balanced by difficulty (domain.md → AI features).
async fn pick_contents(db: &PgPool, ai: &Ai, user_id: i64, exam_id: i64) -> anyhow::Result<Vec<i64>> {
    let mut candidates: Vec<Note> = sqlx::query_as!(
        Note,
        "SELECT id, title, body FROM contents WHERE author_id = $1 AND is_ai_validated
         ORDER BY ai_validated_at DESC NULLS LAST, id DESC LIMIT $2",
        user_id,
        PICK_CANDIDATES
    )
    .fetch_all(db)
    .await?;
    // Seeded by the exam: a rerun of the job picks the same notes, another week other ones.
    candidates.shuffle(&mut rand::rngs::StdRng::seed_from_u64(exam_id.unsigned_abs()));
    let ratings = ai.difficulty(&candidates).await.value;
    let rated: Vec<(i64, super::Difficulty)> = candidates.iter().map(|n| n.id).zip(ratings).collect();
    Ok(balance(&rated))
}
