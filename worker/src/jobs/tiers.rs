//! `reclamp_schedules`: a user's schedules follow a tier change.

use chrono::{DateTime, Utc};
use resee_core::jobs::ReclampSchedules;
use resee_core::redis::Redis;
use resee_core::review;
use resee_core::store::{processed_jobs, reviews, subscriptions};
use sqlx::PgPool;

/// Fits every active schedule of a user to the tier that applies now (docs/RULES.md → Tiers).
///
/// Runs its effect once per `change_id` even when the job is delivered twice: the key is
/// recorded in the same transaction. Returns how many schedules changed; when any did, the
/// user's cached review views are made stale.
pub async fn reclamp_schedules(
    db: &PgPool,
    redis: &Redis,
    job: &ReclampSchedules,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let key = format!("reclamp_schedules:{}", job.change_id);
    if !processed_jobs::first_time(&mut tx, &key, "reclamp_schedules").await? {
        return Ok(0);
    }
    // The tier in force when the job runs wins over the one in the payload: a later change may
    // already have replaced it, and its own job will find the same answer.
    let tier = subscriptions::effective_tier(&mut *tx, job.user_id, now).await?;
    let (mut ids, mut indexes, mut dues) = (Vec::new(), Vec::new(), Vec::new());
    for schedule in reviews::lock_active(&mut tx, job.user_id).await? {
        let clamped = review::reclamp(schedule.state, tier, schedule.created_at, now);
        if clamped != schedule.state {
            ids.push(schedule.id);
            indexes.push(i32::try_from(clamped.interval_index).unwrap_or(0));
            dues.push(clamped.next_review_date);
        }
    }
    reviews::move_schedules(&mut tx, &ids, &indexes, &dues).await?;
    tx.commit().await?;
    if !ids.is_empty() {
        resee_core::learning_cache::invalidate(redis, job.user_id).await;
    }
    Ok(ids.len() as u64)
}
