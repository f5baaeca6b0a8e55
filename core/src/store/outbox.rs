//! `job_outbox`: jobs caused by a write, stored in the write's transaction until they reach
//! their Redis stream (`crate::outbox` relays them).

use sqlx::{PgConnection, PgPool};

/// One stored job.
#[derive(Debug)]
pub struct Row {
    pub id: i64,
    pub job_id: String,
    pub kind: String,
    pub payload: String,
}

/// Stores a job in the caller's transaction; its row id.
pub async fn add(tx: &mut PgConnection, job_id: &str, kind: &str, payload: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "INSERT INTO job_outbox (job_id, kind, payload) VALUES ($1, $2, $3) RETURNING id",
        job_id,
        kind,
        payload
    )
    .fetch_one(tx)
    .await
}

/// Up to `batch` rows older than `min_age_ms`, oldest first, locked for the caller's
/// transaction; rows another transaction holds are skipped.
pub async fn lock_due(tx: &mut PgConnection, min_age_ms: i64, batch: i64) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        "SELECT id, job_id, kind, payload FROM job_outbox
         WHERE created_at < now() - make_interval(secs => $1::bigint / 1000.0)
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
        min_age_ms,
        batch
    )
    .fetch_all(tx)
    .await
}

/// Deletes relayed rows.
pub async fn delete<'e>(db: impl sqlx::PgExecutor<'e>, ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM job_outbox WHERE id = ANY($1)", ids).execute(db).await?;
    Ok(())
}

/// Rows waiting to be relayed.
pub async fn pending(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM job_outbox"#).fetch_one(db).await
}
