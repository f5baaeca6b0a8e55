//! What staff pages read: backups recorded by the worker and counts across all users.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// A backup that exists (its run succeeded and retention has not deleted it).
#[derive(Debug)]
pub struct Backup {
    pub key: String,
    pub finished_at: DateTime<Utc>,
    pub bytes: i64,
    pub sha256: String,
}

/// Existing backups, newest first.
pub async fn backups(db: &PgPool, limit: i64) -> sqlx::Result<Vec<Backup>> {
    sqlx::query_as!(
        Backup,
        r#"SELECT key AS "key!", finished_at AS "finished_at!", bytes AS "bytes!", sha256 AS "sha256!"
           FROM backup_runs
           WHERE outcome = 'succeeded' AND pruned_at IS NULL AND key IS NOT NULL
           ORDER BY started_at DESC LIMIT $1"#,
        limit
    )
    .fetch_all(db)
    .await
}

/// One run of the backup job, whatever its outcome.
#[derive(Debug)]
pub struct BackupRun {
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: String,
    pub key: Option<String>,
    pub step: Option<String>,
    pub error: Option<String>,
}

/// The newest run, if any backup ever ran.
pub async fn last_backup_run(db: &PgPool) -> sqlx::Result<Option<BackupRun>> {
    sqlx::query_as!(
        BackupRun,
        "SELECT started_at, finished_at, outcome, key, step, error FROM backup_runs ORDER BY started_at DESC LIMIT 1"
    )
    .fetch_optional(db)
    .await
}

/// Counts across every user.
#[derive(Debug)]
pub struct Totals {
    pub users: i64,
    pub active_users: i64,
    pub verified_users: i64,
    pub new_users_7_days: i64,
    pub contents: i64,
    pub categories: i64,
    pub reviews: i64,
    pub reviews_24_hours: i64,
    pub exams: i64,
    pub completed_exams: i64,
}

pub async fn totals(db: &PgPool) -> sqlx::Result<Totals> {
    sqlx::query_as!(
        Totals,
        r#"SELECT
             (SELECT count(*) FROM users) AS "users!",
             (SELECT count(*) FROM users WHERE is_active) AS "active_users!",
             (SELECT count(*) FROM users WHERE is_email_verified) AS "verified_users!",
             (SELECT count(*) FROM users WHERE date_joined > now() - interval '7 days') AS "new_users_7_days!",
             (SELECT count(*) FROM contents) AS "contents!",
             (SELECT count(*) FROM categories) AS "categories!",
             (SELECT count(*) FROM review_history) AS "reviews!",
             (SELECT count(*) FROM review_history WHERE review_date > now() - interval '1 day') AS "reviews_24_hours!",
             (SELECT count(*) FROM exams) AS "exams!",
             (SELECT count(*) FROM exams WHERE status = 'completed') AS "completed_exams!""#
    )
    .fetch_one(db)
    .await
}
