//! Typed configuration, loaded once at start-up from the environment.
//!
//! Variables and defaults are the ones of `.env.example`; secrets may also come from
//! `NAME_FILE`. Loading fails fast with a [`ConfigError`] that names the variable at fault.

pub mod ai;
mod env;

use std::str::FromStr;
use std::time::Duration;

pub use env::{ConfigError, Env, Rate, Secret, parse_bool, parse_duration, percent_decode};

/// `APP_ENV`: production turns on Secure cookies and JSON logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Production,
    Development,
}

impl FromStr for AppEnv {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(Self::Production),
            "development" | "dev" => Ok(Self::Development),
            _ => Err("expected production or development".into()),
        }
    }
}

/// Settings every binary needs: where the data lives and how to report.
#[derive(Debug, Clone)]
pub struct CommonConfig {
    pub app_env: AppEnv,
    pub database_url: Secret,
    pub database_max_connections: u32,
    /// The longest wait for a pooled connection (`DATABASE_ACQUIRE_TIMEOUT`, default 2s): beyond
    /// it the request fails (503) instead of hanging while PostgreSQL is down or overloaded.
    pub database_acquire_timeout: Duration,
    pub redis_url: Secret,
    /// Prefix of every Redis key Resee writes (`REDIS_KEY_PREFIX`, default `resee`), so several
    /// deployments (or test runs) can share one Redis.
    pub redis_key_prefix: String,
    /// The longest wait for a Redis answer (`REDIS_TIMEOUT`, default 1s); beyond it the command
    /// fails and Redis counts as down (see `redis`).
    pub redis_timeout: Duration,
    /// The site's origin as users see it, without a trailing slash.
    pub public_url: String,
    /// `RUST_LOG` filter directives.
    pub log_filter: String,
    pub otlp_endpoint: Option<String>,
    /// Slack incoming webhook for alerts; off when unset.
    pub slack_webhook_url: Option<Secret>,
}

impl CommonConfig {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let public_url = env.string_or("PUBLIC_URL", "http://localhost:8000");
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::new("PUBLIC_URL", "must start with http:// or https://"));
        }
        let prefix = env.string_or("REDIS_KEY_PREFIX", "resee");
        if prefix.contains(char::is_whitespace) {
            return Err(ConfigError::new("REDIS_KEY_PREFIX", "must not contain spaces"));
        }
        Ok(Self {
            app_env: env.parse_or("APP_ENV", AppEnv::Production)?,
            database_url: env.required_secret("DATABASE_URL")?,
            database_max_connections: env.parse_or("DATABASE_MAX_CONNECTIONS", 10)?,
            database_acquire_timeout: env.parse_with("DATABASE_ACQUIRE_TIMEOUT", "2s", parse_duration)?,
            redis_url: env.required_secret("REDIS_URL")?,
            redis_key_prefix: prefix,
            redis_timeout: env.parse_with("REDIS_TIMEOUT", "1s", parse_duration)?,
            public_url: public_url.trim_end_matches('/').to_owned(),
            log_filter: env.string_or("RUST_LOG", "info"),
            otlp_endpoint: env.get("OTEL_EXPORTER_OTLP_ENDPOINT").map(str::to_owned),
            slack_webhook_url: env.secret("SLACK_WEBHOOK_URL")?,
        })
    }
}
