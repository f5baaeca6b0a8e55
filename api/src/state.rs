//! What every handler can reach: configuration, pools, clients. Built once per process.

use std::sync::Arc;

use crate::config::ApiConfig;
use metrics_exporter_prometheus::PrometheusHandle;
use resee_core::password::PasswordHasher;
use resee_core::redis::Redis;
use sqlx::PgPool;

use crate::google::GoogleVerifier;
use crate::probes::{DbProbe, RedisWatch};
use crate::tokens::{RefreshStore, Tokens};

#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<ApiConfig>,
    pub db: PgPool,
    pub redis: Redis,
    pub tokens: Arc<Tokens>,
    pub refresh: RefreshStore,
    pub hasher: PasswordHasher,
    pub google: Arc<GoogleVerifier>,
    pub db_probe: DbProbe,
    pub redis_watch: RedisWatch,
    pub metrics: PrometheusHandle,
    pub slack: resee_core::slack::Slack,
}
