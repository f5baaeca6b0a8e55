//! Leader election through a `coordination.k8s.io/v1` Lease, so that of several operator
//! replicas exactly one reconciles.
//!
//! The holder renews the Lease every third of its duration; another replica takes it over
//! only once the Lease has not changed for a whole duration *by its own clock* (as client-go
//! does: the holder's `renewTime` is never compared with another machine's clock, so clock skew
//! cannot make two leaders), or at once when the holder released it on shutdown. Every write
//! carries the `resourceVersion` it read, so of two replicas racing for an expired Lease the
//! API server lets one win and answers the other 409.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::PostParams;

#[derive(Debug, Clone)]
pub struct LeaseConfig {
    pub name: String,
    pub identity: String,
    pub duration: Duration,
}

impl LeaseConfig {
    /// How often the holder renews, and others retry.
    pub fn renew_every(&self) -> Duration {
        self.duration / 3
    }
}

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// We hold the Lease (acquired or renewed).
    Held,
    /// Someone else does.
    HeldBy(String),
}

#[derive(Debug)]
pub struct Elector {
    api: Api<Lease>,
    config: LeaseConfig,
    /// The Lease record last seen (holder, renew time, resourceVersion) and when, by this
    /// process's monotonic clock.
    seen: Mutex<Option<(String, Instant)>>,
}

impl Elector {
    pub fn new(api: Api<Lease>, config: LeaseConfig) -> Self {
        Self { api, config, seen: Mutex::new(None) }
    }

    /// Notes the record of `lease`; returns how long it has stayed the same.
    fn unchanged_for(&self, lease: &Lease, now: Instant) -> Duration {
        let spec = lease.spec.clone().unwrap_or_default();
        let record = format!(
            "{:?}/{:?}/{:?}",
            spec.holder_identity,
            spec.renew_time.map(|t| t.0),
            lease.metadata.resource_version
        );
        let mut seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match seen.as_ref() {
            Some((last, at)) if *last == record => now.saturating_duration_since(*at),
            _ => {
                *seen = Some((record, now));
                Duration::ZERO
            }
        }
    }

    pub fn config(&self) -> &LeaseConfig {
        &self.config
    }

    /// Acquires, renews or takes over the Lease if that is allowed now.
    pub async fn try_acquire(&self) -> kube::Result<Attempt> {
        let now = Timestamp::now();
        let Some(current) = self.api.get_opt(&self.config.name).await? else {
            let lease = Lease {
                metadata: ObjectMeta { name: Some(self.config.name.clone()), ..ObjectMeta::default() },
                spec: Some(self.spec(now, now, 0)),
            };
            return match self.api.create(&PostParams::default(), &lease).await {
                Ok(_) => Ok(Attempt::Held),
                Err(e) if conflict(&e) => Ok(Attempt::HeldBy("another replica".to_owned())),
                Err(e) => Err(e),
            };
        };
        let spec = current.spec.clone().unwrap_or_default();
        let holder = spec.holder_identity.clone().filter(|h| !h.is_empty());
        let ours = holder.as_deref() == Some(self.config.identity.as_str());
        let duration = Duration::from_secs(u64::try_from(spec.lease_duration_seconds.unwrap_or(15)).unwrap_or(15));
        let unchanged = self.unchanged_for(&current, Instant::now());
        if let Some(other) = holder.as_ref().filter(|_| !ours)
            && unchanged <= duration
        {
            return Ok(Attempt::HeldBy(other.clone()));
        }
        let (acquired, transitions) = if ours {
            (spec.acquire_time.map_or(now, |t| t.0), spec.lease_transitions.unwrap_or(0))
        } else {
            (now, spec.lease_transitions.unwrap_or(0) + 1)
        };
        let mut next = current;
        next.spec = Some(self.spec(acquired, now, transitions));
        match self.api.replace(&self.config.name, &PostParams::default(), &next).await {
            Ok(_) => Ok(Attempt::Held),
            Err(e) if conflict(&e) => Ok(Attempt::HeldBy(holder.unwrap_or_else(|| "another replica".to_owned()))),
            Err(e) => Err(e),
        }
    }

    /// Gives the Lease up (on shutdown), so that a waiting replica takes over at once.
    pub async fn release(&self) -> kube::Result<()> {
        let Some(mut current) = self.api.get_opt(&self.config.name).await? else { return Ok(()) };
        let spec = current.spec.get_or_insert_with(LeaseSpec::default);
        if spec.holder_identity.as_deref() != Some(self.config.identity.as_str()) {
            return Ok(());
        }
        spec.holder_identity = None;
        spec.acquire_time = None;
        spec.renew_time = None;
        match self.api.replace(&self.config.name, &PostParams::default(), &current).await {
            Ok(_) => Ok(()),
            Err(e) if conflict(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn spec(&self, acquired: Timestamp, renewed: Timestamp, transitions: i32) -> LeaseSpec {
        LeaseSpec {
            holder_identity: Some(self.config.identity.clone()),
            lease_duration_seconds: Some(i32::try_from(self.config.duration.as_secs().max(1)).unwrap_or(i32::MAX)),
            acquire_time: Some(MicroTime(acquired)),
            renew_time: Some(MicroTime(renewed)),
            lease_transitions: Some(transitions),
            ..LeaseSpec::default()
        }
    }
}

fn conflict(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.is_conflict() || s.is_already_exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(holder: &str, version: &str) -> Lease {
        Lease {
            metadata: ObjectMeta { resource_version: Some(version.to_owned()), ..ObjectMeta::default() },
            spec: Some(LeaseSpec { holder_identity: Some(holder.to_owned()), ..LeaseSpec::default() }),
        }
    }

    #[tokio::test]
    async fn a_lease_counts_as_unchanged_only_by_this_replicas_clock() {
        let client_config = kube::Config::new("http://127.0.0.1:1".parse().expect("url"));
        let client = kube::Client::try_from(client_config).expect("client");
        let config = LeaseConfig { name: "l".to_owned(), identity: "b".to_owned(), duration: Duration::from_secs(15) };
        let elector = Elector::new(Api::namespaced(client, "default"), config);
        let t0 = Instant::now();
        assert_eq!(elector.unchanged_for(&lease("a", "1"), t0), Duration::ZERO, "first sight");
        let later = t0 + Duration::from_secs(20);
        assert_eq!(elector.unchanged_for(&lease("a", "1"), later), Duration::from_secs(20));
        assert_eq!(elector.unchanged_for(&lease("a", "2"), later), Duration::ZERO, "renewed: the clock restarts");
    }
}
