//! The desired objects for a minimal and a full `Resee`, compared with committed snapshots
//! (`tests/snapshots/*.json`; `UPDATE_SNAPSHOTS=1` rewrites them), plus the rules that matter.

use std::path::Path;

use k8s_openapi::api::core::v1::EnvVar;
use resee_operator::build::{self, Component, Desired};
use resee_operator::crd::Resee;

fn resee(yaml: &str) -> Resee {
    let mut resee: Resee = serde_yaml::from_str(yaml).expect("a Resee");
    resee.metadata.uid = Some("0b5c9d6e-1111-2222-3333-444455556666".to_owned());
    resee
}

fn minimal() -> Resee {
    resee(
        "apiVersion: resee.dev/v1alpha1
kind: Resee
metadata: {name: small, namespace: apps}
spec:
  version: v1
  database: {secretRef: {name: db, key: DATABASE_URL}}
  app: {name: app}
",
    )
}

fn full() -> Resee {
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests/examples/resee.yaml"))
            .expect("the example");
    resee(&example)
}

/// Every object, in a fixed order, as a pretty JSON array. (JSON, not YAML: a YAML 1.2 writer
/// leaves strings such as `yes` unquoted, which Kubernetes' YAML 1.1 reader takes for booleans.)
fn render(d: &Desired) -> String {
    let json = |o: &dyn erased::Object| o.value();
    let mut objects: Vec<serde_json::Value> = vec![json(&d.config)];
    objects.extend(d.deployments.iter().map(|o| json(o)));
    objects.extend(d.services.iter().map(|o| json(o)));
    objects.push(json(&d.migration));
    if let Some((set, service)) = &d.redis {
        objects.push(json(set));
        objects.push(json(service));
    }
    objects.extend(d.ingress.iter().map(|o| json(o)));
    objects.extend(d.backup.iter().map(|o| json(o)));
    serde_json::to_string_pretty(&objects).expect("json") + "\n"
}

/// Objects of any kind, with their `apiVersion` and `kind`.
mod erased {
    pub trait Object {
        fn value(&self) -> serde_json::Value;
    }

    impl<K: serde::Serialize + kube::Resource<DynamicType = ()>> Object for K {
        fn value(&self) -> serde_json::Value {
            let mut v = serde_json::to_value(self).expect("json");
            v["apiVersion"] = serde_json::Value::String(K::api_version(&()).into_owned());
            v["kind"] = serde_json::Value::String(K::kind(&()).into_owned());
            v
        }
    }
}

fn matches_snapshot(name: &str, rendered: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(format!("{name}.json"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, rendered).expect("write the snapshot");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "{name} differs from {}; rerun with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

fn env_names(env: Option<&Vec<EnvVar>>) -> Vec<String> {
    env.map(|e| e.iter().map(|v| v.name.clone()).collect()).unwrap_or_default()
}

#[test]
fn minimal_spec_matches_its_snapshot() {
    let d = build::desired(&minimal(), "v1");
    matches_snapshot("minimal", &render(&d));
    assert!(d.ingress.is_none() && d.backup.is_none(), "nothing that was not asked for");
    assert!(d.redis.is_some(), "Redis is managed by default");
    let config = d.config.data.as_ref().expect("data");
    assert_eq!(config["REDIS_URL"], "redis://small-redis:6379");
    assert_eq!(config["PUBLIC_URL"], "http://small-web.apps.svc:8080");
    assert_eq!(config["BACKUP_SCHEDULE"], "", "the CronJob backs up, not the worker");
}

#[test]
fn full_spec_matches_its_snapshot() {
    let d = build::desired(&full(), "1.0.0");
    matches_snapshot("full", &render(&d));
    let cron = d.backup.as_ref().and_then(|c| c.spec.as_ref()).expect("a backup CronJob");
    assert_eq!(cron.concurrency_policy.as_deref(), Some("Forbid"));
    assert_eq!((cron.schedule.as_str(), cron.time_zone.as_deref()), ("0 3 * * *", Some("Asia/Seoul")));
    assert!(cron.starting_deadline_seconds.is_some() && cron.successful_jobs_history_limit.is_some());
    assert_eq!(cron.suspend, Some(false));
    let job = cron.job_template.spec.as_ref().expect("job");
    assert!(job.ttl_seconds_after_finished.is_some());
    let pod = job.template.spec.as_ref().expect("pod");
    assert_eq!(pod.containers[0].args.as_deref(), Some(&["backup".to_owned(), "run".to_owned()][..]));
    let sources: Vec<String> = pod.containers[0]
        .env_from
        .iter()
        .flatten()
        .filter_map(|s| s.secret_ref.as_ref().map(|r| r.name.clone()))
        .collect();
    assert!(sources.contains(&"resee-s3".to_owned()), "S3 credentials from the Secret: {sources:?}");
    let ingress = d.ingress.as_ref().and_then(|i| i.spec.as_ref()).expect("ingress");
    assert_eq!(ingress.tls.as_ref().map(Vec::len), Some(1));
    assert_eq!(d.config.data.as_ref().expect("data")["PUBLIC_URL"], "https://resee.example.com");
}

#[test]
fn every_child_is_owned_by_the_resee_and_labelled() {
    let d = build::desired(&full(), "1.0.0");
    let metas = [&d.config.metadata, &d.migration.metadata]
        .into_iter()
        .chain(d.deployments.iter().map(|o| &o.metadata))
        .chain(d.services.iter().map(|o| &o.metadata))
        .chain(d.backup.iter().map(|o| &o.metadata))
        .chain(d.ingress.iter().map(|o| &o.metadata));
    for meta in metas {
        let owner = meta.owner_references.as_ref().and_then(|o| o.first()).expect("an owner");
        assert_eq!((owner.kind.as_str(), owner.controller), ("Resee", Some(true)), "{:?}", meta.name);
        assert_eq!(meta.labels.as_ref().expect("labels")["app.kubernetes.io/managed-by"], "resee-operator");
        assert_eq!(meta.namespace.as_deref(), Some("resee"));
    }
}

#[test]
fn api_and_worker_run_the_migrated_version_while_web_follows_the_spec() {
    let mut r = full();
    r.spec.version = "2.0.0".to_owned();
    let d = build::desired(&r, "1.0.0");
    let image = |c: Component| {
        d.deployments
            .iter()
            .find(|dep| dep.metadata.name.as_deref() == Some(&format!("resee-{}", c.name())))
            .and_then(|dep| dep.spec.as_ref()?.template.spec.as_ref()?.containers[0].image.clone())
            .expect("image")
    };
    assert_eq!(image(Component::Api), "ghcr.io/resee/resee-api:1.0.0");
    assert_eq!(image(Component::Worker), "ghcr.io/resee/resee-worker:1.0.0");
    assert_eq!(image(Component::Web), "ghcr.io/resee/resee-web:2.0.0");
    let migrate = d.migration.spec.as_ref().and_then(|s| s.template.spec.as_ref()).expect("pod");
    assert_eq!(migrate.containers[0].image.as_deref(), Some("ghcr.io/resee/resee-api:2.0.0"));
    let job = d.migration.metadata.name.clone().unwrap_or_default();
    assert!(job.starts_with("resee-migrate-2-0-0-") && job.len() == "resee-migrate-2-0-0-".len() + 6, "{job}");
}

#[test]
fn containers_with_a_read_only_root_get_a_writable_tmp_where_they_need_one() {
    let d = build::desired(&full(), "1.0.0");
    let web = d
        .deployments
        .iter()
        .find(|dep| dep.metadata.name.as_deref() == Some("resee-web"))
        .and_then(|dep| dep.spec.as_ref()?.template.spec.clone())
        .expect("web pod");
    let container = &web.containers[0];
    assert_eq!(container.security_context.as_ref().and_then(|s| s.read_only_root_filesystem), Some(true));
    let mount = container.volume_mounts.as_ref().and_then(|m| m.iter().find(|m| m.mount_path == "/tmp"));
    let volume = web.volumes.as_ref().and_then(|v| v.iter().find(|v| Some(&v.name) == mount.map(|m| &m.name)));
    assert!(volume.is_some_and(|v| v.empty_dir.is_some()), "nginx renders its config and temp files under /tmp");
    let backup = d.backup.and_then(|c| c.spec?.job_template.spec?.template.spec).expect("backup pod");
    assert!(backup.volumes.is_some_and(|v| v.iter().any(|v| v.empty_dir.is_some())));
}

#[test]
fn paused_or_suspended_backups_are_suspended_and_external_redis_is_not_managed() {
    let mut r = full();
    r.spec.paused = true;
    let suspended = |r: &Resee| build::desired(r, "1.0.0").backup.and_then(|c| c.spec).and_then(|s| s.suspend);
    assert_eq!(suspended(&r), Some(true));
    r.spec.paused = false;
    if let Some(b) = r.spec.backup.as_mut() {
        b.suspend = true;
    }
    assert_eq!(suspended(&r), Some(true));

    let mut external = minimal();
    external.spec.redis =
        serde_json::from_value(serde_json::json!({"secretRef": {"name": "redis", "key": "REDIS_URL"}}))
            .expect("redis spec");
    let d = build::desired(&external, "v1");
    assert!(d.redis.is_none());
    assert!(!d.config.data.as_ref().expect("data").contains_key("REDIS_URL"));
    let api = &d.deployments[0].spec.as_ref().and_then(|s| s.template.spec.as_ref()).expect("pod").containers[0];
    assert_eq!(env_names(api.env.as_ref()), ["DATABASE_URL", "REDIS_URL"]);
}
