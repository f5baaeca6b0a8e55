//! Logging and tracing set-up shared by every binary.
//!
//! JSON lines in production, human-readable output in development, and OTLP span export when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Spans carry request and job ids; they must never carry
//! passwords, tokens or note bodies.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

use crate::config::{AppEnv, CommonConfig};

/// Flushes exported spans when dropped; keep it alive for the life of `main`.
#[derive(Debug)]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(e) = provider.shutdown()
        {
            eprintln!("failed to flush traces: {e}");
        }
    }
}

/// Installs the global subscriber for `service` (`resee-api`, `resee-worker`, ...).
pub fn init(service: &'static str, config: &CommonConfig) -> anyhow::Result<TelemetryGuard> {
    init_with(service, config.app_env, &config.log_filter, config.otlp_endpoint.as_deref())
}

/// Like [`init`] for tools that have no full configuration (e.g. `migrate`).
pub fn init_with(
    service: &'static str,
    app_env: AppEnv,
    filter: &str,
    otlp_endpoint: Option<&str>,
) -> anyhow::Result<TelemetryGuard> {
    let filter = EnvFilter::try_new(filter).map_err(|e| anyhow::anyhow!("RUST_LOG is invalid: {e}"))?;
    let fmt = match app_env {
        // Logs go to stderr: stdout is the commands' output (`backup list --json`).
        AppEnv::Production => {
            tracing_subscriber::fmt::layer().json().with_current_span(true).with_writer(std::io::stderr).boxed()
        }
        AppEnv::Development => {
            // Colours only on a terminal: logs redirected to files stay greppable.
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
            tracing_subscriber::fmt::layer().compact().with_ansi(ansi).with_writer(std::io::stderr).boxed()
        }
    };
    let provider = otlp_endpoint.map(|endpoint| otlp_provider(service, endpoint)).transpose()?;
    let otel = provider.as_ref().map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer(service)));
    tracing_subscriber::registry().with(filter).with(fmt).with(otel).try_init()?;
    Ok(TelemetryGuard { provider })
}

fn otlp_provider(service: &'static str, endpoint: &str) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name(service).build())
        .build())
}
