//! `resee-api`: the HTTP service, a drop-in replacement for the old Django backend.
//!
//! [`build`] turns configuration into an [`App`]; [`App::serve`] runs it on a listener until
//! a shutdown future completes. `main` and the integration tests both go through these, so the
//! tests exercise exactly what production runs (on port 0).

pub mod activity;
pub mod ai;
pub mod alerts;
pub mod config;
pub mod emails;
pub mod error;
pub mod extract;
pub mod fields;
pub mod google;
pub mod i18n;
pub mod idempotency;
pub mod messages;
pub mod middleware;
pub mod pagination;
pub mod probes;
pub mod ratelimit;
pub mod routes;
pub mod session;
pub mod state;
pub mod tokens;
pub mod validation;
pub mod views;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use crate::config::ApiConfig;
use anyhow::Context as _;
use axum::Router;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use resee_core::password::PasswordHasher;
use resee_core::redis::Redis;
use tokio::net::TcpListener;

use crate::google::GoogleVerifier;
use crate::probes::{DbProbe, RedisWatch};
use crate::state::AppState;
use crate::tokens::{RefreshStore, Tokens};

/// A built application, ready to serve.
#[derive(Debug)]
pub struct App {
    state: AppState,
}

/// Connects to Redis and prepares everything the handlers need. The database pool connects
/// lazily: the api starts (and reports unhealthy) while PostgreSQL is still coming up.
pub async fn build(config: ApiConfig) -> anyhow::Result<App> {
    let db = resee_core::db::pool(&config.common).context("DATABASE_URL is not a valid PostgreSQL URL")?;
    build_with_pool(config, db).await
}

/// Like [`build`] with a pool made elsewhere (tests get one database each from `#[sqlx::test]`).
pub async fn build_with_pool(config: ApiConfig, db: sqlx::PgPool) -> anyhow::Result<App> {
    let redis = Redis::connect(&config.common).await.context("cannot connect to Redis (REDIS_URL)")?;
    let state = AppState {
        tokens: Arc::new(Tokens::new(&config.auth)),
        refresh: RefreshStore::new(redis.clone()),
        hasher: PasswordHasher::new(config.password_hash_concurrency),
        google: Arc::new(GoogleVerifier::new(config.google.clone())),
        db_probe: DbProbe::default(),
        redis_watch: RedisWatch::default(),
        metrics: metrics_handle(),
        slack: resee_core::slack::Slack::new(config.common.slack_webhook_url.clone()),
        config: Arc::new(config),
        db,
        redis,
    };
    Ok(App { state })
}

impl App {
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves on `listener` until `shutdown` completes, then finishes in-flight requests.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_probe, probe_stopped) = tokio::sync::watch::channel(false);
        let probe = tokio::spawn(self.state.db_probe.clone().run(self.state.db.clone(), probe_stopped.clone()));
        let watch = tokio::spawn(self.state.redis_watch.clone().run(self.state.redis.clone(), probe_stopped.clone()));
        let upkeep = tokio::spawn(metrics_upkeep(self.state.metrics.clone(), probe_stopped));
        let app = middleware::wrap(router(self.state));
        tracing::info!(addr = %listener.local_addr()?, "resee-api listening");
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await?;
        let _ = stop_probe.send(true);
        probe.await?;
        watch.await?;
        upkeep.await?;
        Ok(())
    }
}

/// The whole HTTP surface with the per-route layers; see [`middleware::wrap`] for the rest.
pub fn router(state: AppState) -> Router {
    let (api, doc) = routes::api();
    let docs: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json", doc).into();
    let docs = docs.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(middleware::DOCS_CSP),
    ));
    middleware::per_route(api, &state).merge(docs).fallback(middleware::not_found).with_state(state)
}

/// The OpenAPI document, as served on `/api/openapi.json` (also written to `docs/openapi.json`).
pub fn openapi_json() -> anyhow::Result<String> {
    Ok(routes::api().1.to_pretty_json()?)
}

/// Folds the samples recorded since the last time into the histograms' buckets every 5 s.
/// Without it they pile up until something scrapes `/metrics` (the soak benchmark found the api
/// growing by ~20 bytes a request with nobody scraping).
async fn metrics_upkeep(handle: PrometheusHandle, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        handle.run_upkeep();
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Metrics go to one process-wide recorder; tests start several apps in one process.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
            let recorder = PrometheusBuilder::new()
                .set_buckets(&buckets)
                .unwrap_or_else(|_| PrometheusBuilder::new())
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
            }
            handle
        })
        .clone()
}
