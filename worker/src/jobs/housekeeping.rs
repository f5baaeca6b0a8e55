//! The daily clean-up: expired token records and ended sessions whose tokens have expired, old
//! dead letters and job records, lapsed subscriptions, gone workers, and the backup-age alarm.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use resee_core::jobs::{self, ReclampSchedules};
use resee_core::slack::Level;
use resee_core::store::{backups, password_resets, processed_jobs, sent_emails, sessions, subscriptions};
use resee_core::tiers::Tier;

use super::JobResult;
use crate::context::Context;

/// Dead letters are kept this long for inspection and requeue.
const DEAD_LETTER_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);
/// Idempotency records outlive any redelivery by far.
const JOB_RECORD_RETENTION_DAYS: i32 = 30;
const SENT_EMAIL_RETENTION_DAYS: i32 = 90;
/// Backups are overdue when none succeeded for this long while they are scheduled.
const BACKUP_STALE_AFTER: TimeDelta = TimeDelta::hours(26);

pub async fn run(ctx: &Context, now: DateTime<Utc>) -> JobResult {
    let tokens = password_resets::forget_expired(&ctx.db, now).await?;
    let records = processed_jobs::forget_older_than(&ctx.db, now, JOB_RECORD_RETENTION_DAYS).await?;
    let emails = sent_emails::forget_older_than(&ctx.db, now, SENT_EMAIL_RETENTION_DAYS).await?;
    let sessions = sessions::forget_expired(&ctx.db, now).await?;
    let dead = ctx.queue.trim_dead(DEAD_LETTER_RETENTION, now.timestamp_millis()).await?;
    let reclamped = reclamp_lapsed(ctx, now).await?;
    let workers = forget_gone_workers(ctx, now).await?;
    check_backups(ctx, now).await?;
    tracing::info!(tokens, sessions, records, emails, dead_letters = dead, reclamped, workers, "housekeeping done");
    Ok(())
}

/// Subscriptions that ran out in the last two days get their schedules fitted to the free
/// tier; the change id makes a second run (or the next day's overlap) a no-op.
async fn reclamp_lapsed(ctx: &Context, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let lapsed = subscriptions::lapsed(&ctx.db, now).await?;
    for (user_id, end_date) in &lapsed {
        let job = ReclampSchedules {
            user_id: *user_id,
            tier: Tier::Free,
            change_id: format!("expiry:{user_id}:{}", end_date.timestamp()),
        };
        jobs::enqueue(&ctx.redis, &job).await?;
    }
    Ok(lapsed.len())
}

/// Drops heartbeats older than a day, and consumers of the job streams that hold no job and
/// were idle for a day (each worker start is a new consumer).
async fn forget_gone_workers(ctx: &Context, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let key = jobs::heartbeat_key(&ctx.redis);
    let mut conn = ctx.redis.conn.clone();
    let beats: Vec<(String, i64)> = redis::cmd("HGETALL").arg(&key).query_async(&mut conn).await?;
    let gone: Vec<&String> =
        beats.iter().filter(|(_, at)| now.timestamp() - at > 24 * 3600).map(|(id, _)| id).collect();
    if !gone.is_empty() {
        let _: i64 = redis::cmd("HDEL").arg(&key).arg(&gone).query_async(&mut conn).await?;
    }
    for kind in jobs::JobKind::ALL {
        let stream = jobs::stream_key(&ctx.redis, kind);
        let consumers: Vec<redis::Value> = match redis::cmd("XINFO")
            .arg("CONSUMERS")
            .arg(&stream)
            .arg(resee_core::queue::GROUP)
            .query_async(&mut conn)
            .await
        {
            Ok(list) => list,
            Err(_) => continue, // no stream or group yet
        };
        for consumer in consumers {
            let info: std::collections::HashMap<String, redis::Value> = redis::from_redis_value(consumer)?;
            let get = |name: &str| info.get(name).and_then(|v| redis::from_redis_value_ref::<i64>(v).ok()).unwrap_or(0);
            let name = info.get("name").and_then(|v| redis::from_redis_value_ref::<String>(v).ok()).unwrap_or_default();
            if get("pending") == 0 && get("idle") > 24 * 3600 * 1000 && name != ctx.queue.consumer() {
                let _: i64 = redis::cmd("XGROUP")
                    .arg("DELCONSUMER")
                    .arg(&stream)
                    .arg(resee_core::queue::GROUP)
                    .arg(&name)
                    .query_async(&mut conn)
                    .await?;
            }
        }
    }
    Ok(gone.len())
}

/// While backups are scheduled, a day and two hours without a successful one raises the health
/// flag and a Slack alert; a fresh success clears the flag.
async fn check_backups(ctx: &Context, now: DateTime<Utc>) -> anyhow::Result<()> {
    let flag = jobs::backup_stale_key(&ctx.redis);
    let mut conn = ctx.redis.conn.clone();
    if ctx.config.backup_schedule.is_none() {
        let _: i64 = redis::cmd("DEL").arg(&flag).query_async(&mut conn).await?;
        return Ok(());
    }
    let last = backups::last_success(&ctx.db).await?;
    if last.is_some_and(|at| now - at < BACKUP_STALE_AFTER) {
        let _: i64 = redis::cmd("DEL").arg(&flag).query_async(&mut conn).await?;
        return Ok(());
    }
    let since = last.map_or_else(|| "never".to_owned(), |at| at.to_rfc3339());
    let _: () = redis::cmd("SET").arg(&flag).arg(&since).query_async(&mut conn).await?;
    let text = format!(
        "No database backup has succeeded for 26 hours (last success: {since}). Check `resee-worker backup list` and the worker's logs."
    );
    ctx.slack
        .send_throttled(&ctx.redis, "backup-stale", Level::Warning, "resee-worker: backups are overdue", &text)
        .await?;
    Ok(())
}
