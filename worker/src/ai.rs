//! The AI jobs and the provider they call (domain.md → AI features).
//!
//! Handlers talk to a [`Provider`]. This version ships the **offline provider**: no network,
//! deterministic, good enough that every feature works without a key (the Anthropic and
//! OpenAI-compatible providers arrive with the AI issue and plug in behind the same trait).
//! Jobs a user waits for (`validate_content`, `grade_answer`) answer on the Redis list
//! `replies:<request_id>`, which the api pops with a deadline.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use resee_core::jobs::{GenerateExam, GenerateMcChoices, GradeAnswer, ValidateContent};
use serde::Serialize;
use serde_json::json;

use crate::context::Context;
use crate::handlers::JobResult;

/// A reply nobody popped is dropped after this long.
const REPLY_TTL_SECS: u64 = 120;
/// Grading sees the title and this many characters of the body.
const GRADING_BODY_CHARS: usize = 1500;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = anyhow::Result<T>> + Send + 'a>>;

/// Three scores 0–100, issues and a comment; valid iff every score ≥ 70.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    pub factual_accuracy: f64,
    pub logical_consistency: f64,
    pub title_relevance: f64,
    pub issues: Vec<String>,
    pub overall_comment: String,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        [self.factual_accuracy, self.logical_consistency, self.title_relevance].iter().all(|s| *s >= 70.0)
    }

    /// The stored score: the mean of the three, one decimal.
    pub fn score(&self) -> f64 {
        ((self.factual_accuracy + self.logical_consistency + self.title_relevance) / 3.0 * 10.0).round() / 10.0
    }
}

/// A written answer's grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub score: f64,
    pub feedback: String,
}

/// One exam question about one content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub content_id: i64,
    /// `multiple_choice` (with four choices) or `true_false` (answer `O` / `X`).
    pub question_type: &'static str,
    pub text: String,
    pub choices: Option<Vec<String>>,
    pub correct_answer: String,
    pub explanation: String,
}

/// A note as the AI features see it.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: String,
}

pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    fn validate<'a>(&'a self, title: &'a str, body: &'a str) -> BoxFuture<'a, Validation>;
    fn grade<'a>(&'a self, title: &'a str, body: &'a str, answer: &'a str) -> BoxFuture<'a, Grade>;
    /// Three wrong titles, of similar length to `title`, from `others` where possible.
    fn distractors<'a>(&'a self, title: &'a str, others: &'a [String]) -> BoxFuture<'a, Vec<String>>;
    /// One question per note; `all` are the exam's notes (for wrong statements).
    fn exam_question<'a>(&'a self, note: &'a Note, all: &'a [Note]) -> BoxFuture<'a, Question>;
}

/// Deterministic heuristics, no network.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase).collect()
}

fn sentences(body: &str) -> Vec<&str> {
    body.split(['.', '!', '?', '\n', '。'])
        .map(str::trim)
        .filter(|s| s.chars().count() >= 8 && !s.starts_with('#'))
        .collect()
}

impl Provider for Offline {
    fn name(&self) -> &'static str {
        "offline"
    }

    fn validate<'a>(&'a self, title: &'a str, body: &'a str) -> BoxFuture<'a, Validation> {
        Box::pin(async move {
            let (title_words, body_words) = (words(title), words(body));
            let found = title_words.iter().filter(|w| body_words.iter().any(|b| b.contains(w.as_str()))).count();
            let relevance =
                if title_words.is_empty() { 50.0 } else { 40.0 + 60.0 * found as f64 / title_words.len() as f64 };
            let logical = if sentences(body).len() >= 2 { 85.0 } else { 60.0 };
            let mut issues =
                vec!["The offline provider cannot check facts; configure an AI provider for a real review.".to_owned()];
            if relevance < 70.0 {
                issues.push("The body rarely mentions what the title names.".to_owned());
            }
            if logical < 70.0 {
                issues.push("The note is a single statement; explain how its parts connect.".to_owned());
            }
            Ok(Validation {
                factual_accuracy: 75.0,
                logical_consistency: logical,
                title_relevance: (relevance * 10.0).round() / 10.0,
                issues,
                overall_comment: "Checked offline: structure and title relevance only.".to_owned(),
            })
        })
    }

    fn grade<'a>(&'a self, title: &'a str, body: &'a str, answer: &'a str) -> BoxFuture<'a, Grade> {
        Box::pin(async move {
            let excerpt: String = body.chars().take(GRADING_BODY_CHARS).collect();
            let key = words(&format!("{title} {excerpt}"));
            let given = words(answer);
            let overlap = given.iter().filter(|w| key.contains(*w)).count();
            if given.len() < 2 || overlap == 0 {
                return Ok(Grade {
                    score: 0.0,
                    feedback: "The answer does not address the note. Write what you remember of it in a few sentences."
                        .to_owned(),
                });
            }
            let needed = (key.len() / 4).clamp(3, 20);
            let score = (100.0 * overlap as f64 / needed as f64).min(100.0).round();
            let feedback = if score >= 70.0 {
                "The answer covers the core of the note. Add an example to make it complete."
            } else {
                "The answer touches the note but misses key points. Reread it and explain the main idea in your own words."
            };
            Ok(Grade { score, feedback: feedback.to_owned() })
        })
    }

    fn distractors<'a>(&'a self, title: &'a str, others: &'a [String]) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let len = title.chars().count() as i64;
            let mut pool: Vec<&String> = others.iter().filter(|o| o.trim() != title.trim()).collect();
            pool.sort_by_key(|o| ((o.chars().count() as i64 - len).abs(), (*o).clone()));
            let mut out: Vec<String> = Vec::new();
            for o in pool {
                if out.len() == 3 {
                    break;
                }
                if !out.contains(o) {
                    out.push(o.clone());
                }
            }
            // Too few other notes: variants that are clearly not the title.
            let mut n = 1;
            while out.len() < 3 {
                let variant: String = title.chars().rev().collect::<String>() + &"·".repeat(n);
                if variant != title && !out.contains(&variant) {
                    out.push(variant);
                }
                n += 1;
            }
            Ok(out)
        })
    }

    fn exam_question<'a>(&'a self, note: &'a Note, all: &'a [Note]) -> BoxFuture<'a, Question> {
        Box::pin(async move {
            let own = sentences(&note.body);
            let other = all.iter().filter(|n| n.id != note.id).flat_map(|n| sentences(&n.body)).next();
            // Alternate true and false statements by note id, so an exam mixes both.
            let (statement, truth) = match (own.first(), other) {
                (_, Some(foreign)) if note.id % 2 == 0 => (foreign.to_owned(), false),
                (Some(s), _) => ((*s).to_owned(), true),
                (None, _) => (note.body.chars().take(200).collect(), true),
            };
            Ok(Question {
                content_id: note.id,
                question_type: "true_false",
                text: format!("「{}」: {statement}", note.title),
                choices: None,
                correct_answer: if truth { "O" } else { "X" }.to_owned(),
                explanation: if truth {
                    "This statement is taken from the note.".to_owned()
                } else {
                    "This statement comes from another note.".to_owned()
                },
            })
        })
    }
}

/// Pushes a reply for the api waiting on `request_id`.
async fn reply(ctx: &Context, request_id: &str, body: serde_json::Value) -> anyhow::Result<()> {
    let key = ctx.redis.key(format!("replies:{request_id}"));
    let mut conn = ctx.redis.conn.clone();
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

pub async fn validate_content(ctx: &Context, job: &ValidateContent) -> JobResult {
    let v = ctx.ai.validate(&job.title, &job.body).await?;
    let body = json!({ "is_valid": v.is_valid(), "score": v.score(), "result": v, "provider": ctx.ai.name() });
    reply(ctx, &job.request_id, body).await?;
    Ok(())
}

pub async fn grade_answer(ctx: &Context, job: &GradeAnswer) -> JobResult {
    let note =
        sqlx::query!("SELECT title, body FROM contents WHERE id = $1 AND author_id = $2", job.content_id, job.user_id)
            .fetch_optional(&ctx.db)
            .await?;
    let body = match note {
        Some(note) => {
            let g = ctx.ai.grade(&note.title, &note.body, &job.answer).await?;
            json!({ "score": g.score, "feedback": g.feedback, "provider": ctx.ai.name() })
        }
        None => json!({ "error": "content not found" }),
    };
    reply(ctx, &job.request_id, body).await?;
    Ok(())
}

pub async fn generate_mc_choices(ctx: &Context, job: &GenerateMcChoices) -> JobResult {
    let Some(note) = sqlx::query!(
        "SELECT author_id, title FROM contents WHERE id = $1 AND review_mode = 'multiple_choice'",
        job.content_id
    )
    .fetch_optional(&ctx.db)
    .await?
    else {
        return Ok(()); // deleted, or no longer multiple choice
    };
    let others: Vec<String> = sqlx::query_scalar!(
        "SELECT title FROM contents WHERE author_id = $1 AND id <> $2 ORDER BY id DESC LIMIT 100",
        note.author_id,
        job.content_id
    )
    .fetch_all(&ctx.db)
    .await?;
    let mut choices = ctx.ai.distractors(&note.title, &others).await?;
    choices.truncate(3);
    // Where the right answer sits depends on the content, not on chance: reruns agree.
    let at = usize::try_from(job.content_id.rem_euclid(4)).unwrap_or(0).min(choices.len());
    choices.insert(at, note.title.clone());
    let distinct: HashSet<&String> = choices.iter().collect();
    if choices.len() != 4 || distinct.len() != 4 {
        return Err(anyhow::anyhow!("the provider gave {} distinct choices, not 4", distinct.len()).into());
    }
    // Only if the title is still the one the choices were made for (an edit queues a new job).
    sqlx::query!(
        "UPDATE contents SET mc_choices = $3 WHERE id = $1 AND title = $2",
        job.content_id,
        note.title,
        json!({ "choices": choices, "correct_answer": note.title })
    )
    .execute(&ctx.db)
    .await?;
    Ok(())
}

pub async fn generate_exam(ctx: &Context, job: &GenerateExam) -> JobResult {
    let Some(exam) =
        sqlx::query!("SELECT user_id, content_ids FROM exams WHERE id = $1 AND status = 'preparing'", job.exam_id)
            .fetch_optional(&ctx.db)
            .await?
    else {
        return Ok(()); // already generated, or deleted
    };
    let notes: Vec<Note> = sqlx::query_as!(
        Note,
        "SELECT id, title, body FROM contents WHERE author_id = $1 AND id = ANY($2) ORDER BY array_position($2, id)",
        exam.user_id,
        &exam.content_ids
    )
    .fetch_all(&ctx.db)
    .await?;
    let mut questions = Vec::with_capacity(notes.len());
    for note in &notes {
        questions.push(ctx.ai.exam_question(note, &notes).await?);
    }
    let mut tx = ctx.db.begin().await?;
    sqlx::query!("DELETE FROM exam_questions WHERE exam_id = $1", job.exam_id).execute(&mut *tx).await?;
    for (order, q) in questions.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO exam_questions (exam_id, content_id, question_type, question_text, choices, correct_answer, explanation, "order")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            job.exam_id,
            q.content_id,
            q.question_type,
            q.text,
            q.choices.as_ref().map(|c| json!(c)),
            q.correct_answer,
            q.explanation,
            i32::try_from(order).unwrap_or(i32::MAX)
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE exams SET status = 'pending', total_questions = $2 WHERE id = $1 AND status = 'preparing'",
        job.exam_id,
        i32::try_from(questions.len()).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn offline_grading_rewards_relevant_answers_and_zeroes_junk() {
        let body = "Ohm's law: the current through a conductor is proportional to the voltage across it. \
                    Resistance is the constant of proportionality.";
        let good = Offline
            .grade("Ohm's law", body, "The current is proportional to the voltage; resistance is the constant.")
            .await
            .expect("grades");
        let junk = Offline.grade("Ohm's law", body, "asdf qwer").await.expect("grades");
        assert!(good.score >= 70.0, "{good:?}");
        assert_eq!(junk.score, 0.0);
    }

    #[tokio::test]
    async fn distractors_are_three_distinct_wrong_titles() {
        let others = vec!["Ohm".to_owned(), "Kirchhoff's laws".to_owned(), "Ohm's law".to_owned()];
        let d = Offline.distractors("Ohm's law", &others).await.expect("distractors");
        assert_eq!(d.len(), 3);
        assert!(!d.contains(&"Ohm's law".to_owned()));
        assert_eq!(d.iter().collect::<HashSet<_>>().len(), 3);
    }

    #[tokio::test]
    async fn validation_is_valid_only_with_every_score_at_70() {
        let v = Offline
            .validate("Photosynthesis", "Photosynthesis turns light into chemical energy. Plants store it as sugar.")
            .await
            .expect("validates");
        assert!(v.is_valid(), "{v:?}");
        assert_eq!(v.score(), ((75.0 + 85.0 + 100.0) / 3.0 * 10.0_f64).round() / 10.0);
        let off = Offline.validate("Photosynthesis", "Cats sleep a lot").await.expect("validates");
        assert!(!off.is_valid());
    }
}
