//! `backup_runs`: one row per backup attempt, written as it starts and settled when it ends.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Records a backup that starts now; its row id.
pub async fn start(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!("INSERT INTO backup_runs DEFAULT VALUES RETURNING id").fetch_one(db).await
}

/// The run `id` succeeded with object `key`.
pub async fn succeeded(db: &PgPool, id: i64, key: &str, bytes: i64, sha256: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE backup_runs SET outcome = 'succeeded', finished_at = now(), key = $2, bytes = $3, sha256 = $4 WHERE id = $1",
        id,
        key,
        bytes,
        sha256
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The run `id` failed at `step`.
pub async fn failed(db: &PgPool, id: i64, step: &str, error: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE backup_runs SET outcome = 'failed', finished_at = now(), step = $2, error = $3 WHERE id = $1",
        id,
        step,
        error
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The object `key` was pruned from S3.
pub async fn pruned(db: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query!("UPDATE backup_runs SET pruned_at = now() WHERE key = $1 AND pruned_at IS NULL", key)
        .execute(db)
        .await?;
    Ok(())
}

/// When the last successful backup finished.
pub async fn last_success(db: &PgPool) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!("SELECT max(finished_at) FROM backup_runs WHERE outcome = 'succeeded'").fetch_one(db).await
}

/// What the restored database says of the backup it came from.
#[derive(Debug)]
pub struct Restored<'a> {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub key: &'a str,
    pub bytes: i64,
    pub sha256: &'a str,
}

/// In a database restored from a backup, settles the runs the dump caught in flight: the newest
/// one started before the backup is the one that made it (succeeded, as its manifest says), any
/// older one is failed. How many rows changed.
pub async fn settle_restored(db: &PgPool, backup: &Restored<'_>) -> sqlx::Result<u64> {
    // Not `query!`: the restored database is not the one the queries are checked against.
    let settled = sqlx::query(
        "WITH own AS (
             SELECT id FROM backup_runs WHERE outcome = 'running' AND started_at <= $1
             ORDER BY started_at DESC, id DESC LIMIT 1)
         UPDATE backup_runs r SET
             outcome = CASE WHEN r.id IN (SELECT id FROM own) THEN 'succeeded' ELSE 'failed' END,
             finished_at = CASE WHEN r.id IN (SELECT id FROM own) THEN $2 ELSE $1 END,
             key = CASE WHEN r.id IN (SELECT id FROM own) THEN $3 ELSE r.key END,
             bytes = CASE WHEN r.id IN (SELECT id FROM own) THEN $4 ELSE r.bytes END,
             sha256 = CASE WHEN r.id IN (SELECT id FROM own) THEN $5 ELSE r.sha256 END,
             step = CASE WHEN r.id IN (SELECT id FROM own) THEN r.step ELSE 'interrupted' END,
             error = CASE WHEN r.id IN (SELECT id FROM own) THEN r.error
                          ELSE 'still running when the backup this database was restored from was taken' END
         WHERE r.outcome = 'running'",
    )
    .bind(backup.started_at)
    .bind(backup.finished_at)
    .bind(backup.key)
    .bind(backup.bytes)
    .bind(backup.sha256)
    .execute(db)
    .await?;
    Ok(settled.rows_affected())
}

/// A backup that exists (its run succeeded and retention has not deleted it).
#[derive(Debug)]
pub struct Backup {
    pub key: String,
    pub finished_at: DateTime<Utc>,
    pub bytes: i64,
    pub sha256: String,
}

/// Existing backups, newest first.
pub async fn existing(db: &PgPool, limit: i64) -> sqlx::Result<Vec<Backup>> {
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
pub async fn last_run(db: &PgPool) -> sqlx::Result<Option<BackupRun>> {
    sqlx::query_as!(
        BackupRun,
        "SELECT started_at, finished_at, outcome, key, step, error FROM backup_runs ORDER BY started_at DESC LIMIT 1"
    )
    .fetch_optional(db)
    .await
}
