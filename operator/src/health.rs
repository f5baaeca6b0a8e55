//! `/metrics` (Prometheus), `/healthz` and `/readyz` on `METRICS_ADDR`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::sync::watch;

/// Installs the process-wide metrics recorder (once).
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
    let recorder = PrometheusBuilder::new().set_buckets(&buckets)?.build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|e| anyhow::anyhow!("metrics recorder: {e}"))?;
    Ok(handle)
}

/// Whether this replica holds the Lease.
#[derive(Debug, Clone, Default)]
pub struct Leading(Arc<AtomicBool>);

impl Leading {
    pub fn set(&self, leading: bool) {
        self.0.store(leading, Ordering::Relaxed);
        metrics::gauge!("resee_operator_leader").set(if leading { 1.0 } else { 0.0 });
    }

    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Clone)]
struct HttpState {
    metrics: PrometheusHandle,
    leading: Leading,
}

/// Serves until `shutdown` turns true; returns the bound address. A standby replica is alive
/// and ready too: `/healthz` says which role it has.
pub async fn serve(
    addr: SocketAddr,
    metrics: PrometheusHandle,
    leading: Leading,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<SocketAddr> {
    let app = Router::new()
        .route("/metrics", get(|State(s): State<HttpState>| async move { s.metrics.render() }))
        .route("/healthz", get(role))
        .route("/readyz", get(role))
        .with_state(HttpState { metrics, leading });
    resee_core::process::serve_metrics(addr, app, shutdown).await
}

async fn role(State(s): State<HttpState>) -> &'static str {
    if s.leading.get() { "ok: leader\n" } else { "ok: standby\n" }
}
