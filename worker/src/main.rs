//! `resee-worker`: runs background jobs and the scheduler (the Celery + Celery Beat
//! replacement), and inspects the queue.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use resee_core::config::{CommonConfig, Env};
use resee_core::jobs::{self, JobKind, Noop};
use resee_core::queue::Queue;
use resee_core::redis::Redis;
use resee_core::slack::Slack;
use tokio::sync::watch;

mod backup;
mod config;
mod context;
mod handlers;
mod housekeeping;
mod mail;
mod metrics;
mod outbox;
mod reminders;
mod runner;
mod schedule;

use config::WorkerConfig;
use context::Context;

/// Small, short-lived allocations dominate (payloads, Redis replies); mimalloc keeps the
/// resident set small and returns freed memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "resee-worker", version, about = "Resee's background worker")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run jobs and the scheduler until SIGTERM/SIGINT, then finish running jobs.
    Run,
    /// Exit 0 when the worker at METRICS_ADDR answers /healthz (for container health checks).
    Healthcheck,
    /// Inspect and repair the job queue.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Database backups in S3 (S3_BUCKET, S3_PREFIX, S3_ENDPOINT, ... ; see docs/OPERATIONS.md).
    #[command(subcommand)]
    Backup(BackupCommand),
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Back up DATABASE_URL now: pg_dump → zstd → S3 multipart upload, then a manifest with the
    /// SHA-256; prunes old backups afterwards. Exits non-zero, naming the failed step, on failure.
    Run,
    /// The backups of DATABASE_URL's database, newest first.
    List {
        /// One JSON array of manifests instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Download a backup, verify its SHA-256, then pg_restore it into --target-url (default: a
    /// new database named after the backup). Replacing a database that has tables needs
    /// --clean --yes.
    Restore {
        /// The object key (as `backup list` shows it), or `latest`.
        key: String,
        #[arg(long)]
        target_url: Option<String>,
        /// Drop the target's objects before restoring them.
        #[arg(long)]
        clean: bool,
        /// Confirm that the target may be overwritten.
        #[arg(long)]
        yes: bool,
    },
    /// Delete backups older than --days, always keeping the newest --keep-last.
    Prune {
        #[arg(long, env = "BACKUP_RETENTION_DAYS", default_value_t = 30)]
        days: u32,
        #[arg(long, env = "BACKUP_KEEP_LAST", default_value_t = 3)]
        keep_last: usize,
        /// Only show what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// S3 lifecycle rules as a second guard.
    #[command(subcommand)]
    Lifecycle(LifecycleCommand),
}

#[derive(Debug, Subcommand)]
enum LifecycleCommand {
    /// Expire objects under S3_PREFIX after --days and abort incomplete uploads after a day.
    Install {
        /// Keep this above BACKUP_RETENTION_DAYS: prune decides, the rule only catches leftovers.
        #[arg(long, default_value_t = 45)]
        days: i32,
    },
}

#[derive(Debug, Subcommand)]
enum JobsCommand {
    /// Queued, running and delayed jobs per type, and the dead letters.
    Stats,
    /// The newest dead letters.
    Dead {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Put a dead letter back into its queue with a fresh attempt budget.
    Requeue { id: String },
    /// Enqueue a no-op job and wait until a worker has run it.
    Ping {
        #[arg(long, default_value = "10s", value_parser = resee_core::config::parse_duration)]
        timeout: Duration,
    },
}

fn main() -> ExitCode {
    resee_core::install_crypto_provider();
    let cli = Cli::parse();
    resee_core::process::block_on_main("resee-worker", run(cli.command))
}

async fn run(command: Command) -> anyhow::Result<()> {
    let env = Env::from_process();
    match command {
        Command::Run => serve(WorkerConfig::from_env(&env)?).await,
        Command::Healthcheck => {
            let addr = env.parse_or("METRICS_ADDR", std::net::SocketAddr::from(([127, 0, 0, 1], 9100)))?;
            resee_core::process::health_probe(addr, "/healthz").await
        }
        Command::Backup(command) => {
            let common = CommonConfig::from_env(&env)?;
            let _telemetry = resee_core::telemetry::init("resee-worker", &common)?;
            let config = backup::BackupConfig::from_env(&env, common.database_url.clone())?;
            backup_command(backup::Store::new(config).await, &common, command).await
        }
        Command::Jobs(command) => {
            let config = CommonConfig::from_env(&env)?;
            let redis = Redis::connect(&config).await.context("cannot reach Redis (REDIS_URL)")?;
            jobs_command(&Queue::new(redis, "cli"), command).await
        }
    }
}

async fn serve(config: WorkerConfig) -> anyhow::Result<()> {
    let signal = resee_core::process::shutdown_signal();
    let _telemetry = resee_core::telemetry::init("resee-worker", &config.common)?;
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
    let addr = metrics::serve(config.metrics_addr, handle.clone(), liveness.clone(), shutdown.clone()).await?;
    tracing::info!(metrics = %addr, consumer = queue.consumer(), "worker started");
    let ctx = Arc::new(Context {
        mailer: mail::Mailer::new(&config)?,
        slack: Slack::new(config.common.slack_webhook_url.clone()),
        ai: resee_core::ai::Ai::from_config(&config.ai),
        backup: match &config.backup {
            Some(settings) => Some(backup::Store::new(settings.clone()).await),
            None => None,
        },
        db,
        redis: redis.clone(),
        queue: queue.clone(),
        config,
    });
    tokio::spawn(outbox::relay(ctx.db.clone(), redis.clone(), shutdown.clone()));
    tokio::spawn(schedule::run(redis, ctx.config.scheduler_tz, schedule::entries(&ctx.config), shutdown.clone()));
    tokio::spawn(metrics::sample_queue(queue, handle, Duration::from_secs(5), shutdown.clone()));
    let stop = Arc::new(stop);
    let signalled = stop.clone();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("shutting down: no new jobs; running ones get the grace period");
        let _ = signalled.send(true);
    });
    runner::run(ctx, liveness, shutdown).await?;
    // Held until here: the loops still draining must not see the channel close.
    drop(stop);
    tracing::info!("worker stopped");
    Ok(())
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

async fn jobs_command(queue: &Queue, command: JobsCommand) -> anyhow::Result<()> {
    let now_ms = || chrono::Utc::now().timestamp_millis();
    match command {
        JobsCommand::Stats => {
            let mut out = format!("{:<20} {:>8} {:>8} {:>8}\n", "job type", "queued", "running", "delayed");
            for (kind, s) in queue.stats_all().await? {
                out.push_str(&format!("{:<20} {:>8} {:>8} {:>8}\n", kind.name(), s.queued, s.running, s.delayed));
            }
            out.push_str(&format!("dead letters: {}\n", queue.dead_count().await?));
            print!("{out}");
        }
        JobsCommand::Dead { limit } => {
            let dead = queue.dead_letters(limit).await?;
            if dead.is_empty() {
                println!("no dead letters");
            }
            for d in dead {
                let at =
                    chrono::DateTime::from_timestamp_millis(d.failed_at_ms).map(|t| t.to_rfc3339()).unwrap_or_default();
                println!(
                    "{}  {}  job {}  attempts {}  failed {at}\n    {}",
                    d.id, d.kind, d.job_id, d.attempts, d.error
                );
            }
        }
        JobsCommand::Requeue { id } => match queue.requeue(&id, now_ms()).await? {
            Some(kind) => println!("requeued {id} ({kind})"),
            None => anyhow::bail!("no dead letter has the id {id} (see `resee-worker jobs dead`)"),
        },
        JobsCommand::Ping { timeout } => {
            let redis = queue.redis();
            let started = Instant::now();
            let id = jobs::enqueue(redis, &Noop {}).await?;
            let mut conn = redis.conn.clone();
            let stream = jobs::stream_key(redis, JobKind::Noop);
            loop {
                // The entry leaves the stream when a worker acknowledges it.
                let entries: redis::streams::StreamRangeReply =
                    redis::AsyncCommands::xrange_all(&mut conn, &stream).await?;
                if !entries.ids.iter().any(|entry| entry.get::<String>("id").as_deref() == Some(id.as_str())) {
                    println!("pong: job {id} done in {} ms", started.elapsed().as_millis());
                    return Ok(());
                }
                anyhow::ensure!(started.elapsed() < timeout, "no worker ran job {id} within {timeout:?}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    Ok(())
}

async fn backup_command(store: backup::Store, common: &CommonConfig, command: BackupCommand) -> anyhow::Result<()> {
    match command {
        BackupCommand::Run => {
            let db = resee_core::db::pool(common)?;
            let slack = Slack::new(common.slack_webhook_url.clone());
            let m = backup::run_recorded(&store, &db, &slack, resee_core::process::shutdown_signal()).await?;
            println!(
                "backed up to s3://{}/{} ({}, sha256 {})",
                store.config.bucket,
                m.key,
                backup::human_bytes(m.bytes),
                m.sha256
            );
        }
        BackupCommand::List { json } => {
            let backups = store.list(&store.database()).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&backups)?);
            } else if backups.is_empty() {
                println!("no backups under s3://{}/{}", store.config.bucket, store.config.prefix);
            } else {
                println!("{:<56} {:<20} {:>10}  sha256", "key", "time (UTC)", "size");
                for m in backups {
                    let time = m.started_at.format("%Y-%m-%d %H:%M:%S");
                    println!(
                        "{:<56} {time:<20} {:>10}  {}",
                        m.key,
                        backup::human_bytes(m.bytes),
                        &m.sha256[..16.min(m.sha256.len())]
                    );
                }
            }
        }
        BackupCommand::Restore { key, target_url, clean, yes } => {
            backup::restore::run(&store, common.database_url.expose(), &key, target_url, clean, yes).await?;
        }
        BackupCommand::Prune { days, keep_last, dry_run } => {
            let db = resee_core::db::pool(common)?;
            let gone = backup::prune(&store, &db, days, keep_last, dry_run).await?;
            let verb = if dry_run { "would delete" } else { "deleted" };
            for m in &gone {
                println!("{verb} {} ({})", m.key, m.started_at.format("%Y-%m-%d %H:%M:%S UTC"));
            }
            println!(
                "{verb} {} backup(s); kept the newest {keep_last} and everything from the last {days} days",
                gone.len()
            );
        }
        BackupCommand::Lifecycle(LifecycleCommand::Install { days }) => {
            store.install_lifecycle(days).await?;
            println!(
                "lifecycle rule installed on s3://{}/{}/: expire after {days} days, abort unfinished uploads after 1 day",
                store.config.bucket, store.config.prefix
            );
        }
    }
    Ok(())
}
