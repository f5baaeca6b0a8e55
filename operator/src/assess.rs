//! What the status of a Resee says, decided from what the reconcile observed: a pure function,
//! so every condition rule is unit-tested.

use std::collections::BTreeMap;

use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt as _;

use crate::build;
use crate::crd::{ComponentStatus, Resee, ReseeStatus};
use crate::observe::{Backups, Finished, Migration};
use crate::status::{self, Observed, Truth};

/// One component as observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentView {
    pub status: ComponentStatus,
    /// Its Deployment has rolled out the current spec with every replica ready.
    pub rolled_out: bool,
}

/// Everything a reconcile learnt about one Resee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// What is wrong with the spec or its Secrets, each saying how to fix it.
    pub problems: Vec<String>,
    /// The migration of `spec.version`.
    pub migration: Migration,
    /// The version api and worker run (`None` before the first migration succeeded).
    pub running_version: Option<String>,
    pub components: BTreeMap<&'static str, ComponentView>,
    /// `None` without managed Redis.
    pub redis_ready: Option<bool>,
    pub backups: Backups,
}

/// The status after a reconcile that could act.
pub fn next_status(resee: &Resee, seen: &Observation, now: Timestamp) -> ReseeStatus {
    let mut next = resee.status.clone().unwrap_or_default();
    let generation = resee.metadata.generation;
    let mut set = |type_, status, reason, message: String| {
        status::set(&mut next.conditions, Observed { type_, status, reason, message }, generation, now);
    };
    set(status::RECONCILIATION_PAUSED, Truth::False, "Reconciling", "the operator reconciles this Resee".to_owned());
    let migration_job = build::migration_name(resee);
    let version = &resee.spec.version;
    let old = seen.running_version.as_deref().unwrap_or("none");
    let not_ready: Vec<String> = seen
        .components
        .iter()
        .filter(|(_, c)| !c.rolled_out)
        .map(|(name, c)| format!("{name} {}/{}", c.status.ready_replicas, c.status.replicas))
        .chain((seen.redis_ready == Some(false)).then(|| "redis 0/1".to_owned()))
        .collect();

    let (degraded, progressing, ready) = if !seen.problems.is_empty() {
        let message = seen.problems.join("; ");
        (
            (Truth::True, "InvalidSpec", message.clone()),
            (Truth::False, "Blocked", "nothing is applied until the spec is fixed".to_owned()),
            (Truth::False, "InvalidSpec", message),
        )
    } else if let Migration::Failed(why) = &seen.migration {
        let message = format!(
            "migration Job {migration_job} for version {version} failed ({why}); api and worker keep running \
             version {old}. See `kubectl logs job/{migration_job}`; delete the Job to retry, or set spec.version \
             back to {old}"
        );
        (
            (Truth::True, "MigrationFailed", message.clone()),
            (Truth::False, "MigrationFailed", "the upgrade stopped at the migration".to_owned()),
            (Truth::False, "MigrationFailed", message),
        )
    } else if seen.migration != Migration::Succeeded {
        let message =
            format!("migrating the database to version {version} (Job {migration_job}); api and worker roll after it");
        (
            (Truth::False, "AsExpected", "no problems found".to_owned()),
            (Truth::True, "Migrating", message.clone()),
            (Truth::False, "Migrating", message),
        )
    } else if !not_ready.is_empty() {
        let message = format!("waiting for ready replicas: {}", not_ready.join(", "));
        (
            (Truth::False, "AsExpected", "no problems found".to_owned()),
            (Truth::True, "RollingOut", message.clone()),
            (Truth::False, "ComponentsNotReady", message),
        )
    } else {
        (
            (Truth::False, "AsExpected", "no problems found".to_owned()),
            (Truth::False, "Complete", format!("version {version} is rolled out")),
            (Truth::True, "AllReady", format!("version {version}: every component is ready")),
        )
    };
    set(status::DEGRADED, degraded.0, degraded.1, degraded.2);
    set(status::PROGRESSING, progressing.0, progressing.1, progressing.2);
    set(status::READY, ready.0, ready.1, ready.2);
    backup_conditions(resee, &seen.backups, &mut next, now);

    next.observed_generation = generation;
    next.version.clone_from(&seen.running_version);
    next.url = Some(build::public_url(resee));
    next.components = seen.components.iter().map(|(name, c)| ((*name).to_owned(), c.status.clone())).collect();
    next.backup = resee.spec.backup.as_ref().map(|_| seen.backups.status.clone());
    next
}

/// The status while `spec.paused` is set: only `ReconciliationPaused` and the backup schedule
/// change; the rest stays as last observed.
pub fn paused_status(resee: &Resee, now: Timestamp) -> ReseeStatus {
    let mut next = resee.status.clone().unwrap_or_default();
    let observed = Observed {
        type_: status::RECONCILIATION_PAUSED,
        status: Truth::True,
        reason: "Paused",
        message: "spec.paused is true: the operator changes nothing and the backup CronJob is suspended".to_owned(),
    };
    status::set(&mut next.conditions, observed, resee.metadata.generation, now);
    let backups = Backups { status: next.backup.clone().unwrap_or_default(), latest: None };
    backup_conditions(resee, &backups, &mut next, now);
    next.observed_generation = resee.metadata.generation;
    next
}

fn backup_conditions(resee: &Resee, backups: &Backups, next: &mut ReseeStatus, now: Timestamp) {
    let generation = resee.metadata.generation;
    let verdict = |status: Truth, reason: &'static str, message: String| -> Observed<'static> {
        Observed { type_: status::LAST_BACKUP_SUCCEEDED, status, reason, message }
    };
    if resee.spec.backup.is_none() {
        let observed = verdict(Truth::Unknown, "NotConfigured", "spec.backup is not set".to_owned());
        status::set(&mut next.conditions, observed, generation, now);
    }
    let scheduled = match &resee.spec.backup {
        None => (Truth::False, "NotConfigured", "spec.backup is not set: no backups are taken".to_owned()),
        Some(_) if resee.spec.paused => {
            (Truth::False, "Suspended", "the Resee is paused, so is its backup CronJob".to_owned())
        }
        Some(b) if b.suspend => (Truth::False, "Suspended", "spec.backup.suspend is true".to_owned()),
        Some(b) => (
            Truth::True,
            "Scheduled",
            format!("CronJob {} runs `{}` in {}", build::name_of(&resee.name_any(), "backup"), b.schedule, b.time_zone),
        ),
    };
    let observed =
        Observed { type_: status::BACKUP_SCHEDULED, status: scheduled.0, reason: scheduled.1, message: scheduled.2 };
    status::set(&mut next.conditions, observed, generation, now);

    // Without a new finished Job (e.g. while paused) the last verdict stands.
    let Some((job, end)) = &backups.latest else {
        let last = next.conditions.iter().find(|c| c.type_ == status::LAST_BACKUP_SUCCEEDED).map(|c| c.reason.as_str());
        if resee.spec.backup.is_some() && matches!(last, None | Some("NotConfigured")) {
            let observed = verdict(Truth::Unknown, "NoBackupYet", "no backup Job has finished yet".to_owned());
            status::set(&mut next.conditions, observed, generation, now);
        }
        return;
    };
    let show = |at: &Option<Timestamp>| at.map_or_else(|| "an unknown time".to_owned(), |t| t.to_string());
    let observed = match end {
        Finished::Succeeded { at } => {
            verdict(Truth::True, "Succeeded", format!("backup Job {job} succeeded at {}", show(at)))
        }
        Finished::Failed { at, why } => verdict(
            Truth::False,
            "Failed",
            format!("backup Job {job} failed at {} ({why}); see `kubectl logs job/{job}`", show(at)),
        ),
    };
    status::set(&mut next.conditions, observed, generation, now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::ReseeSpec;

    fn resee() -> Resee {
        let spec: ReseeSpec = serde_json::from_value(serde_json::json!({
            "version": "1.1.0",
            "database": {"secretRef": {"name": "db", "key": "DATABASE_URL"}},
            "app": {"name": "app"},
            "backup": {"s3": {"bucket": "b"}},
        }))
        .expect("spec");
        let mut resee = Resee::new("r", spec);
        resee.metadata.namespace = Some("ns".to_owned());
        resee.metadata.generation = Some(4);
        resee
    }

    fn seen(migration: Migration, ready: bool) -> Observation {
        let view = |replicas| ComponentView {
            status: ComponentStatus { replicas, ready_replicas: if ready { replicas } else { 0 } },
            rolled_out: ready,
        };
        Observation {
            problems: Vec::new(),
            migration,
            running_version: Some("1.0.0".to_owned()),
            components: BTreeMap::from([("api", view(2)), ("worker", view(1)), ("web", view(2))]),
            redis_ready: Some(ready),
            backups: Backups::default(),
        }
    }

    fn condition<'a>(status: &'a ReseeStatus, type_: &str) -> (&'a str, &'a str, &'a str) {
        let c = status.conditions.iter().find(|c| c.type_ == type_).expect(type_);
        (c.status.as_str(), c.reason.as_str(), c.message.as_str())
    }

    #[test]
    fn ready_when_migrated_and_every_component_is_ready() {
        let mut seen = seen(Migration::Succeeded, true);
        seen.running_version = Some("1.1.0".to_owned());
        let status = next_status(&resee(), &seen, Timestamp::UNIX_EPOCH);
        assert_eq!(condition(&status, status::READY).0, "True");
        assert_eq!(condition(&status, status::DEGRADED).0, "False");
        assert_eq!(condition(&status, status::PROGRESSING).1, "Complete");
        assert_eq!(condition(&status, status::BACKUP_SCHEDULED).0, "True");
        assert_eq!(condition(&status, status::LAST_BACKUP_SUCCEEDED).0, "Unknown");
        assert_eq!(status.observed_generation, Some(4));
        assert_eq!(status.version.as_deref(), Some("1.1.0"));
        assert!(status.conditions.iter().all(|c| c.observed_generation == Some(4)));
    }

    #[test]
    fn a_failed_migration_degrades_and_names_the_old_version() {
        let status = next_status(&resee(), &seen(Migration::Failed("exit 1".to_owned()), true), Timestamp::UNIX_EPOCH);
        let (degraded, reason, message) = condition(&status, status::DEGRADED);
        assert_eq!((degraded, reason), ("True", "MigrationFailed"));
        assert!(
            message.contains("keep running version 1.0.0") && message.contains(&build::migration_name(&resee())),
            "{message}"
        );
        assert_eq!(condition(&status, status::READY).0, "False");
        assert_eq!(status.version.as_deref(), Some("1.0.0"));
    }

    #[test]
    fn migrating_then_rolling_out_is_progress() {
        let status = next_status(&resee(), &seen(Migration::Running, true), Timestamp::UNIX_EPOCH);
        assert_eq!(condition(&status, status::PROGRESSING).1, "Migrating");
        let status = next_status(&resee(), &seen(Migration::Succeeded, false), Timestamp::UNIX_EPOCH);
        let (progressing, reason, message) = condition(&status, status::PROGRESSING);
        assert_eq!((progressing, reason), ("True", "RollingOut"));
        assert_eq!(message, "waiting for ready replicas: api 0/2, web 0/2, worker 0/1, redis 0/1");
    }

    #[test]
    fn problems_block_and_say_what_to_fix() {
        let mut seen = seen(Migration::NotStarted, false);
        seen.problems.push("Secret ns/db does not exist".to_owned());
        let status = next_status(&resee(), &seen, Timestamp::UNIX_EPOCH);
        assert_eq!(condition(&status, status::DEGRADED), ("True", "InvalidSpec", "Secret ns/db does not exist"));
        assert_eq!(condition(&status, status::PROGRESSING).1, "Blocked");
    }

    #[test]
    fn pausing_keeps_the_rest_and_suspends_backups() {
        let mut resee = resee();
        let seen = seen(Migration::Succeeded, true);
        resee.status = Some(next_status(&resee, &seen, Timestamp::UNIX_EPOCH));
        resee.spec.paused = true;
        let status = paused_status(&resee, Timestamp::UNIX_EPOCH);
        assert_eq!(condition(&status, status::RECONCILIATION_PAUSED).0, "True");
        assert_eq!(condition(&status, status::BACKUP_SCHEDULED).1, "Suspended");
        assert_eq!(condition(&status, status::READY), condition(resee.status.as_ref().expect("status"), status::READY));
    }

    #[test]
    fn backups_configured_later_wait_for_their_first_job() {
        let mut resee = resee();
        let backup = resee.spec.backup.take();
        let seen = seen(Migration::Succeeded, true);
        resee.status = Some(next_status(&resee, &seen, Timestamp::UNIX_EPOCH));
        let without = resee.status.as_ref().expect("status");
        assert_eq!(condition(without, status::LAST_BACKUP_SUCCEEDED).1, "NotConfigured");
        resee.spec.backup = backup;
        let status = next_status(&resee, &seen, Timestamp::UNIX_EPOCH);
        assert_eq!(
            condition(&status, status::LAST_BACKUP_SUCCEEDED),
            ("Unknown", "NoBackupYet", "no backup Job has finished yet")
        );
    }

    #[test]
    fn the_latest_backup_sets_its_condition() {
        let mut seen = seen(Migration::Succeeded, true);
        seen.backups.latest =
            Some(("r-backup-1".to_owned(), Finished::Failed { at: None, why: "DeadlineExceeded".to_owned() }));
        let status = next_status(&resee(), &seen, Timestamp::UNIX_EPOCH);
        let (ok, reason, message) = condition(&status, status::LAST_BACKUP_SUCCEEDED);
        assert_eq!((ok, reason), ("False", "Failed"));
        assert!(message.contains("kubectl logs job/r-backup-1"), "{message}");
    }
}
