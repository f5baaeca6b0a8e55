//! The job contract between the api (which enqueues) and the worker (which executes).
//!
//! Every job type is declared here once: its name, its payload type and its retry policy.
//! Jobs travel through Redis Streams, one stream per type (`<prefix>:jobs:<name>`); each entry
//! carries the fields `id` (a UUID string), `payload` (JSON) and `enqueued_at` (Unix ms).
//! Delivery is at-least-once, so every handler must be idempotent.

use std::time::Duration;

use anyhow::Context as _;
use redis::AsyncCommands as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::ai::Validation;
use crate::i18n::Language;
use crate::redis::Redis;
use crate::tiers::Tier;

/// Every kind of background job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    SendEmail,
    GenerateMcChoices,
    ValidateContent,
    GradeAnswer,
    GenerateExam,
    ReclampSchedules,
    BackupDatabase,
    SendReminders,
    Housekeeping,
    /// Does nothing: `resee-worker jobs ping` and the queue benchmark use it.
    Noop,
}

/// How a job type is retried and how long a crashed attempt stays invisible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before the job goes to the dead-letter stream (the first run counts).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How long one attempt may run before it counts as failed.
    pub timeout: Duration,
}

impl RetryPolicy {
    /// The delay before retry number `attempt` (1-based): base · 2^(attempt-1), capped.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

impl JobKind {
    pub const ALL: [Self; 10] = [
        Self::SendEmail,
        Self::GenerateMcChoices,
        Self::ValidateContent,
        Self::GradeAnswer,
        Self::GenerateExam,
        Self::ReclampSchedules,
        Self::BackupDatabase,
        Self::SendReminders,
        Self::Housekeeping,
        Self::Noop,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::SendEmail => "send_email",
            Self::GenerateMcChoices => "generate_mc_choices",
            Self::ValidateContent => "validate_content",
            Self::GradeAnswer => "grade_answer",
            Self::GenerateExam => "generate_exam",
            Self::ReclampSchedules => "reclamp_schedules",
            Self::BackupDatabase => "backup_database",
            Self::SendReminders => "send_reminders",
            Self::Housekeeping => "housekeeping",
            Self::Noop => "noop",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn policy(self) -> RetryPolicy {
        let secs = Duration::from_secs;
        match self {
            Self::SendEmail => {
                RetryPolicy { max_attempts: 8, base_delay: secs(10), max_delay: secs(3600), timeout: secs(120) }
            }
            // A user waits for these: retry fast, give up soon.
            Self::ValidateContent | Self::GradeAnswer => {
                RetryPolicy { max_attempts: 2, base_delay: secs(1), max_delay: secs(5), timeout: secs(30) }
            }
            Self::GenerateMcChoices | Self::GenerateExam => {
                RetryPolicy { max_attempts: 5, base_delay: secs(5), max_delay: secs(600), timeout: secs(600) }
            }
            Self::ReclampSchedules | Self::SendReminders | Self::Housekeeping => {
                RetryPolicy { max_attempts: 5, base_delay: secs(5), max_delay: secs(600), timeout: secs(600) }
            }
            Self::BackupDatabase => {
                RetryPolicy { max_attempts: 3, base_delay: secs(300), max_delay: secs(1800), timeout: secs(6 * 3600) }
            }
            Self::Noop => RetryPolicy { max_attempts: 1, base_delay: secs(1), max_delay: secs(1), timeout: secs(10) },
        }
    }
}

/// A payload type bound to its job kind.
pub trait Job: Serialize + DeserializeOwned + Send + Sync {
    const KIND: JobKind;
    /// What the job answers on its reply list ([`request_reply`]); `()` for jobs nobody waits
    /// for.
    type Reply: Serialize + DeserializeOwned + Send;
}

/// Sends one email. `message_id` is unique per intended message, so a redelivered job can see
/// that it was already sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmail {
    pub message_id: String,
    pub to: String,
    pub user_id: Option<i64>,
    pub language: Language,
    pub email: Email,
}

impl Job for SendEmail {
    const KIND: JobKind = JobKind::SendEmail;
    type Reply = ();
}

/// Which email, with what it needs to be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Email {
    /// Confirms the address; `link` opens the SPA's `/verify-email` page.
    Verification { token: String, link: String },
    /// Sent once the address is verified.
    Welcome,
    /// A one-time link to `/reset-password`, valid for an hour.
    PasswordReset { token: String, link: String },
    /// The daily list of due reviews (the first few titles, and how many are due in all).
    /// `unsubscribe_token` makes the links of the email and its `List-Unsubscribe` header.
    ReviewReminder { due_titles: Vec<String>, due_count: u32, unsubscribe_token: String },
}

/// Re-clamps every active schedule of a user after a tier change (docs/RULES.md → Tiers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReclampSchedules {
    pub user_id: i64,
    pub tier: Tier,
    /// Identifies the change, so running the job twice re-clamps once.
    pub change_id: String,
}

impl Job for ReclampSchedules {
    const KIND: JobKind = JobKind::ReclampSchedules;
    type Reply = ();
}

/// Fills a multiple-choice content's `mc_choices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateMcChoices {
    pub content_id: i64,
}

impl Job for GenerateMcChoices {
    const KIND: JobKind = JobKind::GenerateMcChoices;
    type Reply = ();
}

/// Generates the questions of an exam in `preparing` state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateExam {
    pub exam_id: i64,
}

impl Job for GenerateExam {
    const KIND: JobKind = JobKind::GenerateExam;
    type Reply = ();
}

/// Runs the database backup (`resee-worker backup run`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupDatabase {
    /// The scheduler tick that asked for it (e.g. `2026-11-27T03:00+09:00`).
    pub tick: String,
}

impl Job for BackupDatabase {
    const KIND: JobKind = JobKind::BackupDatabase;
    type Reply = ();
}

/// Sends the reminders due at one scheduler tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendReminders {
    pub tick: String,
}

impl Job for SendReminders {
    const KIND: JobKind = JobKind::SendReminders;
    type Reply = ();
}

/// Daily clean-up: expired token records, old dead letters, lapsed subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Housekeeping {
    pub tick: String,
}

impl Job for Housekeeping {
    const KIND: JobKind = JobKind::Housekeeping;
    type Reply = ();
}

/// Validates a content with the AI provider; the api waits for the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateContent {
    pub request_id: String,
    pub user_id: i64,
    pub content_id: Option<i64>,
    pub title: String,
    pub body: String,
    /// Unix ms after which nobody waits for the reply any more (the job is then skipped).
    #[serde(default)]
    pub reply_by_ms: Option<i64>,
}

impl Job for ValidateContent {
    const KIND: JobKind = JobKind::ValidateContent;
    type Reply = ValidationReply;
}

/// Grades a written answer with the AI provider; the api waits for the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeAnswer {
    pub request_id: String,
    pub user_id: i64,
    pub content_id: i64,
    pub answer: String,
    /// Unix ms after which nobody waits for the reply any more (the job is then skipped).
    #[serde(default)]
    pub reply_by_ms: Option<i64>,
}

impl Job for GradeAnswer {
    const KIND: JobKind = JobKind::GradeAnswer;
    type Reply = GradeReply;
}

/// A job that does nothing; a worker that consumes it proves the queue end to end.
/// `validate_content`'s answer: the provider's validation, or the offline one when it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReply {
    pub validation: Validation,
    /// Derived from `validation`; kept on the wire for replies read by older api versions.
    pub is_valid: bool,
    pub score: f64,
    pub provider: String,
}

impl ValidationReply {
    pub fn new(validation: Validation, provider: &str) -> Self {
        Self { is_valid: validation.is_valid(), score: validation.score(), validation, provider: provider.to_owned() }
    }
}

/// `grade_answer`'s answer. A provider failure is an answer too: the learner's own result then
/// counts (docs/RULES.md → Grading).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GradeReply {
    Graded { score: f64, feedback: String, provider: String },
    Failed { error: String, provider: Option<String> },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Noop {}

impl Job for Noop {
    const KIND: JobKind = JobKind::Noop;
    type Reply = ();
}

/// The Redis stream of a job kind.
pub fn stream_key(redis: &Redis, kind: JobKind) -> String {
    redis.key(format!("jobs:{}", kind.name()))
}

/// The hash in which each running worker records `worker id → last heartbeat (Unix seconds)`.
pub fn heartbeat_key(redis: &Redis) -> String {
    redis.key("workers:heartbeat")
}

/// Set by housekeeping (value: the last successful backup, or `never`) while backups are
/// scheduled and none succeeded for 26 hours; the api's detailed health reports it.
pub fn backup_stale_key(redis: &Redis) -> String {
    redis.key("health:backup_stale")
}

/// A worker whose last heartbeat is older than this is considered gone.
pub const HEARTBEAT_STALE_AFTER_SECS: i64 = 30;

/// Appends a job to its stream and returns the job id. A job that a database write causes goes
/// through [`crate::outbox`] instead, so that it is not lost while Redis is down.
pub async fn enqueue<J: Job>(redis: &Redis, job: &J) -> anyhow::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    enqueue_raw(redis, J::KIND, &id, &serde_json::to_string(job)?).await?;
    Ok(id)
}

/// Appends an already serialised job (`payload`) of `kind` under the job id `id`.
pub async fn enqueue_raw(redis: &Redis, kind: JobKind, id: &str, payload: &str) -> redis::RedisResult<()> {
    let now_ms = chrono::Utc::now().timestamp_millis().to_string();
    let mut conn = redis.conn.clone();
    let _: String = conn
        .xadd(stream_key(redis, kind), "*", &[("id", id), ("payload", payload), ("enqueued_at", now_ms.as_str())])
        .await?;
    tracing::debug!(job.id = %id, job.kind = kind.name(), "job enqueued");
    Ok(())
}

/// A reply nobody popped is dropped after this long.
const REPLY_TTL_SECS: u64 = 120;

/// Replies to request `request_id` travel on the list `replies:<request_id>`.
fn reply_key(redis: &Redis, request_id: &str) -> String {
    redis.key(format!("replies:{request_id}"))
}

/// Pushes the reply of a `J` job to request `request_id`.
pub async fn reply<J: Job>(redis: &Redis, request_id: &str, body: &J::Reply) -> anyhow::Result<()> {
    let key = reply_key(redis, request_id);
    let mut conn = redis.conn.clone();
    redis::pipe()
        .atomic()
        .cmd("LPUSH")
        .arg(&key)
        .arg(serde_json::to_string(body)?)
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
) -> anyhow::Result<Option<J::Reply>> {
    // During a Redis outage no worker could answer: the caller's fallback applies at once.
    anyhow::ensure!(redis.is_up(), "Redis is unavailable");
    // A connection of its own: BLPOP would hold up every command behind it on the shared one.
    let mut conn = redis.dedicated(deadline + Duration::from_secs(5)).await?;
    enqueue(redis, job).await?;
    let popped: Option<(String, String)> = redis::cmd("BLPOP")
        .arg(reply_key(redis, request_id))
        .arg(deadline.as_secs_f64().max(0.01))
        .query_async(&mut conn)
        .await?;
    popped
        .map(|(_, body)| {
            serde_json::from_str(&body).with_context(|| format!("the `{}` reply does not parse", J::KIND.name()))
        })
        .transpose()
}

/// The Unix-ms moment after which nobody waits for a reply.
pub fn reply_by(deadline: Duration) -> i64 {
    chrono::Utc::now().timestamp_millis() + i64::try_from(deadline.as_millis()).unwrap_or(i64::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_name(kind.name()), Some(kind));
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::String(kind.name().into())));
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = JobKind::SendEmail.policy();
        assert_eq!(policy.backoff(1), Duration::from_secs(10));
        assert_eq!(policy.backoff(2), Duration::from_secs(20));
        assert_eq!(policy.backoff(4), Duration::from_secs(80));
        assert_eq!(policy.backoff(30), policy.max_delay);
    }

    #[test]
    fn email_payloads_are_tagged_by_template() {
        let job = SendEmail {
            message_id: "m1".into(),
            to: "a@example.com".into(),
            user_id: Some(1),
            language: Language::Ko,
            email: Email::Verification { token: "t".into(), link: "http://x/verify-email?token=t".into() },
        };
        let json = serde_json::to_value(&job).expect("serialise");
        assert_eq!(json["email"]["template"], "verification");
        assert_eq!(serde_json::from_value::<SendEmail>(json).expect("parse"), job);
    }
}
