//! The api's side of the AI features: every call goes through the worker as a job, and the
//! request waits for its reply up to `AI_REPLY_DEADLINE` (docs/OPERATIONS.md → AI). Past the
//! deadline (or when the reply says the provider failed) the feature's documented fallback applies.

use resee_core::ai::{Offline, Provider as _, Validation, offline};
use resee_core::jobs::{GradeAnswer, GradeReply, ValidateContent, reply_by, request_reply};
use resee_core::review::grading::AiGrade;

use crate::state::AppState;

/// A validation and who made it.
#[derive(Debug)]
pub struct Validated {
    pub validation: Validation,
    pub provider: String,
}

/// Validates a text through the worker; the offline checks answer when no reply comes in time.
pub async fn validate(state: &AppState, user_id: i64, content_id: Option<i64>, title: &str, body: &str) -> Validated {
    let deadline = state.config.ai.reply_deadline;
    let request_id = uuid::Uuid::new_v4().to_string();
    let job = ValidateContent {
        request_id: request_id.clone(),
        user_id,
        content_id,
        title: title.to_owned(),
        body: body.to_owned(),
        reply_by_ms: Some(reply_by(deadline)),
    };
    match request_reply(&state.redis, &job, &request_id, deadline).await {
        Ok(Some(reply)) => return Validated { validation: reply.validation, provider: reply.provider },
        Ok(None) => tracing::warn!(?deadline, "no validation reply in time; validating offline"),
        // While Redis is down this is every request: the outage itself is logged once.
        Err(e) if !state.redis.is_up() => tracing::debug!(error = %e, "Redis down; validating offline"),
        Err(e) => tracing::error!(error = %e, "validation request failed; validating offline"),
    }
    metrics::counter!("resee_ai_fallbacks_total", "feature" => "validate_deadline").increment(1);
    Validated { validation: offline::validate(title, body), provider: Offline.name().to_owned() }
}

/// Grades a written answer through the worker; `None` when the AI failed or did not answer in
/// time (the caller then uses the learner's own result).
pub async fn grade(state: &AppState, user_id: i64, content_id: i64, answer: &str) -> Option<AiGrade> {
    let deadline = state.config.ai.reply_deadline;
    let request_id = uuid::Uuid::new_v4().to_string();
    let job = GradeAnswer {
        request_id: request_id.clone(),
        user_id,
        content_id,
        answer: answer.to_owned(),
        reply_by_ms: Some(reply_by(deadline)),
    };
    let reply = match request_reply(&state.redis, &job, &request_id, deadline).await {
        Ok(Some(reply)) => reply,
        Ok(None) => {
            tracing::warn!(?deadline, "no grading reply in time");
            return None;
        }
        Err(e) => {
            if state.redis.is_up() {
                tracing::error!(error = %e, "grading request failed");
            }
            return None;
        }
    };
    match reply {
        GradeReply::Graded { score, feedback, provider } if (0.0..=100.0).contains(&score) => {
            Some(AiGrade { score, feedback, provider })
        }
        GradeReply::Graded { score, .. } => {
            tracing::warn!(score, "AI grading failed: the score is out of range");
            None
        }
        GradeReply::Failed { error, .. } => {
            tracing::warn!(%error, "AI grading failed");
            None
        }
    }
}
