//! Job handlers that need only the database. They live in `core` so that the worker runs them
//! and the api's tests can drain the queue with the very same code.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::jobs::ReclampSchedules;
use crate::schedule::{self, ScheduleState};
use crate::tiers::{Tier, effective_tier};

/// Fits every active schedule of a user to the tier that applies now (domain.md → Tiers).
///
/// Runs its effect once per `change_id` even when the job is delivered twice: the key is
/// recorded in the same transaction. Returns how many schedules changed; when any did, the
/// user's cached review views are made stale.
pub async fn reclamp_schedules(
    db: &PgPool,
    redis: &crate::redis::Redis,
    job: &ReclampSchedules,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let first_time = sqlx::query!(
        "INSERT INTO processed_jobs (job_key, kind) VALUES ($1, 'reclamp_schedules') ON CONFLICT (job_key) DO NOTHING",
        format!("reclamp_schedules:{}", job.change_id)
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first_time {
        return Ok(0);
    }
    // The tier in force when the job runs wins over the one in the payload: a later change may
    // already have replaced it, and its own job will find the same answer.
    let subscription =
        sqlx::query!("SELECT tier, is_active, end_date FROM subscriptions WHERE user_id = $1", job.user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let tier = subscription
        .map_or(Tier::Free, |s| effective_tier(s.tier.parse().unwrap_or(Tier::Free), s.is_active, s.end_date, now));
    let rows = sqlx::query!(
        "SELECT id, interval_index, next_review_date, initial_review_completed, created_at
         FROM review_schedules WHERE user_id = $1 AND is_active FOR UPDATE",
        job.user_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let (mut ids, mut indexes, mut dues) = (Vec::new(), Vec::new(), Vec::new());
    for row in rows {
        let state = ScheduleState {
            interval_index: usize::try_from(row.interval_index).unwrap_or(0),
            next_review_date: row.next_review_date,
            initial_review_completed: row.initial_review_completed,
        };
        let clamped = schedule::reclamp(state, tier, row.created_at, now);
        if clamped != state {
            ids.push(row.id);
            indexes.push(i32::try_from(clamped.interval_index).unwrap_or(0));
            dues.push(clamped.next_review_date);
        }
    }
    sqlx::query!(
        "UPDATE review_schedules s SET interval_index = v.idx, next_review_date = v.due
         FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS v(id, idx, due) WHERE s.id = v.id",
        &ids,
        &indexes,
        &dues
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if !ids.is_empty() {
        crate::learning_cache::invalidate(redis, job.user_id).await;
    }
    Ok(ids.len() as u64)
}
