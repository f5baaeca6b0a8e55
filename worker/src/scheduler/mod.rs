//! The scheduler (the Celery Beat replacement): cron expressions in one time zone, each tick
//! turned into one job however many workers run.
//!
//! Every second each worker looks at every schedule's latest tick. A tick counts while it is
//! within its schedule's window; the first worker to claim it (`SET NX` on a key per tick, in
//! the same Lua script as the `XADD` of its job, so a crash cannot claim without enqueueing)
//! enqueues the job. After downtime only the latest tick can still be within its window, so a
//! worker starting late runs a missed tick once and never a flood of catch-up runs.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use resee_core::jobs::{self, BackupDatabase, Housekeeping, Job, SendReminders};
use resee_core::redis::Redis;
use tokio::sync::watch;

use crate::config::WorkerConfig;
use crate::metrics;

pub mod cron;

pub use cron::Cron;

/// One schedule: when, for how long a tick stays runnable, and which job it enqueues.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: &'static str,
    pub cron: Cron,
    pub window: Duration,
    pub job: fn(tick: String) -> anyhow::Result<(jobs::JobKind, String)>,
}

fn job_of<J: Job>(job: &J) -> anyhow::Result<(jobs::JobKind, String)> {
    Ok((J::KIND, serde_json::to_string(job)?))
}

/// The schedules the configuration switches on (docs/OPERATIONS.md → Schedules).
pub fn entries(config: &WorkerConfig) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(cron) = &config.reminder_schedule {
        out.push(Entry {
            name: "reminders",
            cron: cron.clone(),
            window: Duration::from_secs(10 * 60),
            job: |tick| job_of(&SendReminders { tick }),
        });
    }
    if let Some(cron) = &config.housekeeping_schedule {
        out.push(Entry {
            name: "housekeeping",
            cron: cron.clone(),
            window: Duration::from_secs(12 * 3600),
            job: |tick| job_of(&Housekeeping { tick }),
        });
    }
    if let Some(cron) = &config.backup_schedule {
        out.push(Entry {
            name: "backup",
            cron: cron.clone(),
            window: Duration::from_secs(6 * 3600),
            job: |tick| job_of(&BackupDatabase { tick }),
        });
    }
    out
}

// KEYS[1] tick key, KEYS[2] stream; ARGV[1] key TTL (s), ARGV[2] job id, ARGV[3] payload,
// ARGV[4] now (ms). 1 when this call claimed the tick and enqueued its job, 0 otherwise.
const FIRE: &str = r"
if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', tonumber(ARGV[1])) then return 0 end
redis.call('XADD', KEYS[2], '*', 'id', ARGV[2], 'payload', ARGV[3], 'enqueued_at', ARGV[4])
return 1
";

/// Claims `tick` of `entry` and enqueues its job; false when another worker already did.
pub async fn fire(redis: &Redis, entry: &Entry, tick: &DateTime<Tz>) -> anyhow::Result<bool> {
    let tick_label = tick.to_rfc3339();
    let (kind, payload) = (entry.job)(tick_label.clone())?;
    let ttl = entry.window.as_secs() + 24 * 3600;
    let mut conn = redis.conn.clone();
    let fired: i64 = redis::Script::new(FIRE)
        .key(redis.key(format!("cron:{}:{}", entry.name, tick.timestamp())))
        .key(jobs::stream_key(redis, kind))
        .arg(ttl)
        .arg(uuid::Uuid::new_v4().to_string())
        .arg(payload)
        .arg(Utc::now().timestamp_millis())
        .invoke_async(&mut conn)
        .await?;
    if fired == 1 {
        tracing::info!(schedule = entry.name, tick = %tick_label, job = kind.name(), "scheduled job enqueued");
        metrics::tick_fired(entry.name);
    }
    Ok(fired == 1)
}

/// Runs the schedules until `shutdown` turns true.
pub async fn run(redis: Redis, tz: Tz, entries: Vec<Entry>, mut shutdown: watch::Receiver<bool>) {
    for entry in &entries {
        tracing::info!(schedule = entry.name, cron = entry.cron.expression(), timezone = %tz, "schedule on");
    }
    // The last tick this worker saw claimed (by itself or another): no Redis call until the next.
    let mut handled: HashMap<&'static str, i64> = HashMap::new();
    loop {
        let now = Utc::now();
        for entry in &entries {
            let Some(tick) = entry.cron.due_tick(tz, now, entry.window) else { continue };
            if handled.get(entry.name) == Some(&tick.timestamp()) {
                continue;
            }
            match fire(&redis, entry, &tick).await {
                Ok(_) => {
                    handled.insert(entry.name, tick.timestamp());
                }
                Err(e) => tracing::warn!(schedule = entry.name, error = %e, "could not fire the tick; trying again"),
            }
        }
        // Wake just after the next whole second.
        let sleep = Duration::from_millis(1000 - u64::from(Utc::now().timestamp_subsec_millis()).min(999) + 5);
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
