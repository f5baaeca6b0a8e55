//! Reconcile scenarios against a mocked API server (kube-rs's `tower-test` pattern): the
//! client talks to a `tower_test::mock` service, which this test answers and records. The
//! watch caches are filled by hand, as the watches would fill them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{Request, Response};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::client::Body;
use kube::runtime::controller::Action;
use kube::runtime::events::Recorder;
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher;
use kube::{Client, Resource};
use resee_operator::build;
use resee_operator::controller::{self, Context, Stores};
use resee_operator::crd::{Resee, ReseeStatus};
use serde_json::{Value, json};

const UID: &str = "5b1e7c1a-0000-4000-8000-000000000001";

/// One request the operator made.
#[derive(Debug, Clone)]
struct Call {
    method: String,
    path: String,
    query: String,
    body: Value,
}

impl Call {
    fn is_apply(&self) -> bool {
        self.method == "PATCH" && self.query.contains("fieldManager=resee-operator") && !self.path.ends_with("/status")
    }

    /// `kind/name` of an applied object.
    fn applied(&self) -> String {
        format!(
            "{}/{}",
            self.body["kind"].as_str().unwrap_or("?"),
            self.body["metadata"]["name"].as_str().unwrap_or("?")
        )
    }
}

/// The mocked API server: Secrets it holds, the Resee (for status patches), and every request
/// it saw.
struct Api {
    secrets: Vec<&'static str>,
    resee: Value,
    /// Applies to paths ending with this are refused as invalid (422).
    refuse: Option<&'static str>,
    calls: Arc<Mutex<Vec<Call>>>,
}

type Started = (Client, Arc<Mutex<Vec<Call>>>, tokio::task::JoinHandle<()>);

impl Api {
    fn start(secrets: Vec<&'static str>, resee: &Resee) -> Started {
        Self::start_refusing(secrets, resee, None)
    }

    fn start_refusing(secrets: Vec<&'static str>, resee: &Resee, refuse: Option<&'static str>) -> Started {
        let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let resee = serde_json::to_value(resee).expect("resee");
        let api = Self { secrets, resee, refuse, calls: calls.clone() };
        let server = tokio::spawn(async move {
            while let Some((request, send)) = handle.next_request().await {
                let (status, body) = api.answer(request).await;
                let response = Response::builder().status(status).body(Body::from(body.to_string().into_bytes()));
                send.send_response(response.expect("response"));
            }
        });
        (Client::new(service, "default"), calls, server)
    }

    async fn answer(&self, request: Request<Body>) -> (u16, Value) {
        let method = request.method().to_string();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or_default().to_owned();
        let bytes = request.into_body().collect_bytes().await.expect("body");
        let body: Value =
            if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("json body") };
        self.calls.lock().expect("calls").push(Call {
            method: method.clone(),
            path: path.clone(),
            query,
            body: body.clone(),
        });
        let name = path.rsplit('/').next().unwrap_or_default();
        match method.as_str() {
            "GET" if path.contains("/secrets/") => match self.secrets.iter().find(|s| **s == name) {
                Some(secret) => (
                    200,
                    json!({
                        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": secret, "namespace": "ns"},
                        "data": {"DATABASE_URL": "cG9zdGdyZXM6Ly8=", "JWT_SECRET": "c2VjcmV0"},
                    }),
                ),
                None => (
                    404,
                    json!({
                        "apiVersion": "v1", "kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404,
                        "message": format!("secrets \"{name}\" not found"),
                    }),
                ),
            },
            "DELETE" => (200, json!({"apiVersion": "v1", "kind": "Status", "status": "Success"})),
            "PATCH" if self.refuse.is_some_and(|r| path.ends_with(r)) => (
                422,
                json!({
                    "apiVersion": "v1", "kind": "Status", "status": "Failure", "reason": "Invalid", "code": 422,
                    "message": "StatefulSet.apps \"r-redis\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', ... are forbidden",
                }),
            ),
            "PATCH" if path.ends_with("/status") => {
                let mut resee = self.resee.clone();
                resee["status"] = without_nulls(&body["status"]);
                (200, resee)
            }
            // Applies, status patches and events: echo the object back, as the server would.
            _ => (if method == "POST" { 201 } else { 200 }, body),
        }
    }
}

/// A merge patch's nulls remove fields: the stored object has none of them.
fn without_nulls(patch: &Value) -> Value {
    let mut value = patch.clone();
    if let Some(fields) = value.as_object_mut() {
        fields.retain(|_, v| !v.is_null());
    }
    value
}

fn calls(log: &Arc<Mutex<Vec<Call>>>) -> Vec<Call> {
    log.lock().expect("calls").clone()
}

fn applied(calls: &[Call]) -> Vec<String> {
    let mut names: Vec<String> = calls.iter().filter(|c| c.is_apply()).map(Call::applied).collect();
    names.sort();
    names
}

fn status_patch(calls: &[Call]) -> ReseeStatus {
    let call = calls.iter().rev().find(|c| c.method == "PATCH" && c.path.ends_with("/status")).expect("a status patch");
    serde_json::from_value(without_nulls(&call.body["status"])).expect("a Resee status")
}

fn condition<'a>(status: &'a ReseeStatus, type_: &str) -> (&'a str, &'a str) {
    let c = status.conditions.iter().find(|c| c.type_ == type_).unwrap_or_else(|| panic!("{type_}"));
    (c.status.as_str(), c.reason.as_str())
}

/// Reasons of the events published (the recorder patches a repeated one into a series).
fn events(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.method != "GET" && c.path.contains("/events"))
        .map(|c| c.body["reason"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn resee(spec: &Value) -> Resee {
    let mut resee: Resee = serde_json::from_value(json!({
        "apiVersion": "resee.dev/v1alpha1", "kind": "Resee",
        "metadata": {"name": "r", "namespace": "ns", "uid": UID, "generation": 1},
        "spec": spec,
    }))
    .expect("resee");
    resee.status = None;
    resee
}

fn full_spec() -> Value {
    json!({
        "version": "1.1.0",
        "database": {"secretRef": {"name": "db", "key": "DATABASE_URL"}},
        "app": {"name": "app"},
        "ingress": {"host": "resee.example.com"},
        "backup": {"s3": {"bucket": "b"}},
    })
}

/// A cache that has listed `objects`.
fn cache<K>(objects: &[Value]) -> Store<K>
where
    K: Resource<DynamicType = ()> + Clone + serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
{
    let (reader, mut writer) = reflector::store::<K>();
    writer.apply_watcher_event(&watcher::Event::Init);
    for object in objects.iter().filter(|o| o["kind"] == K::kind(&()).as_ref()) {
        let object: K = serde_json::from_value(object.clone()).expect("a cached object");
        writer.apply_watcher_event(&watcher::Event::InitApply(object));
    }
    writer.apply_watcher_event(&watcher::Event::InitDone);
    reader
}

fn stores(objects: &[Value]) -> Stores {
    Stores {
        config_maps: cache::<ConfigMap>(objects),
        deployments: cache::<Deployment>(objects),
        services: cache::<Service>(objects),
        jobs: cache::<Job>(objects),
        cron_jobs: cache::<CronJob>(objects),
        stateful_sets: cache::<StatefulSet>(objects),
        ingresses: cache::<Ingress>(objects),
    }
}

/// Runs one reconcile; returns its action and the requests it made.
async fn reconcile(resee: &Resee, secrets: Vec<&'static str>, objects: &[Value]) -> (Action, Vec<Call>) {
    let (client, log, server) = Api::start(secrets, resee);
    let ctx = Arc::new(Context::new(client.clone(), Recorder::new(client, "resee-operator".into()), stores(objects)));
    let action = controller::reconcile(Arc::new(resee.clone()), ctx).await.expect("reconcile");
    server.abort();
    (action, calls(&log))
}

/// The objects a cluster would hold after `calls` applied them (as the server echoed them).
fn cluster_after(calls: &[Call]) -> Vec<Value> {
    calls.iter().filter(|c| c.is_apply()).map(|c| c.body.clone()).collect()
}

fn migrated(job: &mut Value) {
    job["status"] = json!({"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]});
}

/// The migration Job of `resee`'s version, succeeded.
fn migrated_job(resee: &Resee) -> Value {
    let mut job = serde_json::to_value(build::migration_job(resee)).expect("job");
    migrated(&mut job);
    job
}

const ALL_SECRETS: [&str; 2] = ["db", "app"];

#[tokio::test]
async fn the_first_reconcile_creates_everything_but_api_and_worker_until_migrated() {
    let (action, calls) = reconcile(&resee(&full_spec()), ALL_SECRETS.to_vec(), &[]).await;
    let job = format!("Job/{}", build::migration_name(&resee(&full_spec())));
    let mut expected = vec![
        "ConfigMap/r-config",
        "CronJob/r-backup",
        "Deployment/r-web",
        "Ingress/r",
        &job,
        "Service/r-api",
        "Service/r-redis",
        "Service/r-web",
        "StatefulSet/r-redis",
    ];
    expected.sort_unstable();
    assert_eq!(applied(&calls), expected);
    for call in calls.iter().filter(|c| c.is_apply()) {
        assert!(call.query.contains("force=true"), "{call:?}");
        assert_eq!(call.body["metadata"]["ownerReferences"][0]["uid"], UID);
        assert!(call.body["metadata"]["annotations"][controller::APPLIED_HASH].is_string());
    }
    let status = status_patch(&calls);
    assert_eq!(condition(&status, "Progressing"), ("True", "Migrating"));
    assert_eq!(condition(&status, "Ready"), ("False", "Migrating"));
    assert_eq!(status.observed_generation, Some(1));
    assert_eq!(status.version, None, "nothing runs yet");
    let patch = calls.iter().rev().find(|c| c.path.ends_with("/status")).expect("status patch");
    for field in ["lastScheduleTime", "lastSuccessfulTime", "lastOutcome"] {
        assert_eq!(patch.body["status"]["backup"].get(field), Some(&Value::Null), "{field} is cleared, not left out");
    }
    assert_eq!(events(&calls), ["MigrationStarted", "Applied"]);
    assert_eq!(action, Action::requeue(Duration::from_secs(30)));

    // The Job succeeds: api and worker follow at the new version.
    let mut cluster = cluster_after(&calls);
    migrated(cluster.iter_mut().find(|o| o["kind"] == "Job").expect("job"));
    let (_, calls) = reconcile(&resee(&full_spec()), ALL_SECRETS.to_vec(), &cluster).await;
    assert_eq!(
        applied(&calls),
        [
            "ConfigMap/r-config",
            "CronJob/r-backup",
            "Deployment/r-api",
            "Deployment/r-web",
            "Deployment/r-worker",
            "Ingress/r",
            "Service/r-api",
            "Service/r-redis",
            "Service/r-web",
            "StatefulSet/r-redis"
        ]
    );
    let api = calls.iter().find(|c| c.is_apply() && c.applied() == "Deployment/r-api").expect("api");
    assert_eq!(api.body["spec"]["template"]["spec"]["containers"][0]["image"], "ghcr.io/resee/resee-api:1.1.0");
    assert_eq!(status_patch(&calls).version.as_deref(), Some("1.1.0"));
    assert!(events(&calls).contains(&"Migrated".to_owned()));
}

#[tokio::test]
async fn a_spec_change_applies_exactly_what_changed() {
    let mut before = resee(&full_spec());
    before.status = Some(ReseeStatus { version: Some("1.1.0".to_owned()), ..ReseeStatus::default() });
    let job = migrated_job(&before);
    let (client, log, server) = Api::start(ALL_SECRETS.to_vec(), &before);
    let recorder = Recorder::new(client.clone(), "resee-operator".into());
    let first = Arc::new(Context::new(client.clone(), recorder.clone(), stores(std::slice::from_ref(&job))));
    controller::reconcile(Arc::new(before.clone()), first).await.expect("first reconcile");
    let mut cluster = cluster_after(&calls(&log));
    cluster.push(job);
    assert_eq!(applied(&calls(&log)).len(), 10, "everything, api and worker included");

    // The same controller (it remembers its last full apply) sees the worker scaled.
    let ctx = Arc::new(Context::new(client.clone(), recorder, stores(&cluster)));
    controller::reconcile(Arc::new(before.clone()), ctx.clone()).await.expect("warm-up");
    log.lock().expect("calls").clear();
    controller::reconcile(Arc::new(before.clone()), ctx.clone()).await.expect("unchanged");
    assert_eq!(applied(&calls(&log)), Vec::<String>::new(), "an unchanged spec applies nothing");

    let mut after = before.clone();
    after.spec.worker.replicas = 3;
    controller::reconcile(Arc::new(after), ctx).await.expect("reconcile");
    server.abort();
    let calls = calls(&log);
    assert_eq!(applied(&calls), ["Deployment/r-worker"]);
    let worker = calls.iter().find(|c| c.is_apply()).expect("apply");
    assert_eq!(worker.body["spec"]["replicas"], 3);
    assert!(calls.iter().all(|c| c.method != "DELETE"));
}

#[tokio::test]
async fn a_paused_resee_only_suspends_its_backups() {
    let mut paused = resee(&full_spec());
    paused.spec.paused = true;
    let (action, calls) = reconcile(&paused, ALL_SECRETS.to_vec(), &[]).await;
    assert_eq!(applied(&calls), ["CronJob/r-backup"]);
    let cron_job = calls.iter().find(|c| c.is_apply()).expect("apply");
    assert_eq!(cron_job.body["spec"]["suspend"], true);
    assert!(calls.iter().all(|c| !c.path.contains("/secrets/")), "a paused Resee is not even validated");
    assert_eq!(condition(&status_patch(&calls), "ReconciliationPaused"), ("True", "Paused"));
    assert_eq!(condition(&status_patch(&calls), "BackupScheduled"), ("False", "Suspended"));
    assert_eq!(events(&calls), ["Paused"]);
    assert_eq!(action, Action::await_change());
}

#[tokio::test]
async fn a_missing_secret_degrades_and_applies_nothing() {
    let (action, calls) = reconcile(&resee(&full_spec()), vec!["app"], &[]).await;
    assert_eq!(applied(&calls), Vec::<String>::new());
    let status = status_patch(&calls);
    let degraded = status.conditions.iter().find(|c| c.type_ == "Degraded").expect("degraded");
    assert_eq!((degraded.status.as_str(), degraded.reason.as_str()), ("True", "InvalidSpec"));
    assert_eq!(
        degraded.message,
        "Secret ns/db (from spec.database.secretRef) does not exist: create it, e.g. `kubectl -n ns create secret generic db --from-literal=DATABASE_URL=...`"
    );
    let event = calls.iter().find(|c| c.path.contains("/events")).expect("an event");
    assert_eq!((event.body["type"].as_str(), event.body["reason"].as_str()), (Some("Warning"), Some("InvalidSpec")));
    assert_eq!(action, Action::requeue(Duration::from_secs(60)), "retried, not a crash loop");
}

#[tokio::test]
async fn a_failed_migration_keeps_the_old_version_and_degrades() {
    let mut upgrading = resee(&full_spec());
    upgrading.status = Some(ReseeStatus { version: Some("1.0.0".to_owned()), ..ReseeStatus::default() });
    let mut job = serde_json::to_value(build::migration_job(&upgrading)).expect("job");
    job["status"] = json!({"failed": 3, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]});
    // api and worker run 1.0.0 (as the operator applied them before the upgrade).
    let mut old = upgrading.clone();
    old.spec.version = "1.0.0".to_owned();
    let running: Vec<Value> = [build::Component::Api, build::Component::Worker]
        .into_iter()
        .map(|c| serde_json::to_value(build::deployment(&old, c, "1.0.0")).expect("deployment"))
        .collect();
    let mut cluster = vec![job];
    cluster.extend(running);
    let (_, calls) = reconcile(&upgrading, ALL_SECRETS.to_vec(), &cluster).await;
    let job = format!("Job/{}", build::migration_name(&upgrading));
    assert!(!applied(&calls).contains(&job), "a failed Job is not re-applied");
    let cron_job = calls.iter().find(|c| c.is_apply() && c.applied() == "CronJob/r-backup").expect("cron job");
    assert_eq!(
        cron_job.body["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/resee/resee-worker:1.0.0",
        "backups keep the running worker too"
    );
    let api = calls.iter().find(|c| c.is_apply() && c.applied() == "Deployment/r-api").expect("api");
    assert_eq!(api.body["spec"]["template"]["spec"]["containers"][0]["image"], "ghcr.io/resee/resee-api:1.0.0");
    let web = calls.iter().find(|c| c.is_apply() && c.applied() == "Deployment/r-web").expect("web");
    assert_eq!(web.body["spec"]["template"]["spec"]["containers"][0]["image"], "ghcr.io/resee/resee-web:1.1.0");
    let status = status_patch(&calls);
    assert_eq!(condition(&status, "Degraded"), ("True", "MigrationFailed"));
    assert_eq!(status.version.as_deref(), Some("1.0.0"));
    assert!(events(&calls).contains(&"MigrationFailed".to_owned()));
}

#[tokio::test]
async fn children_the_spec_drops_are_deleted_and_only_owned_ones() {
    let mut with_all = resee(&full_spec());
    with_all.status = Some(ReseeStatus { version: Some("1.1.0".to_owned()), ..ReseeStatus::default() });
    let job = migrated_job(&with_all);
    let (_, calls) = reconcile(&with_all, ALL_SECRETS.to_vec(), std::slice::from_ref(&job)).await;
    let mut cluster = cluster_after(&calls);
    cluster.push(job);
    // Someone else's CronJob with the name the backup would have is left alone.
    let mut foreign = cluster.iter().find(|o| o["kind"] == "CronJob").expect("cron job").clone();
    foreign["metadata"]["ownerReferences"] = json!([]);
    cluster.retain(|o| o["kind"] != "CronJob");
    cluster.push(foreign);

    let mut spec = full_spec();
    let fields = spec.as_object_mut().expect("spec");
    fields.remove("ingress");
    fields.remove("backup");
    fields.insert("redis".to_owned(), json!({"secretRef": {"name": "db", "key": "DATABASE_URL"}}));
    let mut trimmed = resee(&spec);
    trimmed.status = with_all.status.clone();
    let (_, calls) = reconcile(&trimmed, ALL_SECRETS.to_vec(), &cluster).await;
    let mut deleted: Vec<&str> = calls.iter().filter(|c| c.method == "DELETE").map(|c| c.path.as_str()).collect();
    deleted.sort_unstable();
    assert_eq!(
        deleted,
        [
            "/api/v1/namespaces/ns/services/r-redis",
            "/apis/apps/v1/namespaces/ns/statefulsets/r-redis",
            "/apis/networking.k8s.io/v1/namespaces/ns/ingresses/r",
        ]
    );
    let delete = calls.iter().find(|c| c.method == "DELETE").expect("delete");
    assert_eq!(delete.body["propagationPolicy"], "Background");
    assert_eq!(events(&calls).iter().filter(|e| *e == "Deleted").count(), 3);
    let status = status_patch(&calls);
    assert_eq!(condition(&status, "BackupScheduled"), ("False", "NotConfigured"));
    assert!(status.backup.is_none());
}

#[tokio::test]
async fn an_object_the_api_server_refuses_degrades_with_its_message_and_is_retried() {
    let mut resee = resee(&full_spec());
    resee.status = Some(ReseeStatus { version: Some("1.1.0".to_owned()), ..ReseeStatus::default() });
    let (client, log, server) = Api::start_refusing(ALL_SECRETS.to_vec(), &resee, Some("/statefulsets/r-redis"));
    let recorder = Recorder::new(client.clone(), "resee-operator".into());
    let ctx = Arc::new(Context::new(client, recorder, stores(&[migrated_job(&resee)])));
    let error = controller::reconcile(Arc::new(resee), ctx).await.expect_err("the reconcile fails");
    server.abort();
    assert!(error.to_string().contains("is invalid"), "{error}");
    let calls = calls(&log);
    let status = status_patch(&calls);
    let degraded = status.conditions.iter().find(|c| c.type_ == "Degraded").expect("degraded");
    assert_eq!(degraded.status, "True");
    assert!(
        degraded
            .message
            .starts_with("the API server refused StatefulSet ns/r-redis: StatefulSet.apps \"r-redis\" is invalid"),
        "{}",
        degraded.message
    );
    assert!(events(&calls).contains(&"ApplyRefused".to_owned()));
}

/// `objects` as the cluster would show them once every workload is rolled out and ready.
fn all_ready(objects: &mut [Value]) {
    for object in objects.iter_mut() {
        let replicas = object["spec"]["replicas"].as_i64().unwrap_or(1);
        match object["kind"].as_str() {
            Some("Deployment") => {
                object["metadata"]["generation"] = json!(1);
                object["status"] = json!({"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas});
            }
            Some("StatefulSet") => object["status"] = json!({"replicas": 1, "readyReplicas": 1}),
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_deployment_changed_by_this_reconcile_is_not_ready_whatever_the_cache_says() {
    let mut before = resee(&full_spec());
    before.status = Some(ReseeStatus { version: Some("1.1.0".to_owned()), ..ReseeStatus::default() });
    let job = migrated_job(&before);
    let (_, calls) = reconcile(&before, ALL_SECRETS.to_vec(), std::slice::from_ref(&job)).await;
    let mut cluster = cluster_after(&calls);
    cluster.push(job);
    all_ready(&mut cluster);
    let (_, calls) = reconcile(&before, ALL_SECRETS.to_vec(), &cluster).await;
    assert_eq!(condition(&status_patch(&calls), "Ready"), ("True", "AllReady"));

    // The cache still shows the old worker Deployment, fully ready: the new spec is not.
    let mut scaled = before.clone();
    scaled.spec.worker.replicas = 3;
    let (_, calls) = reconcile(&scaled, ALL_SECRETS.to_vec(), &cluster).await;
    assert!(applied(&calls).contains(&"Deployment/r-worker".to_owned()));
    let status = status_patch(&calls);
    assert_eq!(condition(&status, "Ready"), ("False", "ComponentsNotReady"));
    assert_eq!(condition(&status, "Progressing"), ("True", "RollingOut"));
}
