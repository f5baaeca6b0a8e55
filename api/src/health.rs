//! Health: a background probe of PostgreSQL, and the checks behind `/api/health/*`.
//!
//! `/api/health/` must stay cheap under load balancers polling it, so it reads the result of a
//! probe that runs every 500 ms instead of querying per request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use chrono::Utc;
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
