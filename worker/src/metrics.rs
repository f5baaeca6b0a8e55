//! Prometheus metrics and the health endpoints on `METRICS_ADDR` (`/metrics`, `/healthz`,
//! `/readyz`).
//!
//! Gauges of the queue (`resee_jobs_queued`, `_running`, `_delayed`, `resee_jobs_dead`) are
//! sampled from Redis every few seconds and are the same on every worker; the counters and
//! histograms count what this worker did.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use resee_core::jobs::JobKind;
use resee_core::queue::Queue;
use resee_core::redis::Redis;
use tokio::sync::watch;

/// How often the worker's loops beat: `/healthz` counts a beat in the last 30 s as alive, and
/// the api calls a worker gone after 30 s without one.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);

/// The process-wide recorder, installed by the first call (every worker in a process shares it).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = build_recorder()?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

fn build_recorder() -> anyhow::Result<PrometheusHandle> {
    let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0];
    // Pickup latency is the queue's own speed: fine steps where it should be.
    let pickup = [
        0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1,
        0.25, 0.5, 1.0, 5.0, 10.0,
    ];
    let recorder = PrometheusBuilder::new()
        .set_buckets(&buckets)?
        .set_buckets_for_metric(Matcher::Full("resee_job_pickup_latency_seconds".to_owned()), &pickup)?
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|e| anyhow::anyhow!("metrics recorder: {e}"))?;
    Ok(handle)
}

/// When the worker's heartbeat loop last ran and last reached Redis (Unix seconds), and the
/// shared connection's view of Redis, for `/healthz` and `/readyz`.
#[derive(Debug, Clone)]
pub struct Liveness {
    ran: Arc<AtomicI64>,
    reached_redis: Arc<AtomicI64>,
    redis: Redis,
}

impl Liveness {
    pub fn new(redis: Redis) -> Self {
        Self { ran: Arc::default(), reached_redis: Arc::default(), redis }
    }

    /// The loop ran at `now`, and reached Redis or not.
    pub fn beat(&self, now: i64, reached_redis: bool) {
        self.ran.store(now, Ordering::Relaxed);
        if reached_redis {
            self.reached_redis.store(now, Ordering::Relaxed);
        }
    }

    fn alive(&self, now: i64) -> bool {
        now - self.ran.load(Ordering::Relaxed) <= resee_core::jobs::HEARTBEAT_STALE_AFTER_SECS
    }

    /// Redis answered one of the last heartbeats (three beats' time), and no command has found
    /// it unreachable since.
    fn redis_reachable(&self, now: i64) -> bool {
        if !self.redis.is_up() {
            return false;
        }
        let window = i64::try_from(3 * HEARTBEAT_EVERY.as_secs()).unwrap_or(i64::MAX);
        now - self.reached_redis.load(Ordering::Relaxed) <= window
    }
}

#[derive(Clone)]
struct HttpState {
    handle: PrometheusHandle,
    liveness: Liveness,
}

/// Serves `/metrics`, `/healthz` and `/readyz` until `shutdown`; returns the bound address.
pub async fn serve(
    addr: SocketAddr,
    handle: PrometheusHandle,
    liveness: Liveness,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<SocketAddr> {
    let app = Router::new()
        .route("/metrics", get(|State(s): State<HttpState>| async move { s.handle.render() }))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(HttpState { handle, liveness });
    resee_core::process::serve_metrics(addr, app, shutdown).await
}

/// Liveness: 200 while the worker's loops run (a heartbeat in the last 30 s), whether or not
/// Redis answers — restarting the worker does not bring Redis back. The body says which.
async fn healthz(State(s): State<HttpState>) -> (StatusCode, &'static str) {
    let now = chrono::Utc::now().timestamp();
    match (s.liveness.alive(now), s.liveness.redis_reachable(now)) {
        (true, true) => (StatusCode::OK, "ok\nredis: reachable\n"),
        (true, false) => (StatusCode::OK, "ok\nredis: unreachable\n"),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "stale\n"),
    }
}

/// Readiness: 200 only while the loops run and Redis answers (no job can run without it).
async fn readyz(State(s): State<HttpState>) -> (StatusCode, &'static str) {
    let now = chrono::Utc::now().timestamp();
    if s.liveness.alive(now) && s.liveness.redis_reachable(now) {
        (StatusCode::OK, "ready\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready: redis unreachable\n")
    }
}

/// Refreshes the queue gauges from Redis every `every` until `shutdown`, and folds the
/// histograms' samples into their buckets (without it they pile up until `/metrics` is scraped).
pub async fn sample_queue(
    queue: Queue,
    handle: PrometheusHandle,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        handle.run_upkeep();
        match queue.stats_all().await {
            Ok(all) => {
                for (kind, stats) in all {
                    let labels = [("kind", kind.name())];
                    metrics::gauge!("resee_jobs_queued", &labels).set(stats.queued as f64);
                    metrics::gauge!("resee_jobs_running", &labels).set(stats.running as f64);
                    metrics::gauge!("resee_jobs_delayed", &labels).set(stats.delayed as f64);
                }
            }
            Err(e) => tracing::debug!(error = %e, "could not sample the queue"),
        }
        if let Ok(dead) = queue.dead_count().await {
            metrics::gauge!("resee_jobs_dead").set(dead as f64);
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

pub fn tick_fired(schedule: &'static str) {
    metrics::counter!("resee_scheduler_ticks_fired_total", "schedule" => schedule).increment(1);
}

pub fn in_flight(kind: JobKind, delta: f64) {
    metrics::gauge!("resee_jobs_in_flight", "kind" => kind.name()).increment(delta);
}

pub fn picked_up(kind: JobKind, latency: Duration) {
    metrics::histogram!("resee_job_pickup_latency_seconds", "kind" => kind.name()).record(latency.as_secs_f64());
}

/// How an attempt ended: `succeeded`, `retried`, `dead_lettered` (with its duration).
pub fn finished(kind: JobKind, outcome: &'static str, took: Duration) {
    let labels = [("kind", kind.name()), ("outcome", outcome)];
    metrics::counter!("resee_jobs_total", &labels).increment(1);
    metrics::histogram!("resee_job_duration_seconds", &labels).record(took.as_secs_f64());
    if outcome != "succeeded" {
        metrics::counter!("resee_jobs_failed_total", "kind" => kind.name()).increment(1);
    }
}

/// A job taken over from a worker that stopped renewing it.
pub fn redelivered(kind: JobKind) {
    metrics::counter!("resee_jobs_redelivered_total", "kind" => kind.name()).increment(1);
}
