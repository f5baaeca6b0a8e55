//! The AI features (docs/RULES.md → AI) behind one [`Provider`] trait.
//!
//! Three providers: the Anthropic Messages API and any OpenAI-compatible chat-completions
//! endpoint ([`remote::Llm`], which asks for JSON, parses the reply defensively, validates it and
//! retries once), and the [`offline::Offline`] heuristics, which need no network, are
//! deterministic and are the default. [`Ai`] puts a configured provider in front of the offline
//! one: when the provider fails (time-out, outage, two malformed replies) each feature falls
//! back as documented, and every answer says which provider gave it.
//!
//! Nothing here logs note bodies, answers or keys: logs and metrics carry the provider, the
//! feature, the outcome, the latency and token counts.

pub mod offline;
mod parse;
pub mod remote;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use crate::config::ai::{AiConfig, ProviderKind};
pub use offline::Offline;

/// Grading sees the title and this many characters of the body.
pub const GRADING_BODY_CHARS: usize = 1500;
/// Written answers shorter than this score 0 without a call.
pub const MIN_ANSWER_CHARS: usize = 10;

/// Why a provider gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("the provider did not answer in time")]
    Timeout,
    #[error("the provider answered HTTP {0}")]
    Status(u16),
    #[error("the provider could not be reached: {0}")]
    Transport(String),
    #[error("the provider's reply was not usable: {0}")]
    Malformed(String),
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AiError>> + Send + 'a>>;

/// One criterion of a content validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    /// 0–100.
    pub score: f64,
    pub issues: Vec<String>,
}

/// Three scores with their issues and an overall comment; valid iff every score ≥ 70.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub factual_accuracy: Dimension,
    pub logical_consistency: Dimension,
    pub title_relevance: Dimension,
    pub overall_feedback: String,
}

impl Validation {
    fn scores(&self) -> [f64; 3] {
        [self.factual_accuracy.score, self.logical_consistency.score, self.title_relevance.score]
    }

    pub fn is_valid(&self) -> bool {
        self.scores().iter().all(|s| *s >= 70.0)
    }

    /// The stored score: the mean of the three, one decimal.
    pub fn score(&self) -> f64 {
        round1(self.scores().iter().sum::<f64>() / 3.0)
    }

    /// The API's `<ValidationResult>` (`POST /api/contents/validate/`), plus the provider that answered.
    pub fn to_result(&self, provider: &str) -> Value {
        json!({
            "is_valid": self.is_valid(),
            "factual_accuracy": self.factual_accuracy,
            "logical_consistency": self.logical_consistency,
            "title_relevance": self.title_relevance,
            "overall_feedback": self.overall_feedback,
            "provider": provider,
        })
    }
}

/// A written answer's grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// 0–100.
    pub score: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    MultipleChoice,
    TrueFalse,
}

impl QuestionType {
    pub fn code(self) -> &'static str {
        match self {
            Self::MultipleChoice => "multiple_choice",
            Self::TrueFalse => "true_false",
        }
    }
}

/// One exam question about one content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub content_id: i64,
    pub question_type: QuestionType,
    pub text: String,
    /// Four choices (multiple choice) or none (true/false, answered `O` or `X`).
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

/// What every provider can do. Implementations return what the model said after their own
/// checks; the fallbacks live in [`Ai`].
pub trait Provider: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    fn validate<'a>(&'a self, title: &'a str, body: &'a str) -> BoxFuture<'a, Validation>;
    /// Grades `answer` against the title and the first [`GRADING_BODY_CHARS`] of the body.
    fn grade<'a>(&'a self, title: &'a str, body: &'a str, answer: &'a str) -> BoxFuture<'a, Grade>;
    /// Three plausible wrong titles of similar length; `others` are the user's other titles.
    fn distractors<'a>(&'a self, note: &'a Note, others: &'a [String]) -> BoxFuture<'a, Vec<String>>;
    /// One question testing the understanding of `note`; `all` are the exam's notes.
    fn exam_question<'a>(&'a self, note: &'a Note, all: &'a [Note]) -> BoxFuture<'a, Question>;
    /// One rating per note, in order.
    fn difficulty<'a>(&'a self, notes: &'a [Note]) -> BoxFuture<'a, Vec<Difficulty>>;
}

/// A feature's answer and the provider that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered<T> {
    pub value: T,
    pub provider: &'static str,
}

/// The configured provider with the offline one behind it.
#[derive(Debug, Clone)]
pub struct Ai {
    provider: Arc<dyn Provider>,
}

impl Ai {
    /// The provider `config` names (offline when none is configured).
    pub fn from_config(config: &AiConfig) -> Self {
        match config.kind {
            ProviderKind::Offline => Self::offline(),
            _ => Self { provider: Arc::new(remote::Llm::new(config)) },
        }
    }

    pub fn offline() -> Self {
        Self { provider: Arc::new(Offline) }
    }

    pub fn with_provider(provider: Arc<dyn Provider>) -> Self {
        Self { provider }
    }

    pub fn name(&self) -> &'static str {
        self.provider.name()
    }

    fn is_offline(&self) -> bool {
        self.provider.name() == Offline.name()
    }

    /// Validation; on failure the offline checks answer.
    pub async fn validate(&self, title: &str, body: &str) -> Answered<Validation> {
        match self.provider.validate(title, body).await {
            Ok(value) => Answered { value, provider: self.name() },
            Err(e) => {
                fell_back("validate", &e);
                Answered { value: offline::validate(title, body), provider: Offline.name() }
            }
        }
    }

    /// Grading. An answer under [`MIN_ANSWER_CHARS`] scores 0 without a call; a provider
    /// failure is returned (the caller falls back to the learner's own result).
    pub async fn grade(&self, title: &str, body: &str, answer: &str) -> Result<Answered<Grade>, AiError> {
        if answer.trim().chars().count() < MIN_ANSWER_CHARS {
            return Ok(Answered { value: offline::too_short(), provider: Offline.name() });
        }
        let excerpt: String = body.chars().take(GRADING_BODY_CHARS).collect();
        let value = self.provider.grade(title, &excerpt, answer.trim()).await?;
        Ok(Answered { value, provider: self.name() })
    }

    /// Four distinct options containing the title: three distractors around it.
    pub async fn distractors(&self, note: &Note, others: &[String]) -> Answered<Vec<String>> {
        let error = match self.provider.distractors(note, others).await {
            Ok(value) if distractors_ok(&note.title, &value) => return Answered { value, provider: self.name() },
            Ok(_) => AiError::Malformed("not three distinct wrong titles".into()),
            Err(e) => e,
        };
        if !self.is_offline() {
            fell_back("distractors", &error);
        }
        Answered { value: offline::distractors(&note.title, others), provider: Offline.name() }
    }

    /// A question per note; the offline true/false question when the provider fails.
    pub async fn exam_question(&self, note: &Note, all: &[Note]) -> Answered<Question> {
        match self.provider.exam_question(note, all).await {
            Ok(value) => Answered { value, provider: self.name() },
            Err(e) => {
                fell_back("exam_question", &e);
                Answered { value: offline::true_false(note, all), provider: Offline.name() }
            }
        }
    }

    /// Ratings for balancing an automatic exam; offline ratings when the provider fails.
    pub async fn difficulty(&self, notes: &[Note]) -> Answered<Vec<Difficulty>> {
        let error = match self.provider.difficulty(notes).await {
            Ok(value) if value.len() == notes.len() => return Answered { value, provider: self.name() },
            Ok(_) => AiError::Malformed("not one rating per note".into()),
            Err(e) => e,
        };
        fell_back("difficulty", &error);
        Answered { value: notes.iter().map(offline::difficulty).collect(), provider: Offline.name() }
    }
}

fn fell_back(feature: &'static str, error: &AiError) {
    tracing::warn!(feature, %error, "the AI provider failed; using the fallback");
    metrics::counter!("resee_ai_fallbacks_total", "feature" => feature).increment(1);
}

/// Three distinct options, none of them the title (compared trimmed, case-insensitively).
pub fn distractors_ok(title: &str, distractors: &[String]) -> bool {
    let norm = |s: &str| s.trim().to_lowercase();
    let mut seen = vec![norm(title)];
    for d in distractors {
        let d = norm(d);
        if d.is_empty() || seen.contains(&d) {
            return false;
        }
        seen.push(d);
    }
    distractors.len() == 3
}

/// Where the correct option goes among four: fixed by the seed, so a rerun gives the same order.
pub fn place_answer(seed: i64, correct: &str, mut distractors: Vec<String>) -> Vec<String> {
    let at = usize::try_from(seed.rem_euclid(4)).unwrap_or(0).min(distractors.len());
    distractors.insert(at, correct.to_owned());
    distractors
}

/// Picks `min(10, max(7, n))` notes: 30 % easy, 20 % hard, the rest medium, each shortfall
/// filled from what is left. Within a group, earlier notes of `rated` come first.
pub fn balance(rated: &[(i64, Difficulty)]) -> Vec<i64> {
    let n = rated.len();
    let total = n.clamp(7, 10).min(n);
    let easy_n = (total as f64 * 0.3).round() as usize;
    let hard_n = (total as f64 * 0.2).round() as usize;
    let medium_n = total.saturating_sub(easy_n + hard_n);
    let group = |d: Difficulty| rated.iter().filter(move |(_, r)| *r == d).map(|(id, _)| *id);
    let mut picked: Vec<i64> = group(Difficulty::Easy)
        .take(easy_n)
        .chain(group(Difficulty::Hard).take(hard_n))
        .chain(group(Difficulty::Medium).take(medium_n))
        .collect();
    for (id, _) in rated {
        if picked.len() >= total {
            break;
        }
        if !picked.contains(id) {
            picked.push(*id);
        }
    }
    picked
}

pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_takes_seven_to_ten_with_the_documented_mix() {
        let mut rated = Vec::new();
        for id in 0..20 {
            let d = match id % 3 {
                0 => Difficulty::Easy,
                1 => Difficulty::Medium,
                _ => Difficulty::Hard,
            };
            rated.push((id, d));
        }
        let picked = balance(&rated);
        assert_eq!(picked.len(), 10);
        let count = |d| picked.iter().filter(|id| rated.iter().any(|(i, r)| i == *id && *r == d)).count();
        assert_eq!((count(Difficulty::Easy), count(Difficulty::Hard), count(Difficulty::Medium)), (3, 2, 5));
        // Shortfalls are filled: only easy notes still make a full exam.
        let easy: Vec<_> = (0..8).map(|id| (id, Difficulty::Easy)).collect();
        assert_eq!(balance(&easy).len(), 8);
        assert_eq!(balance(&easy[..3]).len(), 3);
    }

    #[test]
    fn distractors_must_be_three_distinct_non_titles() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert!(distractors_ok("Ohm", &s(&["Volt", "Watt", "Ampere"])));
        assert!(!distractors_ok("Ohm", &s(&["Volt", "Watt"])));
        assert!(!distractors_ok("Ohm", &s(&["Volt", "volt ", "Ampere"])));
        assert!(!distractors_ok("Ohm", &s(&["Volt", " ohm", "Ampere"])));
        assert_eq!(place_answer(6, "Ohm", s(&["a", "b", "c"])), s(&["a", "b", "Ohm", "c"]));
    }
}
