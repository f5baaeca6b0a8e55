//! The scheduler (the Celery Beat replacement): cron expressions in one time zone, each tick
//! turned into one job however many workers run.
//!
//! Every second each worker looks at every schedule's latest tick. A tick counts while it is
//! within its schedule's window; the first worker to claim it (`SET NX` on a key per tick, in
//! the same Lua script as the `XADD` of its job, so a crash cannot claim without enqueueing)
//! enqueues the job. After downtime only the latest tick can still be within its window, so a
//! worker starting late runs a missed tick once and never a flood of catch-up runs.

use std::collections::HashMap;
use std::str::FromStr as _;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use resee_core::jobs::{self, BackupDatabase, Housekeeping, Job, SendReminders};
use resee_core::redis::Redis;
use tokio::sync::watch;

use crate::config::WorkerConfig;
use crate::metrics;

/// A parsed cron expression: five fields (minute hour day month weekday) or six with seconds
/// first.
#[derive(Debug, Clone)]
pub struct Cron {
    expression: String,
    schedule: cron::Schedule,
}

impl Cron {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let fields = raw.split_whitespace().count();
        let six = match fields {
            5 => format!("0 {raw}"),
            6 => raw.to_owned(),
            n => return Err(format!("`{raw}` has {n} fields; expected 5 (minute hour day month weekday) or 6")),
        };
        // The cron crate numbers weekdays 1-7 from Sunday, Unix cron 0-6: names mean the same in both.
        let weekday = six.split_whitespace().nth(5).unwrap_or("*");
        if weekday.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!("`{raw}`: write weekdays by name (MON-FRI, SUN), not by number"));
        }
        let schedule = cron::Schedule::from_str(&six).map_err(|e| format!("`{raw}` is not a cron expression: {e}"))?;
        Ok(Self { expression: raw.to_owned(), schedule })
    }

    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The latest tick at or before `now`, if it is no older than `window`.
    pub fn due_tick(&self, tz: Tz, now: DateTime<Utc>, window: Duration) -> Option<DateTime<Tz>> {
        let window = TimeDelta::from_std(window).unwrap_or(TimeDelta::MAX);
        // `after` is exclusive: start one second before the window opens.
        let start = (now - window - TimeDelta::seconds(1)).with_timezone(&tz);
        self.schedule.after(&start).take_while(|tick| tick.with_timezone(&Utc) <= now).last()
    }
}

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

/// The schedules the configuration switches on (operations.md → Scheduler).
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("valid")
    }

    #[test]
    fn the_latest_tick_counts_only_within_its_window() {
        let seoul = chrono_tz::Asia::Seoul;
        let backup = Cron::parse("0 3 * * *").expect("valid");
        // 03:00 Seoul = 18:00 UTC the day before.
        let tick = backup.due_tick(seoul, utc(2026, 11, 26, 18, 30, 0), Duration::from_secs(6 * 3600));
        assert_eq!(tick.map(|t| t.with_timezone(&Utc)), Some(utc(2026, 11, 26, 18, 0, 0)));
        // Seven hours late: outside the six-hour window, so nothing to catch up.
        assert_eq!(backup.due_tick(seoul, utc(2026, 11, 27, 1, 0, 0), Duration::from_secs(6 * 3600)), None);
    }

    #[test]
    fn after_downtime_only_the_latest_tick_is_due() {
        let every_five = Cron::parse("*/5 * * * *").expect("valid");
        // Down since 10:01; back at 10:17 with a ten-minute window: 10:15 only (not 10:05, 10:10).
        let tick = every_five.due_tick(chrono_tz::UTC, utc(2026, 11, 26, 10, 17, 0), Duration::from_secs(600));
        assert_eq!(tick.map(|t| t.with_timezone(&Utc)), Some(utc(2026, 11, 26, 10, 15, 0)));
        // Exactly on a tick, the tick itself is due.
        let tick = every_five.due_tick(chrono_tz::UTC, utc(2026, 11, 26, 10, 20, 0), Duration::from_secs(600));
        assert_eq!(tick.map(|t| t.with_timezone(&Utc)), Some(utc(2026, 11, 26, 10, 20, 0)));
    }

    #[test]
    fn expressions_with_and_without_seconds() {
        assert!(Cron::parse("*/2 * * * * *").is_ok());
        assert!(Cron::parse("0 3 * * *").is_ok());
        assert!(Cron::parse("3 am").is_err());
        assert!(Cron::parse("61 * * * *").is_err());
        assert!(Cron::parse("0 9 * * MON-FRI").is_ok());
        assert!(Cron::parse("0 9 * * 1").is_err());
    }
}
