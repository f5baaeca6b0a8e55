//! `processed_jobs`: the keys of job effects already applied, so that a job delivered twice
//! has its effect once.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Records `job_key` in the caller's transaction; false when it was already recorded (the
/// effect is applied, or being applied by a transaction that holds the key).
pub async fn first_time(tx: &mut PgConnection, job_key: &str, kind: &str) -> sqlx::Result<bool> {
    let inserted = sqlx::query!(
        "INSERT INTO processed_jobs (job_key, kind) VALUES ($1, $2) ON CONFLICT (job_key) DO NOTHING",
        job_key,
        kind
    )
    .execute(tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Forgets records older than `days` days before `now`; how many.
pub async fn forget_older_than(db: &PgPool, now: DateTime<Utc>, days: i32) -> sqlx::Result<u64> {
    let deleted = sqlx::query!(
        "DELETE FROM processed_jobs WHERE created_at < $1::timestamptz - make_interval(days => $2::int)",
        now,
        days
    )
    .execute(db)
    .await?;
    Ok(deleted.rows_affected())
}
