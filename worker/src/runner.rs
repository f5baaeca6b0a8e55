//! The job runner: one consume loop per job type, each with its own concurrency limit, plus
//! the background chores that keep the queue honest (lease renewal, retry promotion,
//! heartbeat).
//!
//! A job's life: `XREADGROUP` delivers it (or `XAUTOCLAIM` takes it over from a worker that
//! stopped renewing its lease); it runs under its type's time limit; then it is acknowledged,
//! scheduled for a retry with exponential backoff, or moved to the dead-letter stream. A job
//! delivered more often than its type's `max_attempts` (it keeps killing workers) goes straight
//! to the dead letters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use resee_core::jobs::{self, JobKind, RetryPolicy};
use resee_core::queue::{Delivery, Queue};
use resee_core::slack::Level;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tracing::Instrument as _;

use crate::context::Context;
use crate::jobs::{self as handlers, JobError, JobResult};
use crate::metrics::{self, HEARTBEAT_EVERY, Liveness};

/// How long one `XREADGROUP` waits for a job before checking for shutdown and stale jobs.
const BLOCK: Duration = Duration::from_secs(1);
/// How often due retries are moved back into their streams.
const PROMOTE_EVERY: Duration = Duration::from_millis(250);

/// The deliveries this worker is running, by type and entry id: their leases are renewed, and
/// those still here when the grace period ends are handed back.
type Running = Arc<Mutex<HashMap<(JobKind, String), Delivery>>>;

/// Runs every consumer until `shutdown`, then lets running jobs finish within the grace period.
pub async fn run(ctx: Arc<Context>, liveness: Liveness, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    ctx.queue.ensure_groups().await?;
    let running: Running = Arc::default();
    let mut chores = JoinSet::new();
    chores.spawn(heartbeat(ctx.clone(), liveness));
    chores.spawn(renew_leases(ctx.clone(), running.clone(), shutdown.clone()));
    chores.spawn(promote_retries(ctx.queue.clone(), shutdown.clone()));
    let mut consumers = JoinSet::new();
    for kind in JobKind::ALL {
        consumers.spawn(consume(ctx.clone(), kind, running.clone(), shutdown.clone()));
    }
    while consumers.join_next().await.is_some() {}
    // Running jobs are done (or abandoned after the grace period): stop the chores, and leave.
    chores.abort_all();
    let mut conn = ctx.redis.conn.clone();
    let _: redis::RedisResult<i64> =
        redis::cmd("HDEL").arg(jobs::heartbeat_key(&ctx.redis)).arg(ctx.queue.consumer()).query_async(&mut conn).await;
    Ok(())
}

/// The consume loop of one job type.
async fn consume(ctx: Arc<Context>, kind: JobKind, running: Running, mut shutdown: watch::Receiver<bool>) {
    let limit = ctx.config.concurrency_of(kind);
    let slots = Arc::new(Semaphore::new(limit));
    let claim_every = (ctx.config.visibility_timeout / 2).max(Duration::from_millis(500));
    let mut next_claim = Instant::now();
    // Where the scan of pending entries for stale ones goes on (XAUTOCLAIM's cursor).
    let mut claim_cursor = "0-0".to_owned();
    let mut conn = None;
    let mut tasks = JoinSet::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        // Wait for a free slot: a busy type stops reading, and its jobs wait in Redis.
        let first = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit { Ok(p) => p, Err(_) => break },
            _ = shutdown.changed() => continue,
        };
        while tasks.try_join_next().is_some() {}
        let mut permits = vec![first];
        while let Ok(p) = slots.clone().try_acquire_owned() {
            permits.push(p);
        }
        let mut deliveries = Vec::new();
        if Instant::now() >= next_claim {
            next_claim = Instant::now() + claim_every;
            match ctx.queue.claim_stale(kind, ctx.config.visibility_timeout, permits.len(), &claim_cursor).await {
                Ok((cursor, claimed)) => {
                    claim_cursor = cursor;
                    for d in &claimed {
                        tracing::warn!(job.kind = kind.name(), job.id = %d.job_id, attempt = d.attempt,
                            "took over a job whose worker stopped renewing it");
                        metrics::redelivered(kind);
                    }
                    deliveries = claimed;
                }
                Err(e) => tracing::warn!(job.kind = kind.name(), error = %e, "could not claim stale jobs"),
            }
        }
        if deliveries.is_empty() {
            let conn = match &mut conn {
                Some(conn) => conn,
                None => match ctx.redis.dedicated(BLOCK + Duration::from_secs(5)).await {
                    Ok(c) => conn.insert(c),
                    Err(e) => {
                        tracing::warn!(job.kind = kind.name(), error = %e, "cannot reach Redis; retrying");
                        drop(permits);
                        pause(&mut shutdown, Duration::from_secs(1)).await;
                        continue;
                    }
                },
            };
            match ctx.queue.fetch(conn, kind, permits.len(), BLOCK).await {
                Ok(fetched) => deliveries = fetched,
                Err(e) => {
                    tracing::warn!(job.kind = kind.name(), error = %e, "could not read jobs; retrying");
                    if e.code() == Some("NOGROUP") {
                        // The stream was deleted (e.g. FLUSHDB): make it and its group again.
                        let _ = ctx.queue.ensure_groups().await;
                    }
                    drop(permits);
                    pause(&mut shutdown, Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        if *shutdown.borrow() {
            // SIGTERM arrived while the read was waiting: these were never started.
            for delivery in &deliveries {
                release(&ctx, delivery).await;
            }
            break;
        }
        for delivery in deliveries {
            let Some(permit) = permits.pop() else { break };
            running
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert((kind, delivery.entry_id.clone()), delivery.clone());
            let (ctx, running) = (ctx.clone(), running.clone());
            tasks.spawn(async move {
                let key = (delivery.kind, delivery.entry_id.clone());
                execute(ctx, delivery).await;
                running.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
                drop(permit);
            });
        }
    }
    // Shutdown: no new jobs; the running ones get the grace period, then are handed back.
    if !tasks.is_empty() {
        tracing::info!(job.kind = kind.name(), running = tasks.len(), "waiting for running jobs to finish");
        let drained =
            tokio::time::timeout(ctx.config.shutdown_grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(
                job.kind = kind.name(),
                abandoned = tasks.len(),
                "grace period over; handing unfinished jobs back"
            );
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
            let abandoned: Vec<Delivery> = {
                let mut running = running.lock().unwrap_or_else(|p| p.into_inner());
                let keys: Vec<_> = running.keys().filter(|(k, _)| *k == kind).cloned().collect();
                keys.iter().filter_map(|key| running.remove(key)).collect()
            };
            for delivery in &abandoned {
                release(&ctx, delivery).await;
            }
        }
    }
}

/// Hands a job that will not run here back to the queue, for another worker at once.
async fn release(ctx: &Context, delivery: &Delivery) {
    match ctx.queue.release(delivery).await {
        Ok(_) => {
            tracing::info!(job.kind = delivery.kind.name(), job.id = %delivery.job_id, "job handed back to the queue");
        }
        Err(e) => tracing::warn!(job.kind = delivery.kind.name(), error = %e,
            "could not hand the job back; another worker takes it after the visibility timeout"),
    }
}

/// Sleeps `for_`, or less when shutdown is signalled (a closed channel is no signal).
async fn pause(shutdown: &mut watch::Receiver<bool>, for_: Duration) {
    let sleep = tokio::time::sleep(for_);
    tokio::pin!(sleep);
    tokio::select! {
        () = &mut sleep => {}
        changed = shutdown.changed() => if changed.is_err() { sleep.await },
    }
}

/// Runs one delivery and settles it. The handler runs in a task of its own, so that a panic
/// counts as a failed attempt and a time-out stops it.
async fn execute(ctx: Arc<Context>, d: Delivery) {
    let policy = ctx.config.policy_of(d.kind);
    let kind = d.kind;
    let now_ms = Utc::now().timestamp_millis();
    if d.attempt > policy.max_attempts {
        let why =
            format!("gave up after {} attempts: the last ones never finished (worker killed or lost)", d.attempt - 1);
        dead_letter(&ctx, &d, &why, Duration::ZERO).await;
        return;
    }
    if d.attempt == 1 {
        metrics::picked_up(kind, Duration::from_millis(u64::try_from(now_ms - d.enqueued_at_ms).unwrap_or(0)));
    }
    metrics::in_flight(kind, 1.0);
    let span = tracing::info_span!("job", job.kind = kind.name(), job.id = %d.job_id, attempt = d.attempt);
    let started = Instant::now();
    let mut handler = {
        let (ctx, d) = (ctx.clone(), d.clone());
        tokio::spawn(async move { handlers::handle(&ctx, &d).await }.instrument(span.clone()))
    };
    let result = match tokio::time::timeout(policy.timeout, &mut handler).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(JobError::Retry(anyhow::anyhow!("the handler panicked: {join}"))),
        Err(_) => {
            handler.abort();
            Err(JobError::Retry(anyhow::anyhow!("timed out after {:?}", policy.timeout)))
        }
    };
    let took = started.elapsed();
    metrics::in_flight(kind, -1.0);
    settle(&ctx, &d, result, took, policy).instrument(span).await;
}

/// Acknowledges, retries or dead-letters an attempt by its result.
async fn settle(ctx: &Context, d: &Delivery, result: JobResult, took: Duration, policy: RetryPolicy) {
    let kind = d.kind;
    match result {
        Ok(()) => {
            if let Err(e) = ctx.queue.ack(d).await {
                tracing::warn!(error = %e, "job done but not acknowledged; it may run again");
            }
            tracing::info!(took_ms = took.as_millis() as u64, "job succeeded");
            metrics::finished(kind, "succeeded", took);
        }
        Err(JobError::Permanent(e)) => dead_letter(ctx, d, &format!("{e:#}"), took).await,
        Err(JobError::Retry(e)) if d.attempt >= policy.max_attempts => {
            dead_letter(ctx, d, &format!("failed {} times; last error: {e:#}", d.attempt), took).await;
        }
        Err(JobError::Retry(e)) => {
            let delay = policy.backoff(d.attempt);
            tracing::warn!(error = %format!("{e:#}"), retry_in_s = delay.as_secs_f64(), "job failed; will retry");
            match ctx.queue.retry_later(d, delay, Utc::now().timestamp_millis()).await {
                Ok(true) => metrics::finished(kind, "retried", took),
                Ok(false) => tracing::info!("another worker took the job over meanwhile; it settles it"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not schedule the retry; the job runs again after the visibility timeout");
                }
            }
        }
    }
}

/// Moves a job to the dead letters and tells Slack (one message per minute at most).
async fn dead_letter(ctx: &Context, d: &Delivery, error: &str, took: Duration) {
    match ctx.queue.bury(d, error, Utc::now().timestamp_millis()).await {
        Ok(Some(dead_id)) => {
            tracing::error!(job.kind = d.kind.name(), job.id = %d.job_id, dead_id = %dead_id, error, "job dead-lettered");
            metrics::finished(d.kind, "dead_lettered", took);
            let text = format!(
                "`{}` job {} failed for good (attempt {}): {error}\nInspect with `resee-worker jobs dead`, retry with `resee-worker jobs requeue {dead_id}`.",
                d.kind.name(),
                d.job_id,
                d.attempt
            );
            if let Err(e) = ctx
                .slack
                .send_throttled(&ctx.redis, "dead-letter", Level::Error, "resee-worker: job dead-lettered", &text)
                .await
            {
                tracing::warn!(error = %e, "could not alert Slack");
            }
        }
        Ok(None) => {
            tracing::info!(job.kind = d.kind.name(), job.id = %d.job_id, "job already settled by another worker");
        }
        Err(e) => {
            tracing::warn!(job.kind = d.kind.name(), error = %e, "could not dead-letter the job; it runs again after the visibility timeout");
        }
    }
}

/// Records `worker id → now` in the heartbeat hash every few seconds.
async fn heartbeat(ctx: Arc<Context>, liveness: Liveness) {
    let key = jobs::heartbeat_key(&ctx.redis);
    loop {
        let now = Utc::now().timestamp();
        let mut conn = ctx.redis.conn.clone();
        let written: redis::RedisResult<i64> =
            redis::cmd("HSET").arg(&key).arg(ctx.queue.consumer()).arg(now).query_async(&mut conn).await;
        if let Err(e) = &written {
            tracing::debug!(error = %e, "heartbeat could not reach Redis");
        }
        liveness.beat(now, written.is_ok());
        // Beats on through the grace period: a draining worker is alive. `run` stops this.
        tokio::time::sleep(HEARTBEAT_EVERY).await;
    }
}

/// Renews the lease of every running job three times per visibility timeout.
async fn renew_leases(ctx: Arc<Context>, running: Running, mut shutdown: watch::Receiver<bool>) {
    let every = (ctx.config.visibility_timeout / 3).max(Duration::from_millis(200));
    loop {
        pause(&mut shutdown, every).await;
        let snapshot: Vec<(JobKind, String)> =
            running.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect();
        for kind in JobKind::ALL {
            let ids: Vec<String> = snapshot.iter().filter(|(k, _)| *k == kind).map(|(_, id)| id.clone()).collect();
            if let Err(e) = ctx.queue.renew(kind, &ids).await {
                tracing::warn!(job.kind = kind.name(), error = %e, "could not renew job leases");
            }
        }
    }
}

/// Moves due retries back into their streams.
async fn promote_retries(queue: Queue, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = queue.promote_due(Utc::now().timestamp_millis()).await {
            tracing::warn!(error = %e, "could not promote due retries");
        }
        pause(&mut shutdown, PROMOTE_EVERY).await;
        if *shutdown.borrow() {
            return;
        }
    }
}
