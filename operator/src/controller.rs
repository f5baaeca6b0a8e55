//! The controller: reconciles each `Resee` by the pipeline read → validate → build (pure, in
//! [`build`]) → server-side apply → status.
//!
//! Children are read from watch caches (one per kind, label `app.kubernetes.io/name=resee`),
//! never fetched: a reconcile only writes, and only what changed. Each applied object carries a
//! hash of what was applied; an object whose hash matches is not sent again, except that every
//! [`REASSERT_EVERY`] a reconcile applies everything, which undoes hand edits.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::jiff::Timestamp;
use kube::api::{DeleteParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Event, EventType, Recorder};
use kube::runtime::reflector::{self, ObjectRef, Store};
use kube::runtime::{WatchStreamExt as _, watcher};
use kube::{Api, Client, Resource, ResourceExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use crate::assess::{self, ComponentView, Observation};
use crate::build::{self, Component};
use crate::crd::{Resee, ReseeStatus};
use crate::observe::{self, Backups, Migration};
use crate::status;

/// The field manager of every apply.
pub const MANAGER: &str = "resee-operator";
/// The hash of what was last applied to a child.
pub const APPLIED_HASH: &str = "resee.dev/applied-hash";
/// The label every child (and every Job the backup CronJob starts) carries.
pub const SELECTOR: &str = "app.kubernetes.io/name=resee";
/// How often a reconcile re-applies unchanged children.
pub const REASSERT_EVERY: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    #[error("the Resee has no namespace")]
    NoNamespace,
    #[error("cannot serialize {0}: {1}")]
    Serialize(String, serde_json::Error),
}

impl Error {
    fn label(&self) -> &'static str {
        match self {
            Self::Kube(_) => "kube",
            Self::NoNamespace => "invalid",
            Self::Serialize(..) => "serialize",
        }
    }
}

/// Read-only caches of the children, filled by watches.
#[derive(Clone, Debug)]
pub struct Stores {
    pub config_maps: Store<ConfigMap>,
    pub deployments: Store<Deployment>,
    pub services: Store<Service>,
    pub jobs: Store<Job>,
    pub cron_jobs: Store<CronJob>,
    pub stateful_sets: Store<StatefulSet>,
    pub ingresses: Store<Ingress>,
}

impl Stores {
    async fn ready(&self) {
        // Err only when a writer is gone, i.e. the controller is stopping.
        let _ = futures::join!(
            self.config_maps.wait_until_ready(),
            self.deployments.wait_until_ready(),
            self.services.wait_until_ready(),
            self.jobs.wait_until_ready(),
            self.cron_jobs.wait_until_ready(),
            self.stateful_sets.wait_until_ready(),
            self.ingresses.wait_until_ready(),
        );
    }
}

/// What the controller remembers of a Resee between reconciles.
#[derive(Debug, Default, Clone, Copy)]
struct Memory {
    failures: u32,
    last_full_apply: Option<Instant>,
}

/// What every reconcile shares.
pub struct Context {
    pub client: Client,
    pub recorder: Recorder,
    pub stores: Stores,
    memory: Mutex<HashMap<ObjectRef<Resee>, Memory>>,
}

impl Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("stores", &self.stores).finish_non_exhaustive()
    }
}

impl Context {
    pub fn new(client: Client, recorder: Recorder, stores: Stores) -> Self {
        Self { client, recorder, stores, memory: Mutex::default() }
    }

    fn remember(&self, key: ObjectRef<Resee>, change: impl FnOnce(&mut Memory)) -> Memory {
        let mut memory = self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = memory.entry(key).or_default();
        change(entry);
        *entry
    }
}

/// Runs the controller until `shutdown` resolves; in-flight reconciles finish first.
pub async fn run(client: Client, namespace: Option<&str>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    fn api<K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>>(client: &Client, ns: Option<&str>) -> Api<K> {
        ns.map_or_else(|| Api::all(client.clone()), |ns| Api::namespaced(client.clone(), ns))
    }
    fn cache<K>(api: Api<K>) -> (Store<K>, impl futures::Stream<Item = Result<K, watcher::Error>> + Send + 'static)
    where
        K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
    {
        let (reader, writer) = reflector::store();
        let stream = reflector::reflector(writer, watcher(api, watcher::Config::default().labels(SELECTOR)))
            .default_backoff()
            .touched_objects();
        (reader, stream)
    }
    let (config_maps, config_map_events) = cache(api::<ConfigMap>(&client, namespace));
    let (deployments, deployment_events) = cache(api::<Deployment>(&client, namespace));
    let (services, service_events) = cache(api::<Service>(&client, namespace));
    let (jobs, job_events) = cache(api::<Job>(&client, namespace));
    let (cron_jobs, cron_job_events) = cache(api::<CronJob>(&client, namespace));
    let (stateful_sets, stateful_set_events) = cache(api::<StatefulSet>(&client, namespace));
    let (ingresses, ingress_events) = cache(api::<Ingress>(&client, namespace));
    let stores = Stores { config_maps, deployments, services, jobs, cron_jobs, stateful_sets, ingresses };
    let recorder = Recorder::new(client.clone(), MANAGER.into());
    let context = Arc::new(Context::new(client.clone(), recorder, stores));

    Controller::new(api::<Resee>(&client, namespace), watcher::Config::default())
        .owns_stream(config_map_events)
        .owns_stream(deployment_events)
        .owns_stream(service_events)
        .owns_stream(cron_job_events)
        .owns_stream(stateful_set_events)
        .owns_stream(ingress_events)
        // Migration Jobs are owned by the Resee, backup Jobs by its CronJob: both carry the
        // instance label, which names the Resee.
        .watches_stream(job_events, |job: Job| {
            let namespace = job.namespace();
            job.labels()
                .get("app.kubernetes.io/instance")
                .cloned()
                .and_then(|name| namespace.map(|ns| ObjectRef::<Resee>::new(&name).within(&ns)))
        })
        .graceful_shutdown_on(shutdown)
        .run(reconcile, error_policy, context)
        .for_each(|result| async move {
            match result {
                Ok((object, _)) => tracing::debug!(resee = %object, "reconciled"),
                Err(e) => tracing::warn!(error = %e, "reconcile failed"),
            }
        })
        .await;
}

/// Reconciles one Resee, with metrics around it.
pub async fn reconcile(resee: Arc<Resee>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let span = tracing::info_span!("reconcile", resee = %resee.name_any(), namespace = ?resee.namespace());
    let result = tracing::Instrument::instrument(reconcile_resee(&resee, &ctx), span).await;
    metrics::histogram!("resee_operator_reconcile_duration_seconds").record(started.elapsed().as_secs_f64());
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("resee_operator_reconciles_total", "outcome" => outcome).increment(1);
    if result.is_ok() {
        ctx.remember(ObjectRef::from_obj(&*resee), |m| m.failures = 0);
    }
    result
}

/// Retries a failed reconcile with exponential backoff: 5 s, 10 s, 20 s ... at most 5 minutes.
#[allow(clippy::needless_pass_by_value, reason = "the signature Controller::run calls")]
pub fn error_policy(resee: Arc<Resee>, error: &Error, ctx: Arc<Context>) -> Action {
    metrics::counter!("resee_operator_reconcile_errors_total", "error" => error.label()).increment(1);
    let memory = ctx.remember(ObjectRef::from_obj(&*resee), |m| m.failures = m.failures.saturating_add(1));
    Action::requeue(backoff(memory.failures))
}

fn backoff(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(6);
    Duration::from_secs(5 * 2u64.pow(exponent)).min(Duration::from_secs(300))
}

async fn reconcile_resee(resee: &Resee, ctx: &Context) -> Result<Action, Error> {
    let ns = resee.namespace().ok_or(Error::NoNamespace)?;
    // Until every cache has listed its objects, the children are unknown: come back soon.
    // (Polled once instead of awaited: a reconcile waiting on the caches could miss its wake-up.)
    if futures::FutureExt::now_or_never(ctx.stores.ready()).is_none() {
        return Ok(Action::requeue(Duration::from_millis(500)));
    }
    let was = resee.status.clone().unwrap_or_default();
    let key = ObjectRef::from_obj(resee);
    let full = ctx.remember(key.clone(), |_| {}).last_full_apply.is_none_or(|at| at.elapsed() >= REASSERT_EVERY);
    let mut run = Run { ctx, resee, ns: &ns, full, changed: Vec::new(), refused: None };

    if resee.spec.paused {
        if let Some(backup) = &resee.spec.backup {
            run.apply(build::backup_cronjob(resee, backup), &ctx.stores.cron_jobs).await?;
        }
        if !status::is_true(&was.conditions, status::RECONCILIATION_PAUSED) {
            run.event(
                EventType::Normal,
                "Paused",
                "spec.paused is set: reconciliation stops, backups are suspended".to_owned(),
            )
            .await;
        }
        run.write_status(&was, assess::paused_status(resee, Timestamp::now())).await?;
        return Ok(Action::await_change());
    }
    if status::is_true(&was.conditions, status::RECONCILIATION_PAUSED) {
        run.event(EventType::Normal, "Resumed", "spec.paused is unset: reconciling again".to_owned()).await;
    }

    let problems = run.check_secrets().await?;
    if !problems.is_empty() {
        let seen = run.observe(problems, Migration::NotStarted, was.version.clone());
        let next = assess::next_status(resee, &seen, Timestamp::now());
        if degraded_message(&next) != degraded_message(&was) {
            run.event(EventType::Warning, "InvalidSpec", seen.problems.join("; ")).await;
        }
        run.write_status(&was, next).await?;
        return Ok(Action::requeue(Duration::from_secs(60)));
    }

    let target = resee.spec.version.clone();
    let mut running = was.version.clone();
    let migration_name = build::migration_name(resee);
    // The Job of the spec's version and api image gates api and worker. (Were it deleted after
    // it succeeded, it runs again: `resee-api migrate` is idempotent.)
    let job = ctx.stores.jobs.get(&ObjectRef::new(&migration_name).within(&ns));
    let migration = match observe::migration(job.as_deref()) {
        // A Job's template is immutable: one that exists is never re-applied.
        Migration::NotStarted => {
            run.apply_always(build::migration_job(resee)).await?;
            run.event(
                EventType::Normal,
                "MigrationStarted",
                format!("Job {migration_name} migrates the database to version {target}"),
            )
            .await;
            Migration::Running
        }
        state => state,
    };
    match &migration {
        Migration::Succeeded if running.as_deref() != Some(target.as_str()) => {
            run.event(
                EventType::Normal,
                "Migrated",
                format!("database migrated to version {target}; rolling api and worker"),
            )
            .await;
            running = Some(target.clone());
        }
        Migration::Failed(why) if degraded_reason(&was) != Some("MigrationFailed") => {
            let old = running.as_deref().unwrap_or("none");
            let message = format!("Job {migration_name} failed ({why}); api and worker stay at version {old}");
            run.event(EventType::Warning, "MigrationFailed", message).await;
        }
        _ => {}
    }

    let desired = build::desired(resee, &target);
    if let Err(error) = run.apply_all(desired, migration == Migration::Succeeded).await {
        // The API server refused an object (e.g. a field that cannot change): say so in the
        // status, then retry with backoff.
        if let Some(refusal) = run.refused.take() {
            let seen = run.observe(vec![refusal.clone()], migration, running);
            let next = assess::next_status(resee, &seen, Timestamp::now());
            if degraded_message(&next) != degraded_message(&was) {
                run.event(EventType::Warning, "ApplyRefused", refusal).await;
            }
            run.write_status(&was, next).await?;
        }
        return Err(error);
    }
    run.delete_unwanted(migration == Migration::Succeeded).await?;
    if !run.changed.is_empty() {
        let note = format!("applied {}", run.changed.join(", "));
        run.event(EventType::Normal, "Applied", note).await;
    }
    ctx.remember(key, |m| {
        if full {
            m.last_full_apply = Some(Instant::now());
        }
    });

    let seen = run.observe(Vec::new(), migration, running);
    let next = assess::next_status(resee, &seen, Timestamp::now());
    let settled = status::is_true(&next.conditions, status::READY);
    run.write_status(&was, next).await?;
    Ok(Action::requeue(if settled { Duration::from_secs(300) } else { Duration::from_secs(30) }))
}

fn degraded(status: &ReseeStatus) -> Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition> {
    status.conditions.iter().find(|c| c.type_ == status::DEGRADED && c.status == "True")
}

fn degraded_reason(status: &ReseeStatus) -> Option<&str> {
    degraded(status).map(|c| c.reason.as_str())
}

fn degraded_message(status: &ReseeStatus) -> Option<&str> {
    degraded(status).map(|c| c.message.as_str())
}

/// The hash of an object as it would be applied (without its own hash annotation).
pub fn applied_hash<K: Serialize>(object: &K) -> Result<String, serde_json::Error> {
    let json = serde_json::to_vec(object)?;
    Ok(hex::encode(&Sha256::digest(&json)[..12]))
}

/// One reconcile of one Resee: what it applied so far.
struct Run<'a> {
    ctx: &'a Context,
    resee: &'a Resee,
    ns: &'a str,
    /// Re-apply unchanged children too.
    full: bool,
    /// `Kind name` of the children this run created or changed.
    changed: Vec<String>,
    /// Why the API server refused an object, when it did.
    refused: Option<String>,
}

impl Run<'_> {
    /// Every desired child. Until the spec's version is `migrated`, api and worker keep the image
    /// they run (and are not created when they do not run yet), and so does the backup CronJob.
    async fn apply_all(&mut self, desired: build::Desired, migrated: bool) -> Result<(), Error> {
        let stores = &self.ctx.stores;
        self.apply(desired.config, &stores.config_maps).await?;
        for service in desired.services {
            self.apply(service, &stores.services).await?;
        }
        if let Some((set, service)) = desired.redis {
            self.apply(set, &stores.stateful_sets).await?;
            self.apply(service, &stores.services).await?;
        }
        let mut worker_image = None;
        for mut deployment in desired.deployments {
            let name = deployment.name_any();
            if !migrated && !name.ends_with("-web") {
                let live = stores.deployments.get(&ObjectRef::new(&name).within(self.ns));
                let Some(image) = live.as_deref().and_then(|d| build::pod_image(d.spec.as_ref().map(|s| &s.template)))
                else {
                    continue;
                };
                build::set_pod_image(deployment.spec.as_mut().map(|s| &mut s.template), &image);
            }
            if name.ends_with("-worker") {
                worker_image = build::pod_image(deployment.spec.as_ref().map(|s| &s.template));
            }
            self.apply(deployment, &stores.deployments).await?;
        }
        if let Some(ingress) = desired.ingress {
            self.apply(ingress, &stores.ingresses).await?;
        }
        if let Some(mut cron_job) = desired.backup {
            if let Some(image) = worker_image.filter(|_| !migrated) {
                let template =
                    cron_job.spec.as_mut().and_then(|s| s.job_template.spec.as_mut()).map(|j| &mut j.template);
                build::set_pod_image(template, &image);
            }
            self.apply(cron_job, &stores.cron_jobs).await?;
        }
        Ok(())
    }

    /// Server-side applies `object` unless the cache shows it applied with the same hash.
    async fn apply<K>(&mut self, object: K, store: &Store<K>) -> Result<(), Error>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()> + Clone + Serialize + DeserializeOwned + Debug,
    {
        let live = store.get(&ObjectRef::new(&object.name_any()).within(self.ns));
        self.apply_unless(object, live.as_deref()).await
    }

    /// Applies `object` whatever the cache says.
    async fn apply_always<K>(&mut self, object: K) -> Result<(), Error>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()> + Clone + Serialize + DeserializeOwned + Debug,
    {
        self.apply_unless(object, None).await
    }

    async fn apply_unless<K>(&mut self, mut object: K, live: Option<&K>) -> Result<(), Error>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()> + Clone + Serialize + DeserializeOwned + Debug,
    {
        let name = object.name_any();
        let kind = K::kind(&()).into_owned();
        let hash = applied_hash(&object).map_err(|e| Error::Serialize(format!("{kind} {name}"), e))?;
        let unchanged = live.is_some_and(|l| l.annotations().get(APPLIED_HASH) == Some(&hash));
        if unchanged && !self.full {
            return Ok(());
        }
        object.annotations_mut().insert(APPLIED_HASH.to_owned(), hash);
        let api: Api<K> = Api::namespaced(self.ctx.client.clone(), self.ns);
        let applied = api.patch(&name, &PatchParams::apply(MANAGER).force(), &Patch::Apply(&object)).await;
        if let Err(kube::Error::Api(status)) = &applied
            && matches!(status.code, 400 | 403 | 422)
        {
            self.refused = Some(format!("the API server refused {kind} {}/{name}: {}", self.ns, status.message));
        }
        applied?;
        metrics::counter!("resee_operator_applied_objects_total", "kind" => kind.clone()).increment(1);
        if !unchanged {
            self.changed.push(format!("{kind} {name}"));
        }
        Ok(())
    }

    /// Deletes `name` if the cache holds it and this Resee owns it.
    async fn delete_owned<K>(&mut self, name: &str, store: &Store<K>) -> Result<(), Error>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()> + Clone + DeserializeOwned + Debug,
    {
        let Some(live) = store.get(&ObjectRef::new(name).within(self.ns)) else { return Ok(()) };
        let uid = self.resee.uid();
        if !live.owner_references().iter().any(|o| Some(&o.uid) == uid.as_ref()) {
            return Ok(());
        }
        let api: Api<K> = Api::namespaced(self.ctx.client.clone(), self.ns);
        match api.delete(name, &DeleteParams::background()).await {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.is_not_found() => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let kind = K::kind(&()).into_owned();
        metrics::counter!("resee_operator_deleted_objects_total", "kind" => kind.clone()).increment(1);
        self.event(EventType::Normal, "Deleted", format!("deleted {kind} {name}: the spec no longer asks for it"))
            .await;
        Ok(())
    }

    /// Children the spec no longer asks for; the old versions' migration Jobs once the
    /// current one succeeded. (A managed Redis's PVC stays: it holds data.)
    async fn delete_unwanted(&mut self, migrated: bool) -> Result<(), Error> {
        let name = self.resee.name_any();
        let stores = &self.ctx.stores;
        if self.resee.spec.ingress.is_none() {
            self.delete_owned(&name, &stores.ingresses).await?;
        }
        if self.resee.spec.backup.is_none() {
            self.delete_owned(&build::name_of(&name, "backup"), &stores.cron_jobs).await?;
        }
        if self.resee.spec.redis.managed.is_none() {
            let redis = build::name_of(&name, "redis");
            self.delete_owned(&redis, &stores.stateful_sets).await?;
            self.delete_owned(&redis, &stores.services).await?;
        }
        if migrated {
            let current = build::migration_name(self.resee);
            let old: Vec<String> = stores
                .jobs
                .state()
                .iter()
                .filter(|job| job.namespace().as_deref() == Some(self.ns))
                .filter(|job| {
                    let labels = job.labels();
                    labels.get("app.kubernetes.io/instance") == Some(&name)
                        && labels.get("app.kubernetes.io/component").map(String::as_str) == Some("migrate")
                })
                .map(|job| job.name_any())
                .filter(|job| *job != current)
                .collect();
            for job in old {
                self.delete_owned(&job, &stores.jobs).await?;
            }
        }
        Ok(())
    }

    /// Every Secret the spec references, and the keys it must hold: what is missing, each with
    /// how to fix it.
    async fn check_secrets(&self) -> Result<Vec<String>, Error> {
        let spec = &self.resee.spec;
        let mut wanted: Vec<(&str, &str, Option<&str>)> =
            vec![("spec.database.secretRef", &spec.database.secret_ref.name, Some(&spec.database.secret_ref.key))];
        if let Some(redis) = &spec.redis.secret_ref {
            wanted.push(("spec.redis.secretRef", &redis.name, Some(&redis.key)));
        }
        wanted.push(("spec.app", &spec.app.name, Some("JWT_SECRET")));
        for (field, secret) in [("spec.smtp", &spec.smtp), ("spec.slack", &spec.slack), ("spec.ai", &spec.ai)] {
            if let Some(secret) = secret {
                wanted.push((field, &secret.name, None));
            }
        }
        if let Some(s3) = spec.backup.as_ref().and_then(|b| b.s3.credentials_secret_ref.as_ref()) {
            wanted.push(("spec.backup.s3.credentialsSecretRef", &s3.name, None));
        }

        let api: Api<Secret> = Api::namespaced(self.ctx.client.clone(), self.ns);
        let mut fetched: BTreeMap<&str, Option<Secret>> = BTreeMap::new();
        let mut problems = Vec::new();
        for (field, name, key) in wanted {
            if !fetched.contains_key(name) {
                fetched.insert(name, api.get_opt(name).await?);
            }
            let ns = self.ns;
            match (fetched.get(name).and_then(Option::as_ref), key) {
                (None, _) => problems.push(format!(
                    "Secret {ns}/{name} (from {field}) does not exist: create it, e.g. `kubectl -n {ns} create secret generic {name}{}`",
                    key.map(|k| format!(" --from-literal={k}=...")).unwrap_or_default()
                )),
                (Some(secret), Some(key)) => {
                    let has = secret.data.as_ref().is_some_and(|d| d.contains_key(key))
                        || secret.string_data.as_ref().is_some_and(|d| d.contains_key(key));
                    if !has {
                        problems.push(format!("Secret {ns}/{name} (from {field}) has no key {key}: add it"));
                    }
                }
                (Some(_), None) => {}
            }
        }
        Ok(problems)
    }

    /// What the caches say about the children.
    fn observe(&self, problems: Vec<String>, migration: Migration, running_version: Option<String>) -> Observation {
        let name = self.resee.name_any();
        let stores = &self.ctx.stores;
        let components = Component::ALL
            .iter()
            .map(|c| {
                let deployment_name = build::name_of(&name, c.name());
                let deployment = stores.deployments.get(&ObjectRef::new(&deployment_name).within(self.ns));
                let replicas = c.spec(self.resee).replicas;
                // One this run just changed has not rolled out, whatever the cache says.
                let changed = self.changed.contains(&format!("Deployment {deployment_name}"));
                let view = ComponentView {
                    status: observe::component(replicas, deployment.as_deref()),
                    rolled_out: !changed && observe::rolled_out(deployment.as_deref()),
                };
                (c.name(), view)
            })
            .collect();
        let redis_ready = self.resee.spec.redis.managed.as_ref().map(|_| {
            let redis = build::name_of(&name, "redis");
            let set = stores.stateful_sets.get(&ObjectRef::new(&redis).within(self.ns));
            !self.changed.contains(&format!("StatefulSet {redis}")) && observe::stateful_set_ready(set.as_deref())
        });
        let backups = match &self.resee.spec.backup {
            None => Backups::default(),
            Some(_) => {
                let cron_job = stores.cron_jobs.get(&ObjectRef::new(&build::name_of(&name, "backup")).within(self.ns));
                let jobs = stores.jobs.state_filter(|job| {
                    let labels = job.labels();
                    job.namespace().as_deref() == Some(self.ns)
                        && labels.get("app.kubernetes.io/instance") == Some(&name)
                        && labels.get("app.kubernetes.io/component").map(String::as_str) == Some("backup")
                });
                let jobs: Vec<&Job> = jobs.iter().map(AsRef::as_ref).collect();
                observe::backups(cron_job.as_deref(), &jobs)
            }
        };
        Observation { problems, migration, running_version, components, redis_ready, backups }
    }

    /// Writes `next` as the status unless it is what the object already says.
    async fn write_status(&self, was: &ReseeStatus, next: ReseeStatus) -> Result<(), Error> {
        if *was == next && self.resee.status.is_some() {
            return Ok(());
        }
        let mut body = serde_json::to_value(&next).map_err(|e| Error::Serialize("status".to_owned(), e))?;
        // A merge patch leaves out what is absent: say `null` to remove a field.
        if let Some(fields) = body.as_object_mut() {
            for field in ["observedGeneration", "version", "url", "components", "backup"] {
                fields.entry(field).or_insert(serde_json::Value::Null);
            }
            if let Some(backup) = fields.get_mut("backup").and_then(serde_json::Value::as_object_mut) {
                for field in ["lastScheduleTime", "lastSuccessfulTime", "lastOutcome"] {
                    backup.entry(field).or_insert(serde_json::Value::Null);
                }
            }
        }
        let api: Api<Resee> = Api::namespaced(self.ctx.client.clone(), self.ns);
        let patch = serde_json::json!({ "status": body });
        api.patch_status(&self.resee.name_any(), &PatchParams::default(), &Patch::Merge(&patch)).await?;
        Ok(())
    }

    /// Publishes an event on the Resee; a failure is logged, never fatal.
    async fn event(&self, type_: EventType, reason: &str, note: String) {
        tracing::info!(reason, note = %note, "event");
        let event = Event {
            type_,
            reason: reason.to_owned(),
            note: Some(truncate(note, 1000)),
            action: "Reconcile".to_owned(),
            secondary: None,
        };
        if let Err(e) = self.ctx.recorder.publish(&event, &self.resee.object_ref(&())).await {
            tracing::warn!(error = %e, reason, "cannot publish an event");
        }
    }
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let steps: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(steps, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn long_event_notes_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("가나다".to_owned(), 4), "가");
        assert_eq!(truncate("short".to_owned(), 10), "short");
    }
}
