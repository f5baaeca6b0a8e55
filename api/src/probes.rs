//! Probes of the dependencies: a background check of PostgreSQL and a watch over Redis's
//! outages, read by `/api/health/*` (`routes/health.rs`) and the degradation paths.
//!
//! `/api/health/` must stay cheap under load balancers polling it, so it reads the result of a
//! probe that runs every 500 ms instead of querying per request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use resee_core::redis::Redis;
use sqlx::PgPool;

/// The latest result of the database probe.
#[derive(Debug, Clone, Default)]
pub struct DbProbe {
    up: Arc<AtomicBool>,
    checked_at_ms: Arc<AtomicI64>,
}

const PROBE_EVERY: Duration = Duration::from_millis(500);

impl DbProbe {
    /// True when the last probe succeeded and is at most a second old.
    pub fn is_up(&self) -> bool {
        let age = Utc::now().timestamp_millis() - self.checked_at_ms.load(Ordering::Relaxed);
        self.up.load(Ordering::Relaxed) && age <= 1_000
    }

    /// Probes once now (start-up), then every 500 ms until `shutdown` fires.
    pub async fn run(self, db: PgPool, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            let ok = tokio::time::timeout(Duration::from_millis(900), sqlx::query("SELECT 1").execute(&db))
                .await
                .is_ok_and(|r| r.is_ok());
            self.up.store(ok, Ordering::Relaxed);
            self.checked_at_ms.store(Utc::now().timestamp_millis(), Ordering::Relaxed);
            tokio::select! {
                () = tokio::time::sleep(PROBE_EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

/// Acts on the end of each Redis outage: bumps the review views' cache epoch (see
/// `resee_core::learning_cache`). Until that is done, the cache is not used.
#[derive(Debug, Clone, Default)]
pub struct RedisWatch {
    /// The outage count (`Redis::recoveries`) the epoch was last bumped for.
    handled: Arc<AtomicU64>,
}

impl RedisWatch {
    /// Whether cached review views may be read and written now.
    pub fn cache_usable(&self, redis: &Redis) -> bool {
        redis.is_up() && redis.recoveries() == self.handled.load(Ordering::Relaxed)
    }

    /// Every 500 ms until `shutdown` fires: while Redis is down, pings it (so that its return is
    /// noticed without traffic); after an outage, bumps the cache epoch.
    pub async fn run(self, redis: Redis, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            if !redis.is_up() {
                let mut conn = redis.conn.clone();
                let _: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut conn).await;
            }
            let recoveries = redis.recoveries();
            if recoveries != self.handled.load(Ordering::Relaxed) {
                match resee_core::learning_cache::bump_epoch(&redis).await {
                    Ok(()) => {
                        self.handled.store(recoveries, Ordering::Relaxed);
                        tracing::info!("review views cached before the Redis outage are void");
                    }
                    Err(e) => tracing::debug!(error = %e, "cannot bump the cache epoch yet"),
                }
            }
            tokio::select! {
                () = tokio::time::sleep(PROBE_EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
