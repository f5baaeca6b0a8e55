//! The AI jobs.
//!
//! Jobs a user waits for (`validate_content`, `grade_answer`) answer on their reply list
//! (`resee_core::jobs::request_reply`, which the api awaits with a deadline). A provider failure
//! is not a job failure: the reply then says so (grading) or carries the fallback's answer
//! (validation), so the user is never kept waiting for a retry.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use resee_core::ai::{Ai, Difficulty, Note, balance, place_answer};
use resee_core::jobs::{
    self, GenerateExam, GenerateMcChoices, GradeAnswer, GradeReply, ValidateContent, ValidationReply,
};
use resee_core::redis::Redis;
use resee_core::store::{contents, exams};
use serde_json::json;
use sqlx::PgPool;

/// Automatic exams rate at most this many of the user's validated notes.
const PICK_CANDIDATES: i64 = 40;
/// Wrong titles come from this many of the user's other notes.
const DISTRACTOR_POOL: i64 = 100;

fn expired(reply_by_ms: Option<i64>) -> bool {
    reply_by_ms.is_some_and(|by| chrono::Utc::now().timestamp_millis() > by)
}

/// Replies with the validation (the offline one when the provider failed).
pub async fn validate_content(redis: &Redis, ai: &Ai, job: &ValidateContent) -> anyhow::Result<()> {
    if expired(job.reply_by_ms) {
        tracing::info!(request = %job.request_id, "validation skipped: its caller stopped waiting");
        return Ok(());
    }
    let answer = ai.validate(&job.title, &job.body).await;
    jobs::reply::<ValidateContent>(redis, &job.request_id, &ValidationReply::new(answer.value, answer.provider)).await
}

/// Replies with the grade, or the reason there is none.
pub async fn grade_answer(db: &PgPool, redis: &Redis, ai: &Ai, job: &GradeAnswer) -> anyhow::Result<()> {
    if expired(job.reply_by_ms) {
        tracing::info!(request = %job.request_id, "grading skipped: its caller stopped waiting");
        return Ok(());
    }
    let body = match contents::note(db, job.user_id, job.content_id).await? {
        None => GradeReply::Failed { error: "the content no longer exists".to_owned(), provider: None },
        Some((title, body)) => match ai.grade(&title, &body, &job.answer).await {
            Ok(g) => {
                GradeReply::Graded { score: g.value.score, feedback: g.value.feedback, provider: g.provider.to_owned() }
            }
            Err(e) => GradeReply::Failed { error: e.to_string(), provider: Some(ai.name().to_owned()) },
        },
    };
    jobs::reply::<GradeAnswer>(redis, &job.request_id, &body).await
}

/// Fills `mc_choices` of a multiple-choice content: its title and three distractors. The
/// author's cached review views carry the choices, so they are invalidated.
pub async fn generate_mc_choices(db: &PgPool, redis: &Redis, ai: &Ai, job: &GenerateMcChoices) -> anyhow::Result<()> {
    let Some((author_id, note)) = contents::multiple_choice_note(db, job.content_id).await? else {
        return Ok(()); // deleted, or no longer multiple choice
    };
    let others = contents::other_titles(db, author_id, job.content_id, DISTRACTOR_POOL).await?;
    let answer = ai.distractors(&note, &others).await;
    let choices = place_answer(job.content_id, &note.title, answer.value);
    let stored = json!({ "choices": choices, "correct_answer": note.title, "provider": answer.provider });
    // Only if the title is still the one the choices were made for (an edit queues a new job).
    if contents::save_mc_choices(db, job.content_id, &note.title, &stored).await? {
        resee_core::learning_cache::invalidate(redis, author_id).await;
    }
    Ok(())
}

/// Picks the contents of an automatic exam (when it has none yet), writes one question per
/// content and moves the exam from `preparing` to `pending`.
pub async fn generate_exam(db: &PgPool, ai: &Ai, job: &GenerateExam) -> anyhow::Result<()> {
    let Some((user_id, chosen)) = exams::preparing(db, job.exam_id).await? else {
        return Ok(()); // already generated, or deleted
    };
    let content_ids = if chosen.is_empty() { pick_contents(db, ai, user_id, job.exam_id).await? } else { chosen };
    let notes = contents::notes_in_order(db, user_id, &content_ids).await?;
    let mut questions = Vec::with_capacity(notes.len());
    for note in &notes {
        questions.push(ai.exam_question(note, &notes).await.value);
    }
    let picked: Vec<i64> = notes.iter().map(|n| n.id).collect();
    exams::prepared(db, job.exam_id, &questions, &picked).await?;
    Ok(())
}

/// 7–10 of the user's validated contents, balanced by difficulty (docs/RULES.md → Exams).
async fn pick_contents(db: &PgPool, ai: &Ai, user_id: i64, exam_id: i64) -> anyhow::Result<Vec<i64>> {
    let mut candidates: Vec<Note> = contents::recently_validated(db, user_id, PICK_CANDIDATES).await?;
    // Seeded by the exam: a rerun of the job picks the same notes, another week other ones.
    candidates.shuffle(&mut rand::rngs::StdRng::seed_from_u64(exam_id.unsigned_abs()));
    let ratings = ai.difficulty(&candidates).await.value;
    let rated: Vec<(i64, Difficulty)> = candidates.iter().map(|n| n.id).zip(ratings).collect();
    Ok(balance(&rated))
}
