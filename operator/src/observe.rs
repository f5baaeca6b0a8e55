//! Reading the children's state, as pure functions of the objects the caches hold: how far a
//! migration got, how many replicas are ready, how the last backup went.

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::jiff::Timestamp;

use crate::crd::{BackupStatus, ComponentStatus};

/// Where the migration Job of a version stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Migration {
    /// No Job yet.
    NotStarted,
    Running,
    Succeeded,
    /// With what the Job says went wrong.
    Failed(String),
}

/// How a Job ended, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    Succeeded { at: Option<Timestamp> },
    Failed { at: Option<Timestamp>, why: String },
}

/// `Complete` / `Failed` conditions first (what the Job controller writes), then the counters.
pub fn finished(job: &Job) -> Option<Finished> {
    let status = job.status.as_ref()?;
    let conditions = status.conditions.as_deref().unwrap_or_default();
    let holds = |type_: &str| conditions.iter().find(|c| c.type_ == type_ && c.status == "True");
    if let Some(failed) = holds("Failed") {
        let why = failed.message.clone().or_else(|| failed.reason.clone()).unwrap_or_else(|| "failed".to_owned());
        return Some(Finished::Failed { at: failed.last_transition_time.as_ref().map(|t| t.0), why });
    }
    let completed = holds("Complete").is_some() || status.succeeded.unwrap_or(0) >= 1;
    completed.then(|| Finished::Succeeded {
        at: status
            .completion_time
            .as_ref()
            .or_else(|| holds("Complete").and_then(|c| c.last_transition_time.as_ref()))
            .map(|t| t.0),
    })
}

pub fn migration(job: Option<&Job>) -> Migration {
    match job.map(finished) {
        None => Migration::NotStarted,
        Some(None) => Migration::Running,
        Some(Some(Finished::Succeeded { .. })) => Migration::Succeeded,
        Some(Some(Finished::Failed { why, .. })) => Migration::Failed(why),
    }
}

/// Desired and ready replicas of a Deployment (none yet: nothing ready).
pub fn component(desired: i32, deployment: Option<&Deployment>) -> ComponentStatus {
    let ready = deployment.and_then(|d| d.status.as_ref()).and_then(|s| s.ready_replicas).unwrap_or(0);
    ComponentStatus { replicas: desired, ready_replicas: ready }
}

/// A Deployment has rolled out its current spec and all its replicas are ready.
pub fn rolled_out(deployment: Option<&Deployment>) -> bool {
    let Some(d) = deployment else { return false };
    let wanted = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let Some(status) = &d.status else { return wanted == 0 };
    let current = status.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
    let updated = status.updated_replicas.unwrap_or(0);
    // No pods of an older template left (during a surge `replicas` counts them too).
    let only_new = status.replicas.unwrap_or(wanted) <= updated;
    current && only_new && updated >= wanted && status.ready_replicas.unwrap_or(0) >= wanted
}

pub fn stateful_set_ready(set: Option<&StatefulSet>) -> bool {
    set.and_then(|s| s.status.as_ref()).and_then(|s| s.ready_replicas).unwrap_or(0) >= 1
}

/// What the backups did, from the CronJob and the Jobs it started.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Backups {
    pub status: BackupStatus,
    /// The newest finished Job: its name and how it ended.
    pub latest: Option<(String, Finished)>,
}

pub fn backups(cron_job: Option<&CronJob>, jobs: &[&Job]) -> Backups {
    let cron_status = cron_job.and_then(|c| c.status.as_ref());
    let mut done: Vec<(Option<Timestamp>, String, Finished)> = jobs
        .iter()
        .filter_map(|job| {
            let end = finished(job)?;
            let at = match &end {
                Finished::Succeeded { at } | Finished::Failed { at, .. } => *at,
            };
            let started = job.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
            Some((at.or(started), job.metadata.name.clone().unwrap_or_default(), end))
        })
        .collect();
    // Newest last; Jobs without times sort first, then by name (CronJob names grow with time).
    done.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let newest_success =
        done.iter().filter_map(|(at, _, end)| matches!(end, Finished::Succeeded { .. }).then_some(*at).flatten()).max();
    let last_successful = [cron_status.and_then(|s| s.last_successful_time.as_ref()).map(|t| t.0), newest_success]
        .into_iter()
        .flatten()
        .max();
    let latest = done.pop().map(|(_, name, end)| (name, end));
    Backups {
        status: BackupStatus {
            last_schedule_time: cron_status.and_then(|s| s.last_schedule_time.as_ref()).map(|t| t.0.to_string()),
            last_successful_time: last_successful.map(|t| t.to_string()),
            last_outcome: latest.as_ref().map(|(_, end)| match end {
                Finished::Succeeded { .. } => "Succeeded".to_owned(),
                Finished::Failed { .. } => "Failed".to_owned(),
            }),
        },
        latest,
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::{DeploymentSpec, DeploymentStatus};
    use k8s_openapi::api::batch::v1::{CronJobStatus, JobCondition, JobStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("time")
    }

    fn job(name: &str, condition: Option<(&str, i64)>) -> Job {
        Job {
            metadata: ObjectMeta { name: Some(name.to_owned()), ..ObjectMeta::default() },
            status: Some(JobStatus {
                conditions: condition.map(|(type_, second)| {
                    vec![JobCondition {
                        type_: type_.to_owned(),
                        status: "True".to_owned(),
                        message: (type_ == "Failed").then(|| "BackoffLimitExceeded: 2 pods failed".to_owned()),
                        last_transition_time: Some(Time(at(second))),
                        ..JobCondition::default()
                    }]
                }),
                ..JobStatus::default()
            }),
            ..Job::default()
        }
    }

    #[test]
    fn a_migration_runs_until_its_job_completes_or_fails() {
        assert_eq!(migration(None), Migration::NotStarted);
        assert_eq!(migration(Some(&job("m", None))), Migration::Running);
        assert_eq!(migration(Some(&job("m", Some(("Complete", 10))))), Migration::Succeeded);
        assert_eq!(
            migration(Some(&job("m", Some(("Failed", 10))))),
            Migration::Failed("BackoffLimitExceeded: 2 pods failed".to_owned())
        );
        let counted = Job { status: Some(JobStatus { succeeded: Some(1), ..JobStatus::default() }), ..Job::default() };
        assert_eq!(migration(Some(&counted)), Migration::Succeeded, "the counter alone is enough");
    }

    #[test]
    fn rolled_out_needs_the_current_generation_updated_and_ready() {
        let deployment = |generation, observed, updated, ready| Deployment {
            metadata: ObjectMeta { generation: Some(generation), ..ObjectMeta::default() },
            spec: Some(DeploymentSpec { replicas: Some(2), ..DeploymentSpec::default() }),
            status: Some(DeploymentStatus {
                observed_generation: Some(observed),
                updated_replicas: Some(updated),
                ready_replicas: Some(ready),
                ..DeploymentStatus::default()
            }),
        };
        assert!(rolled_out(Some(&deployment(3, 3, 2, 2))));
        assert!(!rolled_out(Some(&deployment(3, 2, 2, 2))), "the new spec is not observed yet");
        assert!(!rolled_out(Some(&deployment(3, 3, 1, 2))), "old pods still serve");
        assert!(!rolled_out(Some(&deployment(3, 3, 2, 1))));
        let mut surging = deployment(3, 3, 2, 2);
        surging.status.as_mut().expect("status").replicas = Some(3);
        assert!(!rolled_out(Some(&surging)), "an old pod is still there");
        assert!(!rolled_out(None));
        assert_eq!(component(2, Some(&deployment(1, 1, 2, 1))).ready_replicas, 1);
    }

    #[test]
    fn the_newest_finished_job_gives_the_outcome() {
        let (ok, failed, running) =
            (job("b-100", Some(("Complete", 100))), job("b-200", Some(("Failed", 200))), job("b-300", None));
        let cron = CronJob {
            status: Some(CronJobStatus {
                last_schedule_time: Some(Time(at(300))),
                last_successful_time: Some(Time(at(50))),
                active: None,
            }),
            ..CronJob::default()
        };
        let seen = backups(Some(&cron), &[&running, &failed, &ok]);
        assert_eq!(seen.status.last_outcome.as_deref(), Some("Failed"));
        assert_eq!(seen.status.last_successful_time, Some(at(100).to_string()), "the newer of CronJob and Jobs");
        assert_eq!(seen.status.last_schedule_time, Some(at(300).to_string()));
        assert!(matches!(seen.latest, Some((ref name, Finished::Failed { .. })) if name == "b-200"));

        let none = backups(None, &[&running]);
        assert_eq!(none, Backups::default(), "a running Job is no outcome yet");
    }
}
