//! The daily clean-up: expired token records and ended sessions whose tokens have expired, old
//! dead letters and job records, lapsed subscriptions, gone workers, and the backup-age alarm.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use resee_core::jobs::{self, ReclampSchedules};
use resee_core::slack::Level;
use resee_core::tiers::Tier;

use crate::context::Context;
use crate::handlers::JobResult;

/// Dead letters are kept this long for inspection and requeue.
const DEAD_LETTER_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);
/// Idempotency records outlive any redelivery by far.
const JOB_RECORD_RETENTION_DAYS: i32 = 30;
const SENT_EMAIL_RETENTION_DAYS: i32 = 90;
/// Backups are overdue when none succeeded for this long while they are scheduled.
const BACKUP_STALE_AFTER: TimeDelta = TimeDelta::hours(26);

pub async fn run(ctx: &Context, now: DateTime<Utc>) -> JobResult {
    let tokens =
        sqlx::query!("DELETE FROM password_reset_tokens WHERE expires_at < $1 OR used_at < $1 - interval '1 day'", now)
            .execute(&ctx.db)
            .await?
            .rows_affected();
    let records = sqlx::query!(
        "DELETE FROM processed_jobs WHERE created_at < $1::timestamptz - make_interval(days => $2::int)",
        now,
        JOB_RECORD_RETENTION_DAYS
    )
    .execute(&ctx.db)
    .await?
    .rows_affected();
    let emails = sqlx::query!(
        "DELETE FROM sent_emails WHERE sent_at < $1::timestamptz - make_interval(days => $2::int)",
        now,
        SENT_EMAIL_RETENTION_DAYS
    )
    .execute(&ctx.db)
    .await?
    .rows_affected();
    let sessions =
        sqlx::query!("DELETE FROM revoked_sessions WHERE expires_at < $1", now).execute(&ctx.db).await?.rows_affected();
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
    let lapsed = sqlx::query!(
        r#"SELECT user_id, end_date AS "end_date!" FROM subscriptions
           WHERE tier <> 'free' AND end_date <= $1 AND end_date > $1 - interval '2 days'"#,
        now
    )
    .fetch_all(&ctx.db)
    .await?;
    for s in &lapsed {
        let job = ReclampSchedules {
            user_id: s.user_id,
            tier: Tier::Free,
            change_id: format!("expiry:{}:{}", s.user_id, s.end_date.timestamp()),
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
    let last = sqlx::query_scalar!("SELECT max(finished_at) FROM backup_runs WHERE outcome = 'succeeded'")
        .fetch_one(&ctx.db)
        .await?;
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
