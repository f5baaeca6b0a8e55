//! `resee-operator run`: reconciles `Resee` objects while this replica holds the Lease.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use kube::Api;
use resee_core::config::AppEnv;
use resee_operator::controller;
use resee_operator::health::{self, Leading};
use resee_operator::leader::{Attempt, Elector, LeaseConfig};
use tokio::sync::watch;

#[derive(Debug, Parser)]
#[command(name = "resee-operator", version, about = "Kubernetes operator for the Resee custom resource")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Reconcile Resee objects until SIGTERM/SIGINT (only while holding the leader Lease).
    Run(RunArgs),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Where `/metrics`, `/healthz` and `/readyz` listen.
    #[arg(long, env = "METRICS_ADDR", default_value = "0.0.0.0:9100")]
    metrics_addr: SocketAddr,
    /// Reconcile Resees of this namespace only (all namespaces when unset).
    #[arg(long, env = "WATCH_NAMESPACE")]
    watch_namespace: Option<String>,
    /// The Lease that elects the leader.
    #[arg(long, env = "LEASE_NAME", default_value = "resee-operator")]
    lease_name: String,
    /// The namespace of the Lease (the operator's own).
    #[arg(long, env = "POD_NAMESPACE", default_value = "default")]
    lease_namespace: String,
    /// This replica's name in the Lease (default: the host name and process id).
    #[arg(long, env = "POD_NAME")]
    identity: Option<String>,
    /// How long a Lease stays valid without renewal; the holder renews every third of it.
    #[arg(long, env = "LEASE_DURATION_SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(3..=300))]
    lease_duration_seconds: u64,
    /// `production` (JSON logs) or `development`.
    #[arg(long, env = "APP_ENV", default_value = "production")]
    app_env: AppEnv,
    #[arg(long, env = "RUST_LOG", default_value = "info,kube=warn")]
    log: String,
    /// OTLP/gRPC endpoint for traces (off when unset).
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT")]
    otlp_endpoint: Option<String>,
}

fn main() -> ExitCode {
    resee_core::install_crypto_provider();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => resee_core::process::block_on_main("resee-operator", run(args)),
    }
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let signal = resee_core::process::shutdown_signal();
    let _telemetry =
        resee_core::telemetry::init_with("resee-operator", args.app_env, &args.log, args.otlp_endpoint.as_deref())?;
    let metrics = health::install_metrics()?;
    let leading = Leading::default();
    leading.set(false);
    let (halt, halted) = watch::channel(false);
    let bound = health::serve(args.metrics_addr, metrics, leading.clone(), halted.clone()).await?;
    tracing::info!(%bound, "metrics and health listening");
    let on_signal = halt.clone();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("stopping");
        on_signal.send_replace(true);
    });

    let client = kube::Client::try_default()
        .await
        .context("cannot configure the Kubernetes client (in-cluster service account or KUBECONFIG)")?;
    let identity = args.identity.clone().unwrap_or_else(default_identity);
    let elector = Elector::new(
        Api::namespaced(client.clone(), &args.lease_namespace),
        LeaseConfig {
            name: args.lease_name.clone(),
            identity: identity.clone(),
            duration: Duration::from_secs(args.lease_duration_seconds),
        },
    );
    if !wait_for_lease(&elector, halted.clone()).await {
        return Ok(());
    }
    leading.set(true);
    tracing::info!(%identity, lease = %args.lease_name, "leading: reconciling");

    // The Lease is renewed until the controller has stopped, not merely asked to stop.
    let elector = std::sync::Arc::new(elector);
    let (lost_tx, lost) = watch::channel(false);
    let renewer = tokio::spawn(keep_lease(elector.clone(), halt.clone(), lost_tx));
    let mut stop = halted.clone();
    controller::run(client, args.watch_namespace.as_deref().filter(|ns| !ns.is_empty()), async move {
        let _ = stop.wait_for(|halt| *halt).await;
    })
    .await;
    renewer.abort();
    leading.set(false);
    if *lost.borrow() {
        anyhow::bail!("lost the lease: exiting so that the new leader reconciles alone");
    }
    match tokio::time::timeout(Duration::from_secs(5), elector.release()).await {
        Ok(Ok(())) => tracing::info!("released the lease"),
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot release the lease: the next leader waits for it to expire"),
        Err(_) => tracing::warn!("releasing the lease timed out: the next leader waits for it to expire"),
    }
    Ok(())
}

/// Tries until this replica holds the Lease (true) or the process is told to stop (false).
async fn wait_for_lease(elector: &Elector, mut halted: watch::Receiver<bool>) -> bool {
    let mut last_holder = None;
    let every = elector.config().renew_every();
    loop {
        tokio::select! {
            attempt = tokio::time::timeout(every, elector.try_acquire()) => match attempt {
                Ok(Ok(Attempt::Held)) => return true,
                Ok(Ok(Attempt::HeldBy(holder))) => {
                    if last_holder.as_ref() != Some(&holder) {
                        tracing::info!(%holder, "standing by: another replica holds the lease");
                        last_holder = Some(holder);
                    }
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "cannot read or take the lease"),
                Err(_) => tracing::warn!("the API server did not answer about the lease in time"),
            },
            _ = halted.wait_for(|halt| *halt) => return false,
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = halted.wait_for(|halt| *halt) => return false,
        }
    }
}

/// Renews the Lease every third of its duration until aborted. A renewal must succeed within
/// two thirds of the duration after the last one *started*: otherwise (or when another replica
/// took the Lease) it marks the Lease lost and halts the controller, before the Lease can pass
/// to a standby.
async fn keep_lease(elector: std::sync::Arc<Elector>, halt: watch::Sender<bool>, lost: watch::Sender<bool>) {
    let every = elector.config().renew_every();
    let give_up = elector.config().duration * 2 / 3;
    let mut renewed = Instant::now();
    loop {
        tokio::time::sleep(every).await;
        let started = Instant::now();
        let deadline = renewed + give_up;
        match tokio::time::timeout_at(deadline.into(), elector.try_acquire()).await {
            Ok(Ok(Attempt::Held)) => {
                renewed = started;
                continue;
            }
            Ok(Ok(Attempt::HeldBy(holder))) => tracing::error!(%holder, "another replica took the lease"),
            Ok(Err(e)) if Instant::now() < deadline => {
                tracing::warn!(error = %e, "cannot renew the lease; retrying");
                continue;
            }
            Ok(Err(e)) => tracing::error!(error = %e, "cannot renew the lease in time"),
            Err(_) => tracing::error!("cannot renew the lease in time: the API server did not answer"),
        }
        lost.send_replace(true);
        halt.send_replace(true);
        return;
    }
}

fn default_identity() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "resee-operator".to_owned());
    format!("{host}-{}", std::process::id())
}
