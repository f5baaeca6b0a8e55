//! The `resee-worker` command line: `run`, `healthcheck`, `jobs …` and `backup …`.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use resee_core::config::{CommonConfig, Env};
use resee_core::jobs::{self, JobKind, Noop};
use resee_core::queue::Queue;
use resee_core::redis::Redis;
use resee_core::slack::Slack;

use crate::Worker;
use crate::backup;
use crate::config::WorkerConfig;

#[derive(Debug, Parser)]
#[command(name = "resee-worker", version, about = "Resee's background worker")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
pub enum BackupCommand {
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
pub enum LifecycleCommand {
    /// Expire objects under S3_PREFIX after --days and abort incomplete uploads after a day.
    Install {
        /// Keep this above BACKUP_RETENTION_DAYS: prune decides, the rule only catches leftovers.
        #[arg(long, default_value_t = 45)]
        days: i32,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
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

/// Runs one command of `resee-worker`.
pub async fn run(command: Command) -> anyhow::Result<()> {
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

/// `run`: the worker until SIGTERM/SIGINT.
async fn serve(config: WorkerConfig) -> anyhow::Result<()> {
    // Listening starts before the connections are made: a signal during start-up stops cleanly.
    let signal = resee_core::process::shutdown_signal();
    let _telemetry = resee_core::telemetry::init("resee-worker", &config.common)?;
    Worker::build(config).await?.run(signal).await
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
