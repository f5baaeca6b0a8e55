//! Jobs that a database write causes, kept in the write's transaction (`job_outbox`, the only
//! code that touches that table).
//!
//! A handler adds the job inside its transaction ([`add`]) and commits through [`commit`], which
//! relays it at once: on success the row is deleted and the job is in its Redis stream. When Redis is
//! down the row stays, and the worker's relay loop ([`relay_due`]) sends it once Redis answers.
//! A relay that sent a job but could not delete its row sends it again later: delivery is
//! at-least-once, which every job handler already tolerates.

use std::time::Duration;

use sqlx::{PgConnection, PgPool};

use crate::jobs::{self, Job, JobKind};
use crate::redis::Redis;
use crate::store::outbox as store;

/// A job stored in the outbox, not yet relayed.
#[derive(Debug, Clone)]
pub struct Queued {
    row_id: i64,
    job_id: String,
    kind: JobKind,
    payload: String,
}

/// Stores `job` in the transaction of `conn`; [`commit`] that transaction to relay it.
pub async fn add<J: Job>(conn: &mut PgConnection, job: &J) -> sqlx::Result<Queued> {
    let job_id = uuid::Uuid::new_v4().to_string();
    let payload = serde_json::to_string(job).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let row_id = store::add(conn, &job_id, J::KIND.name(), &payload).await?;
    Ok(Queued { row_id, job_id, kind: J::KIND, payload })
}

/// Commits the write's transaction, then relays the jobs it stored ([`relay`]).
pub async fn commit(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    db: &PgPool,
    redis: &Redis,
    queued: impl IntoIterator<Item = Queued>,
) -> sqlx::Result<()> {
    tx.commit().await?;
    relay(db, redis, queued).await;
    Ok(())
}

/// Sends committed jobs to their streams now, best effort: what cannot be sent (Redis down)
/// stays for the worker's relay.
async fn relay(db: &PgPool, redis: &Redis, queued: impl IntoIterator<Item = Queued>) {
    let mut sent = Vec::new();
    for job in queued {
        match jobs::enqueue_raw(redis, job.kind, &job.job_id, &job.payload).await {
            Ok(()) => sent.push(job.row_id),
            Err(e) => {
                tracing::debug!(error = %e, job.id = %job.job_id, job.kind = job.kind.name(), "job left in the outbox for the worker to relay");
            }
        }
    }
    if sent.is_empty() {
        return;
    }
    if let Err(e) = store::delete(db, &sent).await {
        tracing::warn!(error = %e, "relayed jobs stay in the outbox and will be sent again");
    }
}

/// Relays up to `batch` rows older than `min_age` (younger ones are the api's to relay), oldest
/// first; rows locked by another relay are skipped. Returns how many were sent.
pub async fn relay_due(db: &PgPool, redis: &Redis, min_age: Duration, batch: i64) -> anyhow::Result<usize> {
    let min_age_ms = i64::try_from(min_age.as_millis()).unwrap_or(i64::MAX);
    let mut tx = db.begin().await?;
    let rows = store::lock_due(&mut tx, min_age_ms, batch).await?;
    let mut sent = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(kind) = JobKind::from_name(&row.kind) else {
            // Written by a newer api during a rolling upgrade: a newer worker relays it.
            tracing::warn!(kind = %row.kind, job.id = %row.job_id, "outbox row of a job kind this worker does not know");
            continue;
        };
        // Stop at the first failure: Redis is down again, the rest waits for the next round.
        if let Err(e) = jobs::enqueue_raw(redis, kind, &row.job_id, &row.payload).await {
            tracing::debug!(error = %e, "outbox relay paused: Redis unavailable");
            break;
        }
        sent.push(row.id);
    }
    store::delete(&mut *tx, &sent).await?;
    tx.commit().await?;
    Ok(sent.len())
}

/// Rows waiting to be relayed (a gauge for the worker's metrics and a test's eyes).
pub async fn pending(db: &PgPool) -> sqlx::Result<i64> {
    store::pending(db).await
}
