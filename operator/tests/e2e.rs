//! The real `resee-operator` binary against a Kubernetes API emulator (kmock, launched by
//! `tests/kmock_server.py` from the project's virtualenv). The emulator runs no controllers,
//! so this test plays the kubelet: it marks Jobs finished and Deployments ready.
//!
//! Two operator replicas run: A leads and reconciles, B stands by and does nothing until A
//! stops; then B takes the Lease over and carries on.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::events::v1::Event;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Resource, ResourceExt as _};
use resee_operator::crd::Resee;
use serde_json::json;

const NS: &str = "shop";
const WAIT: Duration = Duration::from_secs(30);

/// A child process killed (SIGKILL) when dropped, unless it already exited.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Process {
    /// SIGTERM, then the exit status within 20 s.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.0.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.0.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the operator stops within 20 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn python() -> PathBuf {
    std::env::var("RESEE_PYTHON").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("python3"))
}

/// Starts the emulator; returns it and its URL.
fn emulator() -> (Process, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kmock_server.py");
    let mut child = Command::new(python())
        .arg(&script)
        .args(["--crd", "resee.dev/v1alpha1/resees=Resee"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("the emulator starts (scripts/test.sh installs kmock): {e}"));
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the emulator's first line");
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line}")).to_owned();
    (Process(child), url)
}

fn kubeconfig(dir: &Path, url: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kmock\n  cluster: {{server: \"{url}\"}}\nusers:\n- name: test\n  user: {{}}\ncontexts:\n- name: kmock\n  context: {{cluster: kmock, user: test, namespace: default}}\ncurrent-context: kmock\n"
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// One operator replica watching `namespace` (empty: all, as the chart's default says);
/// `/healthz` and `/metrics` on the returned port.
fn operator(kubeconfig: &Path, name: &str, namespace: &str) -> (Process, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_resee-operator"))
        .arg("run")
        .env("KUBECONFIG", kubeconfig)
        .env("METRICS_ADDR", format!("127.0.0.1:{port}"))
        .env("POD_NAME", name)
        .env("POD_NAMESPACE", "default")
        .env("WATCH_NAMESPACE", namespace)
        .env("LEASE_DURATION_SECONDS", "3")
        .env("APP_ENV", "development")
        .env("RUST_LOG", std::env::var("RESEE_E2E_LOG").unwrap_or_else(|_| "info,kube=warn".to_owned()))
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .spawn()
        .expect("the operator starts");
    (Process(child), port)
}

async fn http_get(port: u16, path: &str) -> Option<String> {
    let response = reqwest::get(format!("http://127.0.0.1:{port}{path}")).await.ok()?;
    response.text().await.ok()
}

/// Polls `check` until it gives `Some`, or fails the test after [`WAIT`].
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn condition(resee: &Resee, type_: &str) -> Option<(String, String, String)> {
    let c = resee.status.as_ref()?.conditions.iter().find(|c| c.type_ == type_)?;
    Some((c.status.clone(), c.reason.clone(), c.message.clone()))
}

async fn wait_condition(resees: &Api<Resee>, name: &str, type_: &str, status: &str, reason: &str) -> Resee {
    eventually(&format!("{name}: {type_}={status} ({reason})"), || async {
        let resee = resees.get_opt(name).await.ok()??;
        let (s, r, _) = condition(&resee, type_)?;
        (s == status && r == reason).then_some(resee)
    })
    .await
}

async fn secret(client: &Client, name: &str, data: serde_json::Value) {
    let secret: Secret = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": NS}, "stringData": data,
    }))
    .expect("secret");
    // The emulator stores stringData as given (no conversion): the operator accepts both.
    Api::<Secret>::namespaced(client.clone(), NS).create(&PostParams::default(), &secret).await.expect("create secret");
}

/// Marks a Job finished the way the Job controller would.
async fn finish_job(client: &Client, name: &str, ok: bool) {
    let condition = if ok {
        json!({"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-30T03:00:30Z"})
    } else {
        json!({"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": "2026-11-30T03:00:30Z"})
    };
    let mut status = json!({"status": {"conditions": [condition], "startTime": "2026-11-30T03:00:00Z"}});
    if ok {
        status["status"]["succeeded"] = json!(1);
        status["status"]["completionTime"] = json!("2026-11-30T03:00:30Z");
    } else {
        status["status"]["failed"] = json!(3);
    }
    Api::<Job>::namespaced(client.clone(), NS)
        .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("job status");
}

/// Marks every replica of a Deployment ready, as the kubelet and the Deployment controller would.
async fn make_ready(client: &Client, name: &str) {
    let api = Api::<Deployment>::namespaced(client.clone(), NS);
    let deployment = api.get(name).await.expect("deployment");
    let replicas = deployment.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let status = json!({"status": {
        "observedGeneration": deployment.metadata.generation,
        "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas,
    }});
    api.patch_status(name, &PatchParams::default(), &Patch::Merge(&status)).await.expect("deployment status");
}

fn image(deployment: &Deployment) -> String {
    deployment
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|p| p.containers[0].image.clone())
        .unwrap_or_default()
}

async fn exists<K>(client: &Client, name: &str) -> Option<K>
where
    K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    Api::<K>::namespaced(client.clone(), NS).get_opt(name).await.ok().flatten()
}

async fn metric(port: u16, name: &str) -> f64 {
    let text = http_get(port, "/metrics").await.unwrap_or_default();
    text.lines().filter(|l| l.starts_with(name)).filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_runs_a_resee_end_to_end_with_a_standby_replica() {
    resee_core::install_crypto_provider();
    let dir = std::env::temp_dir().join(format!("resee-operator-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (_emulator, url) = emulator();
    let config_path = kubeconfig(&dir, &url);
    let config = kube::Config::from_custom_kubeconfig(
        Kubeconfig::read_from(&config_path).expect("kubeconfig"),
        &KubeConfigOptions::default(),
    )
    .await
    .expect("config");
    let client = Client::try_from(config).expect("client");
    let resees: Api<Resee> = Api::namespaced(client.clone(), NS);

    // Replica A leads; B, started after it, stands by.
    // A watches every namespace; B only the Resees' own.
    let (mut a, a_port) = operator(&config_path, "operator-a", "");
    eventually("A leads", || async { http_get(a_port, "/healthz").await.filter(|t| t.contains("leader")) }).await;
    let (mut b, b_port) = operator(&config_path, "operator-b", NS);
    eventually("B stands by", || async { http_get(b_port, "/healthz").await.filter(|t| t.contains("standby")) }).await;

    secret(&client, "resee-database", json!({"DATABASE_URL": "postgres://resee@db/resee"})).await;
    secret(&client, "resee-app", json!({"JWT_SECRET": "x".repeat(40)})).await;
    secret(&client, "resee-s3", json!({"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"})).await;
    let resee: Resee = serde_json::from_value(json!({
        "apiVersion": "resee.dev/v1alpha1", "kind": "Resee",
        "metadata": {"name": "resee", "namespace": NS},
        "spec": {
            "version": "1.0.0",
            "database": {"secretRef": {"name": "resee-database", "key": "DATABASE_URL"}},
            "app": {"name": "resee-app"},
            "ingress": {"host": "resee.example.com", "tlsSecretName": "resee-tls"},
            "backup": {"s3": {"bucket": "backups", "credentialsSecretRef": {"name": "resee-s3"}}},
        },
    }))
    .expect("resee");
    let created = resees.create(&PostParams::default(), &resee).await.expect("create the Resee");
    let uid = created.uid().expect("uid");

    // First reconcile: everything but api and worker, which wait for the migration.
    let migrating = wait_condition(&resees, "resee", "Progressing", "True", "Migrating").await;
    assert_eq!(migrating.status.as_ref().and_then(|s| s.url.as_deref()), Some("https://resee.example.com"));
    let cron_job: CronJob = eventually("the backup CronJob", || exists::<CronJob>(&client, "resee-backup")).await;
    assert_eq!(cron_job.spec.as_ref().and_then(|s| s.concurrency_policy.as_deref()), Some("Forbid"));
    assert!(exists::<ConfigMap>(&client, "resee-config").await.is_some());
    for service in ["resee-api", "resee-web", "resee-redis"] {
        assert!(exists::<Service>(&client, service).await.is_some(), "Service {service}");
    }
    assert!(exists::<StatefulSet>(&client, "resee-redis").await.is_some());
    assert!(exists::<Ingress>(&client, "resee").await.is_some());
    assert!(exists::<Deployment>(&client, "resee-web").await.is_some());
    let first_migration = resee_operator::build::migration_name(&resee);
    let job: Job = eventually("the migration Job", || exists::<Job>(&client, &first_migration)).await;
    let owner = &job.owner_references()[0];
    assert_eq!((owner.kind.as_str(), owner.uid.as_str(), owner.controller), ("Resee", uid.as_str(), Some(true)));
    assert!(exists::<Deployment>(&client, "resee-api").await.is_none(), "api waits for the migration");

    // The migration succeeds: api and worker start at 1.0.0.
    finish_job(&client, &first_migration, true).await;
    let api: Deployment = eventually("the api Deployment", || exists::<Deployment>(&client, "resee-api")).await;
    assert_eq!(image(&api), "ghcr.io/resee/resee-api:1.0.0");
    eventually("the worker Deployment", || exists::<Deployment>(&client, "resee-worker")).await;
    for name in ["resee-api", "resee-worker", "resee-web"] {
        make_ready(&client, name).await;
    }
    let redis = json!({"status": {"replicas": 1, "readyReplicas": 1}});
    Api::<StatefulSet>::namespaced(client.clone(), NS)
        .patch_status("resee-redis", &PatchParams::default(), &Patch::Merge(&redis))
        .await
        .expect("redis status");
    let ready = wait_condition(&resees, "resee", "Ready", "True", "AllReady").await;
    let status = ready.status.expect("status");
    assert_eq!(status.version.as_deref(), Some("1.0.0"));
    assert_eq!(status.components["api"].ready_replicas, 2);
    assert_eq!(
        condition(&resees.get("resee").await.expect("get"), "BackupScheduled").map(|c| c.0),
        Some("True".to_owned())
    );

    // A nightly backup Job (started by the CronJob controller on a cluster) finishes.
    let backup: Job = serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "resee-backup-29410020", "namespace": NS, "labels": {
            "app.kubernetes.io/name": "resee", "app.kubernetes.io/instance": "resee", "app.kubernetes.io/component": "backup"}},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "backup", "image": "x"}]}}},
    }))
    .expect("job");
    Api::<Job>::namespaced(client.clone(), NS).create(&PostParams::default(), &backup).await.expect("backup job");
    finish_job(&client, "resee-backup-29410020", true).await;
    let backed_up = wait_condition(&resees, "resee", "LastBackupSucceeded", "True", "Succeeded").await;
    let last = backed_up.status.and_then(|s| s.backup).and_then(|b| b.last_successful_time);
    assert_eq!(last.as_deref(), Some("2026-11-30T03:00:30Z"));

    // B did nothing while A led.
    assert_eq!(metric(b_port, "resee_operator_reconciles_total").await, 0.0, "the standby never reconciles");
    assert!(metric(a_port, "resee_operator_reconciles_total").await >= 3.0);
    let leases: Api<Lease> = Api::namespaced(client.clone(), "default");
    let holder = |lease: Lease| lease.spec.and_then(|s| s.holder_identity);
    assert_eq!(holder(leases.get("resee-operator").await.expect("lease")).as_deref(), Some("operator-a"));

    // A spec edit propagates, and a component the spec drops is deleted.
    let edit = json!({"spec": {"worker": {"replicas": 3}, "ingress": null}});
    resees.patch("resee", &PatchParams::default(), &Patch::Merge(&edit)).await.expect("edit");
    eventually("worker scaled to 3", || async {
        let worker = exists::<Deployment>(&client, "resee-worker").await?;
        (worker.spec?.replicas == Some(3)).then_some(())
    })
    .await;
    eventually("the Ingress deleted", || async { exists::<Ingress>(&client, "resee").await.is_none().then_some(()) })
        .await;

    // A Resee whose Secret is missing: Degraded and an event that says what to do, no crash.
    let mut broken = resee.clone();
    broken.metadata.name = Some("broken".to_owned());
    broken.spec.database.secret_ref.name = "missing-db".to_owned();
    resees.create(&PostParams::default(), &broken).await.expect("create broken");
    let degraded = wait_condition(&resees, "broken", "Degraded", "True", "InvalidSpec").await;
    let message = condition(&degraded, "Degraded").expect("degraded").2;
    assert!(message.contains("Secret shop/missing-db (from spec.database.secretRef) does not exist"), "{message}");
    let events: Api<Event> = Api::namespaced(client.clone(), NS);
    eventually("an InvalidSpec event", || async {
        let list = events.list(&ListParams::default()).await.ok()?;
        list.items.into_iter().find(|e| {
            e.reason.as_deref() == Some("InvalidSpec") && e.note.as_deref().is_some_and(|n| n.contains("missing-db"))
        })
    })
    .await;
    assert!(exists::<ConfigMap>(&client, "broken-config").await.is_none(), "nothing is applied for an invalid spec");

    // Takeover: A stops (releasing the Lease), B leads and reconciles the next change.
    assert!(a.terminate().success(), "A exits cleanly on SIGTERM");
    eventually("B leads", || async { http_get(b_port, "/healthz").await.filter(|t| t.contains("leader")) }).await;
    assert_eq!(holder(leases.get("resee-operator").await.expect("lease")).as_deref(), Some("operator-b"));
    let upgrade = json!({"spec": {"version": "1.1.0"}});
    resees.patch("resee", &PatchParams::default(), &Patch::Merge(&upgrade)).await.expect("upgrade");
    let mut upgraded = resee.clone();
    upgraded.spec.version = "1.1.0".to_owned();
    let second_migration = resee_operator::build::migration_name(&upgraded);
    eventually("the 1.1.0 migration Job", || exists::<Job>(&client, &second_migration)).await;
    finish_job(&client, &second_migration, false).await;
    let failed = wait_condition(&resees, "resee", "Degraded", "True", "MigrationFailed").await;
    assert_eq!(failed.status.as_ref().and_then(|s| s.version.as_deref()), Some("1.0.0"));
    let api = exists::<Deployment>(&client, "resee-api").await.expect("api");
    assert_eq!(image(&api), "ghcr.io/resee/resee-api:1.0.0", "a failed migration keeps the old version");
    assert!(metric(b_port, "resee_operator_reconciles_total").await >= 1.0);

    // Pause: the CronJob is suspended and the condition says so.
    resees
        .patch("resee", &PatchParams::default(), &Patch::Merge(&json!({"spec": {"paused": true}})))
        .await
        .expect("pause");
    wait_condition(&resees, "resee", "ReconciliationPaused", "True", "Paused").await;
    let suspended = exists::<CronJob>(&client, "resee-backup").await.and_then(|c| c.spec?.suspend);
    assert_eq!(suspended, Some(true));

    // Deleting the Resee: the emulator has no garbage collector; on a cluster the owner
    // references checked above delete every child. The operator keeps running.
    resees.delete("resee", &Default::default()).await.expect("delete");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(http_get(b_port, "/healthz").await.is_some_and(|t| t.contains("leader")));
    assert!(b.terminate().success(), "B exits cleanly on SIGTERM");
    assert_eq!(holder(leases.get("resee-operator").await.expect("lease")), None, "B released the Lease");
    let _ = std::fs::remove_dir_all(&dir);
}
