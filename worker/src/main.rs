//! `resee-worker`: the job runner. For now it only reports the queue; the runner, the scheduler,
//! emails and backups arrive with the worker and backup issues.

use clap::{Parser, Subcommand};
use redis::AsyncCommands as _;
use resee_core::config::{CommonConfig, Env};
use resee_core::jobs::{self, JobKind};
use resee_core::redis::Redis;

#[derive(Debug, Parser)]
#[command(name = "resee-worker", version, about = "Resee's background worker")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Inspect the job queue.
    #[command(subcommand)]
    Jobs(JobsCommand),
}

#[derive(Debug, Subcommand)]
enum JobsCommand {
    /// Number of queued entries per job type.
    Stats,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    resee_core::install_crypto_provider();
    let cli = Cli::parse();
    let config = CommonConfig::from_env(&Env::from_process())?;
    match cli.command {
        Command::Jobs(JobsCommand::Stats) => {
            let redis = Redis::connect(&config).await?;
            let mut conn = redis.conn.clone();
            let mut out = String::from("job type               queued\n");
            for kind in JobKind::ALL {
                let depth: u64 = conn.xlen(jobs::stream_key(&redis, kind)).await?;
                out.push_str(&format!("{:<22} {depth:>6}\n", kind.name()));
            }
            print!("{out}");
        }
    }
    Ok(())
}
