//! Cron expressions: when a schedule's ticks fall, and which tick is still due after downtime.

use std::str::FromStr as _;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

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
