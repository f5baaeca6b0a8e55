//! Status conditions, kept the Kubernetes way: one entry per type, `lastTransitionTime` moves
//! only when the status flips, every entry carries the generation it describes.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// The condition types a Resee reports.
pub const READY: &str = "Ready";
pub const PROGRESSING: &str = "Progressing";
pub const DEGRADED: &str = "Degraded";
pub const BACKUP_SCHEDULED: &str = "BackupScheduled";
pub const LAST_BACKUP_SUCCEEDED: &str = "LastBackupSucceeded";
pub const RECONCILIATION_PAUSED: &str = "ReconciliationPaused";

/// A condition's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    /// Not known yet (e.g. no backup has run).
    Unknown,
}

impl Truth {
    fn as_str(self) -> &'static str {
        match self {
            Self::True => "True",
            Self::False => "False",
            Self::Unknown => "Unknown",
        }
    }
}

/// One observation to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed<'a> {
    pub type_: &'a str,
    pub status: Truth,
    /// CamelCase, machine-readable.
    pub reason: &'a str,
    /// What a person should know (and do).
    pub message: String,
}

/// Records `observed` in `conditions` for `generation`.
pub fn set(conditions: &mut Vec<Condition>, observed: Observed<'_>, generation: Option<i64>, now: Timestamp) {
    let status = observed.status.as_str().to_owned();
    let existing = conditions.iter_mut().find(|c| c.type_ == observed.type_);
    match existing {
        Some(c) => {
            if c.status != status {
                c.last_transition_time = Time(now);
            }
            c.status = status;
            c.reason = observed.reason.to_owned();
            c.message = observed.message;
            c.observed_generation = generation;
        }
        None => conditions.push(Condition {
            type_: observed.type_.to_owned(),
            status,
            reason: observed.reason.to_owned(),
            message: observed.message,
            observed_generation: generation,
            last_transition_time: Time(now),
        }),
    }
}

/// Whether the condition `type_` is currently true.
pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    conditions.iter().any(|c| c.type_ == type_ && c.status == "True")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(status: Truth, reason: &str) -> Observed<'_> {
        Observed { type_: READY, status, reason, message: format!("because {reason}") }
    }

    #[test]
    fn transition_time_moves_only_when_the_status_flips() {
        let (t0, t1, t2) = (
            Timestamp::from_second(100).expect("t"),
            Timestamp::from_second(200).expect("t"),
            Timestamp::from_second(300).expect("t"),
        );
        let mut conditions = Vec::new();
        set(&mut conditions, observed(Truth::False, "Deploying"), Some(1), t0);
        set(&mut conditions, observed(Truth::False, "StillDeploying"), Some(2), t1);
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions[0].last_transition_time, Time(t0), "same status: the time stays");
        assert_eq!((conditions[0].reason.as_str(), conditions[0].observed_generation), ("StillDeploying", Some(2)));
        set(&mut conditions, observed(Truth::True, "AllReady"), Some(2), t2);
        assert_eq!(conditions[0].last_transition_time, Time(t2));
        assert!(is_true(&conditions, READY));
        assert!(!is_true(&conditions, DEGRADED));
    }
}
