//! `resee-worker`: runs background jobs and the scheduler (the Celery + Celery Beat
//! replacement), and inspects the queue.
//!
//! [`Worker::build`] connects and binds; [`Worker::run`] runs the consumers, the scheduler, the
//! outbox relay and the metrics listener until its shutdown future resolves, then gives running
//! jobs their grace period. The binary (`main.rs`) is [`cli`] around it; tests drive it in-process.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use metrics_exporter_prometheus::PrometheusHandle;
use resee_core::jobs::JobKind;
use resee_core::queue::Queue;
use resee_core::redis::Redis;
use resee_core::slack::Slack;
use tokio::sync::watch;

pub mod backup;
pub mod cli;
pub mod config;
pub mod context;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod outbox;
pub mod runner;
pub mod scheduler;

use config::WorkerConfig;
use context::Context;

/// A worker, connected and listening, not yet running jobs.
pub struct Worker {
    ctx: Arc<Context>,
    liveness: metrics::Liveness,
    handle: PrometheusHandle,
    metrics_addr: SocketAddr,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("metrics_addr", &self.metrics_addr).finish_non_exhaustive()
    }
}

impl Worker {
    /// Connects to PostgreSQL and Redis, prepares mail, AI and backups, and binds
    /// `METRICS_ADDR` (`/metrics`, `/healthz`, `/readyz`).
    pub async fn build(config: WorkerConfig) -> anyhow::Result<Self> {
        // Each email being sent holds a connection until the SMTP server accepts it (that is how a
        // redelivered email is never sent twice): the pool always has room for them plus the rest.
        let mut pool_config = config.common.clone();
        let needed = u32::try_from(config.concurrency_of(JobKind::SendEmail)).unwrap_or(u32::MAX).saturating_add(4);
        if pool_config.database_max_connections < needed {
            tracing::info!(
                from = pool_config.database_max_connections,
                to = needed,
                "raising DATABASE_MAX_CONNECTIONS for the email slots"
            );
            pool_config.database_max_connections = needed;
        }
        let db = resee_core::db::pool(&pool_config)?;
        let redis = Redis::connect(&config.common).await.context("cannot reach Redis (REDIS_URL)")?;
        let queue = Queue::new(redis.clone(), consumer_name());
        let (stop, shutdown) = watch::channel(false);
        let liveness = metrics::Liveness::new(redis.clone());
        let handle = metrics::install()?;
        let metrics_addr = metrics::serve(config.metrics_addr, handle.clone(), liveness.clone(), shutdown).await?;
        tracing::info!(metrics = %metrics_addr, consumer = queue.consumer(), "worker started");
        let ctx = Arc::new(Context {
            mailer: mail::Mailer::new(&config)?,
            slack: Slack::new(config.common.slack_webhook_url.clone()),
            ai: resee_core::ai::Ai::from_config(&config.ai),
            backup: match &config.backup {
                Some(settings) => Some(backup::Store::new(settings.clone()).await),
                None => None,
            },
            db,
            redis,
            queue,
            config,
        });
        Ok(Self { ctx, liveness, handle, metrics_addr, stop })
    }

    /// Where `/metrics`, `/healthz` and `/readyz` answer.
    pub fn metrics_addr(&self) -> SocketAddr {
        self.metrics_addr
    }

    /// Runs jobs and the schedules until `shutdown` resolves, then lets running jobs finish
    /// within `SHUTDOWN_GRACE_PERIOD`.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let Self { ctx, liveness, handle, stop, .. } = self;
        let stopped = stop.subscribe();
        let redis = ctx.redis.clone();
        tokio::spawn(outbox::relay(ctx.db.clone(), redis.clone(), stopped.clone()));
        let entries = scheduler::entries(&ctx.config);
        tokio::spawn(scheduler::run(redis, ctx.config.scheduler_tz, entries, stopped.clone()));
        tokio::spawn(metrics::sample_queue(ctx.queue.clone(), handle, Duration::from_secs(5), stopped.clone()));
        let stop = Arc::new(stop);
        let signalled = stop.clone();
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: no new jobs; running ones get the grace period");
            let _ = signalled.send(true);
        });
        runner::run(ctx, liveness, stopped).await?;
        // Held until here: the loops still draining must not see the channel close.
        drop(stop);
        tracing::info!("worker stopped");
        Ok(())
    }
}

/// `<host>-<pid>-<random>`: unique per process, readable in `XINFO CONSUMERS`.
fn consumer_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_owned());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..6])
}
