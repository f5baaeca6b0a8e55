//! Relays the jobs that the api could not send to Redis right after its write committed (Redis
//! was down): see `resee_core::outbox`.

use std::time::Duration;

use resee_core::redis::Redis;
use sqlx::PgPool;
use tokio::sync::watch;

/// How often the outbox is looked at.
const EVERY: Duration = Duration::from_secs(1);
/// Rows younger than this are the api's to relay (it does so right after its commit).
const API_GRACE: Duration = Duration::from_secs(3);
const BATCH: i64 = 200;

/// Relays due outbox rows every second until `shutdown`; a full batch is followed at once by
/// the next.
pub async fn relay(db: PgPool, redis: Redis, mut shutdown: watch::Receiver<bool>) {
    loop {
        let sent = match resee_core::outbox::relay_due(&db, &redis, API_GRACE, BATCH).await {
            Ok(sent) => sent,
            Err(e) => {
                tracing::debug!(error = %e, "outbox relay failed; trying again");
                0
            }
        };
        if sent > 0 {
            metrics::counter!("resee_outbox_relayed_total").increment(sent as u64);
            tracing::info!(jobs = sent, "relayed jobs from the outbox");
        }
        if let Ok(pending) = resee_core::outbox::pending(&db).await {
            metrics::gauge!("resee_outbox_pending").set(pending as f64);
        }
        if i64::try_from(sent).is_ok_and(|n| n >= BATCH) {
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            _ = shutdown.changed() => return,
        }
    }
}
