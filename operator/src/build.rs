//! The desired children of a `Resee`, as pure functions of its spec: no I/O, so every object
//! the operator would apply can be tested (and validated) without a cluster.
//!
//! Names: `<name>-config` (ConfigMap), `<name>-api` / `-worker` / `-web` (Deployments, and
//! Services for api and web), `<name>-redis` (StatefulSet + Service, when managed),
//! `<name>-migrate-<version>` (Job), `<name>-backup` (CronJob), `<name>` (Ingress).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapEnvSource, Container, ContainerPort, EnvFromSource, EnvVar, EnvVarSource,
    HTTPGetAction, PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSecurityContext, PodSpec, PodTemplateSpec,
    Probe, SecretEnvSource, SecretKeySelector, SecurityContext, Service, ServicePort, ServiceSpec, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule, IngressServiceBackend,
    IngressSpec as K8sIngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::{Resource as _, ResourceExt as _};

use crate::crd::{BackupSpec, ComponentSpec, IngressSpec, Resee, SecretKeyRef};

pub const API_PORT: i32 = 8000;
pub const WEB_PORT: i32 = 8080;
pub const METRICS_PORT: i32 = 9100;
pub const REDIS_PORT: i32 = 6379;
const DEFAULT_REGISTRY: &str = "ghcr.io/resee";

/// The three workloads built from images of the Resee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Api,
    Worker,
    Web,
}

impl Component {
    pub const ALL: [Self; 3] = [Self::Api, Self::Worker, Self::Web];

    pub fn name(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Worker => "worker",
            Self::Web => "web",
        }
    }

    /// The component's part of the spec (replicas, resources, ...).
    pub fn spec(self, resee: &Resee) -> &ComponentSpec {
        match self {
            Self::Api => &resee.spec.api,
            Self::Worker => &resee.spec.worker,
            Self::Web => &resee.spec.web,
        }
    }
}

/// Everything one Resee asks for. `Option`s are objects the spec does not want (to be deleted
/// if they exist).
#[derive(Debug, Clone)]
pub struct Desired {
    pub config: ConfigMap,
    pub deployments: Vec<Deployment>,
    pub services: Vec<Service>,
    pub migration: Job,
    pub redis: Option<(StatefulSet, Service)>,
    pub ingress: Option<Ingress>,
    pub backup: Option<CronJob>,
}

/// `version` is what api and worker run: the spec's version once its migration succeeded, the
/// previous one until then (the web app has no schema and follows the spec at once).
pub fn desired(resee: &Resee, running_version: &str) -> Desired {
    let name = resee.name_any();
    let services = vec![
        service(resee, "api", &name_of(&name, "api"), API_PORT),
        service(resee, "web", &name_of(&name, "web"), WEB_PORT),
    ];
    let config = config_map(resee);
    // Environment from a ConfigMap is read at start: a new hash in the pod template rolls the
    // pods when the settings change.
    let config_hash = config_hash(&config);
    let deployments = Component::ALL
        .iter()
        .map(|c| {
            let mut d = deployment(resee, *c, running_version);
            if *c != Component::Web
                && let Some(template) = d.spec.as_mut().and_then(|s| s.template.metadata.as_mut())
            {
                template
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(CONFIG_HASH.to_owned(), config_hash.clone());
            }
            d
        })
        .collect();
    Desired {
        config,
        deployments,
        services,
        migration: migration_job(resee),
        redis: resee.spec.redis.managed.as_ref().map(|_| (redis_statefulset(resee), redis_service(resee))),
        ingress: resee.spec.ingress.as_ref().map(|spec| ingress(resee, spec)),
        backup: resee.spec.backup.as_ref().map(|spec| backup_cronjob(resee, spec)),
    }
}

/// The image of a pod template's first container.
pub fn pod_image(template: Option<&PodTemplateSpec>) -> Option<String> {
    template?.spec.as_ref()?.containers.first()?.image.clone()
}

/// Sets the image of a pod template's first container.
pub fn set_pod_image(template: Option<&mut PodTemplateSpec>, image: &str) {
    if let Some(container) = template.and_then(|t| t.spec.as_mut()).and_then(|p| p.containers.first_mut()) {
        container.image = Some(image.to_owned());
    }
}

/// The pod-template annotation with the hash of the ConfigMap's data.
pub const CONFIG_HASH: &str = "resee.dev/config-hash";

fn config_hash(config: &ConfigMap) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for (key, value) in config.data.iter().flatten() {
        hasher.update(key.as_bytes());
        hasher.update([0]);
        hasher.update(value.as_bytes());
        hasher.update([0]);
    }
    hex::encode(&hasher.finalize()[..12])
}

pub fn name_of(resee: &str, part: &str) -> String {
    format!("{resee}-{part}")
}

/// The migration Job of the spec's version (a name per version: a new version migrates anew).
///
/// The name is readable (the version, cut to 20 characters) and exact: a hash of the api image
/// it runs tells apart versions that read alike (`1.2.0` and `1-2-0`) and a new image under an
/// override (`spec.images.api`), which migrates too.
pub fn migration_name(resee: &Resee) -> String {
    use sha2::Digest as _;
    let version: String = resee
        .spec
        .version
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .take(20)
        .collect();
    let digest = sha2::Sha256::digest(image(resee, Component::Api, &resee.spec.version).as_bytes());
    let name = format!("migrate-{}-{}", version.trim_matches('-'), hex::encode(&digest[..3]));
    name_of(&resee.name_any(), &name)
}

/// The address users reach: the ingress host (https with TLS), else `PUBLIC_URL` from
/// `spec.config`, else the api Service inside the cluster.
pub fn public_url(resee: &Resee) -> String {
    match &resee.spec.ingress {
        Some(i) if i.tls_secret_name.is_some() => format!("https://{}", i.host),
        Some(i) => format!("http://{}", i.host),
        None => resee.spec.config.get("PUBLIC_URL").cloned().unwrap_or_else(|| {
            format!(
                "http://{}.{}.svc:{WEB_PORT}",
                name_of(&resee.name_any(), "web"),
                resee.namespace().unwrap_or_default()
            )
        }),
    }
}

fn labels(resee: &Resee, component: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_owned(), "resee".to_owned()),
        ("app.kubernetes.io/instance".to_owned(), resee.name_any()),
        ("app.kubernetes.io/component".to_owned(), component.to_owned()),
        ("app.kubernetes.io/managed-by".to_owned(), "resee-operator".to_owned()),
    ])
}

fn selector(resee: &Resee, component: &str) -> BTreeMap<String, String> {
    labels(resee, component).into_iter().filter(|(k, _)| k != "app.kubernetes.io/managed-by").collect()
}

fn meta(resee: &Resee, name: String, component: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: resee.namespace(),
        labels: Some(labels(resee, component)),
        owner_references: resee.controller_owner_ref(&()).map(|r| vec![r]),
        ..ObjectMeta::default()
    }
}

fn image(resee: &Resee, component: Component, version: &str) -> String {
    let images = &resee.spec.images;
    let chosen = match component {
        Component::Api => &images.api,
        Component::Worker => &images.worker,
        Component::Web => &images.web,
    };
    chosen.clone().unwrap_or_else(|| format!("{DEFAULT_REGISTRY}/resee-{}:{version}", component.name()))
}

fn redis_url(resee: &Resee) -> String {
    format!("redis://{}:{REDIS_PORT}", name_of(&resee.name_any(), "redis"))
}

/// Settings every process shares, from the spec (secrets stay in their Secrets).
pub fn config_map(resee: &Resee) -> ConfigMap {
    let mut data = BTreeMap::from([
        ("APP_ENV".to_owned(), "production".to_owned()),
        ("BIND_ADDR".to_owned(), format!("0.0.0.0:{API_PORT}")),
        ("METRICS_ADDR".to_owned(), format!("0.0.0.0:{METRICS_PORT}")),
        ("PUBLIC_URL".to_owned(), public_url(resee)),
        // On Kubernetes the CronJob backs up; the worker's own schedule stays off.
        ("BACKUP_SCHEDULE".to_owned(), String::new()),
    ]);
    if resee.spec.redis.managed.is_some() {
        data.insert("REDIS_URL".to_owned(), redis_url(resee));
    }
    if let Some(backup) = &resee.spec.backup {
        let s3 = &backup.s3;
        data.insert("S3_BUCKET".to_owned(), s3.bucket.clone());
        data.insert("S3_PREFIX".to_owned(), s3.prefix.clone());
        data.insert("S3_FORCE_PATH_STYLE".to_owned(), s3.force_path_style.to_string());
        data.insert("BACKUP_RETENTION_DAYS".to_owned(), backup.retention.days.to_string());
        data.insert("BACKUP_KEEP_LAST".to_owned(), backup.retention.keep_last.to_string());
        if let Some(region) = &s3.region {
            data.insert("S3_REGION".to_owned(), region.clone());
        }
        if let Some(endpoint) = &s3.endpoint {
            data.insert("S3_ENDPOINT".to_owned(), endpoint.clone());
        }
    }
    // The user's settings win over the defaults above.
    data.extend(resee.spec.config.iter().map(|(k, v)| (k.clone(), v.clone())));
    ConfigMap {
        metadata: meta(resee, name_of(&resee.name_any(), "config"), "config"),
        data: Some(data),
        ..ConfigMap::default()
    }
}

fn secret_env(name: &str, from: &SecretKeyRef) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector { name: from.name.clone(), key: from.key.clone(), optional: None }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    }
}

/// `DATABASE_URL`, `REDIS_URL` (external) and the component's extra variables.
fn app_env(resee: &Resee, extra: &[EnvVar]) -> Vec<EnvVar> {
    let mut env = vec![secret_env("DATABASE_URL", &resee.spec.database.secret_ref)];
    if let Some(redis) = &resee.spec.redis.secret_ref {
        env.push(secret_env("REDIS_URL", redis));
    }
    env.extend(extra.iter().cloned());
    env
}

/// The ConfigMap, then the app / smtp / slack / ai Secrets (and the S3 credentials for backups).
fn env_from(resee: &Resee, with_s3: bool) -> Vec<EnvFromSource> {
    let config = name_of(&resee.name_any(), "config");
    let mut sources = vec![EnvFromSource {
        config_map_ref: Some(ConfigMapEnvSource { name: config, optional: None }),
        ..EnvFromSource::default()
    }];
    let s3 = resee.spec.backup.as_ref().and_then(|b| b.s3.credentials_secret_ref.as_ref()).filter(|_| with_s3);
    let secrets =
        [Some(&resee.spec.app), resee.spec.smtp.as_ref(), resee.spec.slack.as_ref(), resee.spec.ai.as_ref(), s3];
    sources.extend(secrets.into_iter().flatten().map(|s| EnvFromSource {
        secret_ref: Some(SecretEnvSource { name: s.name.clone(), optional: None }),
        ..EnvFromSource::default()
    }));
    sources
}

fn http_probe(path: &str, port: i32, period: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.to_owned()),
            port: IntOrString::Int(port),
            ..HTTPGetAction::default()
        }),
        period_seconds: Some(period),
        failure_threshold: Some(3),
        ..Probe::default()
    }
}

/// Non-root, read-only root file system, no capabilities.
fn locked_down() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        read_only_root_filesystem: Some(true),
        run_as_non_root: Some(true),
        capabilities: Some(Capabilities { drop: Some(vec!["ALL".to_owned()]), add: None }),
        ..SecurityContext::default()
    }
}

/// A writable /tmp for a container whose root file system is read-only.
fn tmp_mount() -> VolumeMount {
    VolumeMount { name: "tmp".to_owned(), mount_path: "/tmp".to_owned(), ..VolumeMount::default() }
}

fn tmp_volume() -> k8s_openapi::api::core::v1::Volume {
    k8s_openapi::api::core::v1::Volume {
        name: "tmp".to_owned(),
        empty_dir: Some(k8s_openapi::api::core::v1::EmptyDirVolumeSource::default()),
        ..k8s_openapi::api::core::v1::Volume::default()
    }
}

fn pod_spec(resee: &Resee, spec: &ComponentSpec, containers: Vec<Container>, restart: Option<&str>) -> PodSpec {
    PodSpec {
        containers,
        restart_policy: restart.map(str::to_owned),
        image_pull_secrets: Some(resee.spec.images.pull_secrets.clone()).filter(|s| !s.is_empty()),
        node_selector: Some(spec.node_selector.clone()).filter(|n| !n.is_empty()),
        tolerations: Some(spec.tolerations.clone()).filter(|t| !t.is_empty()),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            seccomp_profile: Some(k8s_openapi::api::core::v1::SeccompProfile {
                type_: "RuntimeDefault".to_owned(),
                localhost_profile: None,
            }),
            ..PodSecurityContext::default()
        }),
        ..PodSpec::default()
    }
}

fn container(resee: &Resee, component: Component, version: &str, args: &[&str]) -> Container {
    let spec = component.spec(resee);
    Container {
        name: component.name().to_owned(),
        image: Some(image(resee, component, version)),
        image_pull_policy: resee.spec.images.pull_policy.clone(),
        args: Some(args.iter().map(|a| (*a).to_owned()).collect()),
        resources: spec.resources.clone(),
        security_context: Some(locked_down()),
        ..Container::default()
    }
}

/// The Deployment of `component`.
pub fn deployment(resee: &Resee, component: Component, running_version: &str) -> Deployment {
    let spec = component.spec(resee);
    let name = name_of(&resee.name_any(), component.name());
    let mut c = match component {
        Component::Api => container(resee, component, running_version, &["serve"]),
        Component::Worker => container(resee, component, running_version, &["run"]),
        Component::Web => container(resee, component, &resee.spec.version, &[]),
    };
    match component {
        Component::Api => {
            c.env = Some(app_env(resee, &spec.env));
            c.env_from = Some(env_from(resee, false));
            c.ports = Some(vec![ContainerPort {
                container_port: API_PORT,
                name: Some("http".to_owned()),
                ..ContainerPort::default()
            }]);
            c.readiness_probe = Some(http_probe("/api/health/ready/", API_PORT, 10));
            c.liveness_probe = Some(http_probe("/api/health/live/", API_PORT, 20));
        }
        Component::Worker => {
            c.env = Some(app_env(resee, &spec.env));
            c.env_from = Some(env_from(resee, false));
            c.ports = Some(vec![ContainerPort {
                container_port: METRICS_PORT,
                name: Some("metrics".to_owned()),
                ..ContainerPort::default()
            }]);
            c.readiness_probe = Some(http_probe("/readyz", METRICS_PORT, 10));
            c.liveness_probe = Some(http_probe("/healthz", METRICS_PORT, 20));
        }
        Component::Web => {
            let mut env = vec![EnvVar {
                name: "API_UPSTREAM".to_owned(),
                value: Some(format!("http://{}:{API_PORT}", name_of(&resee.name_any(), "api"))),
                ..EnvVar::default()
            }];
            env.extend(spec.env.iter().cloned());
            c.env = Some(env);
            c.ports = Some(vec![ContainerPort {
                container_port: WEB_PORT,
                name: Some("http".to_owned()),
                ..ContainerPort::default()
            }]);
            c.readiness_probe = Some(http_probe("/", WEB_PORT, 10));
            // nginx renders its configuration and keeps its temp files under /tmp.
            c.volume_mounts = Some(vec![tmp_mount()]);
        }
    }
    let mut pod = pod_spec(resee, spec, vec![c], None);
    if component == Component::Web {
        pod.volumes = Some(vec![tmp_volume()]);
    }
    let mut template_meta = ObjectMeta { labels: Some(selector(resee, component.name())), ..ObjectMeta::default() };
    if component == Component::Worker {
        template_meta.annotations = Some(BTreeMap::from([
            ("prometheus.io/scrape".to_owned(), "true".to_owned()),
            ("prometheus.io/port".to_owned(), METRICS_PORT.to_string()),
        ]));
    }
    Deployment {
        metadata: meta(resee, name, component.name()),
        spec: Some(DeploymentSpec {
            replicas: Some(spec.replicas),
            selector: LabelSelector { match_labels: Some(selector(resee, component.name())), match_expressions: None },
            template: PodTemplateSpec { metadata: Some(template_meta), spec: Some(pod) },
            ..DeploymentSpec::default()
        }),
        ..Deployment::default()
    }
}

fn service(resee: &Resee, component: &str, name: &str, port: i32) -> Service {
    Service {
        metadata: meta(resee, name.to_owned(), component),
        spec: Some(ServiceSpec {
            selector: Some(selector(resee, component)),
            ports: Some(vec![ServicePort {
                name: Some("http".to_owned()),
                port,
                target_port: Some(IntOrString::Int(port)),
                ..ServicePort::default()
            }]),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

/// `resee-api migrate` for the spec's version.
pub fn migration_job(resee: &Resee) -> Job {
    let spec = &resee.spec.api;
    let mut c = container(resee, Component::Api, &resee.spec.version, &["migrate"]);
    c.name = "migrate".to_owned();
    c.env = Some(app_env(resee, &spec.env));
    c.env_from = Some(env_from(resee, false));
    Job {
        metadata: meta(resee, migration_name(resee), "migrate"),
        spec: Some(JobSpec {
            backoff_limit: Some(2),
            active_deadline_seconds: Some(1800),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(selector(resee, "migrate")), ..ObjectMeta::default() }),
                spec: Some(pod_spec(resee, spec, vec![c], Some("Never"))),
            },
            ..JobSpec::default()
        }),
        ..Job::default()
    }
}

/// The nightly backup: `resee-worker backup run`, which prunes after a success.
pub fn backup_cronjob(resee: &Resee, backup: &BackupSpec) -> CronJob {
    let spec = &resee.spec.worker;
    let mut c = container(resee, Component::Worker, &resee.spec.version, &["backup", "run"]);
    c.name = "backup".to_owned();
    c.env = Some(app_env(resee, &spec.env));
    c.env_from = Some(env_from(resee, true));
    // pg_dump spools nothing, but the restore path and libpq want a writable /tmp.
    c.volume_mounts = Some(vec![tmp_mount()]);
    let mut pod = pod_spec(resee, spec, vec![c], Some("Never"));
    pod.volumes = Some(vec![tmp_volume()]);
    CronJob {
        metadata: meta(resee, name_of(&resee.name_any(), "backup"), "backup"),
        spec: Some(CronJobSpec {
            schedule: backup.schedule.clone(),
            time_zone: Some(backup.time_zone.clone()),
            concurrency_policy: Some("Forbid".to_owned()),
            starting_deadline_seconds: Some(3600),
            successful_jobs_history_limit: Some(3),
            failed_jobs_history_limit: Some(3),
            suspend: Some(resee.spec.paused || backup.suspend),
            job_template: JobTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(selector(resee, "backup")), ..ObjectMeta::default() }),
                spec: Some(JobSpec {
                    backoff_limit: Some(1),
                    active_deadline_seconds: Some(6 * 3600),
                    ttl_seconds_after_finished: Some(7 * 24 * 3600),
                    template: PodTemplateSpec {
                        metadata: Some(ObjectMeta { labels: Some(selector(resee, "backup")), ..ObjectMeta::default() }),
                        spec: Some(pod),
                    },
                    ..JobSpec::default()
                }),
            },
        }),
        ..CronJob::default()
    }
}

fn redis_statefulset(resee: &Resee) -> StatefulSet {
    let managed = resee.spec.redis.managed.clone().unwrap_or_default();
    let name = name_of(&resee.name_any(), "redis");
    let c = Container {
        name: "redis".to_owned(),
        image: Some(managed.image.clone()),
        args: Some(["--appendonly", "yes", "--dir", "/data"].iter().map(|a| (*a).to_owned()).collect()),
        ports: Some(vec![ContainerPort {
            container_port: REDIS_PORT,
            name: Some("redis".to_owned()),
            ..ContainerPort::default()
        }]),
        volume_mounts: Some(vec![VolumeMount {
            name: "data".to_owned(),
            mount_path: "/data".to_owned(),
            ..VolumeMount::default()
        }]),
        readiness_probe: Some(Probe {
            tcp_socket: Some(k8s_openapi::api::core::v1::TCPSocketAction {
                port: IntOrString::Int(REDIS_PORT),
                host: None,
            }),
            period_seconds: Some(10),
            ..Probe::default()
        }),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            run_as_non_root: Some(true),
            run_as_user: Some(999),
            capabilities: Some(Capabilities { drop: Some(vec!["ALL".to_owned()]), add: None }),
            ..SecurityContext::default()
        }),
        ..Container::default()
    };
    let claim = PersistentVolumeClaim {
        metadata: ObjectMeta { name: Some("data".to_owned()), ..ObjectMeta::default() },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".to_owned()]),
            storage_class_name: managed.storage_class_name.clone(),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_owned(), Quantity(managed.storage))])),
                limits: None,
            }),
            ..PersistentVolumeClaimSpec::default()
        }),
        ..PersistentVolumeClaim::default()
    };
    StatefulSet {
        metadata: meta(resee, name.clone(), "redis"),
        spec: Some(StatefulSetSpec {
            replicas: Some(1),
            service_name: Some(name),
            selector: LabelSelector { match_labels: Some(selector(resee, "redis")), match_expressions: None },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(selector(resee, "redis")), ..ObjectMeta::default() }),
                spec: Some(PodSpec {
                    containers: vec![c],
                    security_context: Some(PodSecurityContext { fs_group: Some(999), ..PodSecurityContext::default() }),
                    ..PodSpec::default()
                }),
            },
            volume_claim_templates: Some(vec![claim]),
            ..StatefulSetSpec::default()
        }),
        ..StatefulSet::default()
    }
}

fn redis_service(resee: &Resee) -> Service {
    service(resee, "redis", &name_of(&resee.name_any(), "redis"), REDIS_PORT)
}

/// `/api/` to the api Service, everything else to the web Service.
pub fn ingress(resee: &Resee, spec: &IngressSpec) -> Ingress {
    let path = |prefix: &str, service: &str, port: i32| HTTPIngressPath {
        path: Some(prefix.to_owned()),
        path_type: "Prefix".to_owned(),
        backend: IngressBackend {
            service: Some(IngressServiceBackend {
                name: name_of(&resee.name_any(), service),
                port: Some(ServiceBackendPort { number: Some(port), name: None }),
            }),
            resource: None,
        },
    };
    let mut metadata = meta(resee, resee.name_any(), "ingress");
    metadata.annotations = Some(spec.annotations.clone()).filter(|a| !a.is_empty());
    Ingress {
        metadata,
        spec: Some(K8sIngressSpec {
            ingress_class_name: spec.class_name.clone(),
            tls: spec.tls_secret_name.as_ref().map(|secret| {
                vec![IngressTLS { hosts: Some(vec![spec.host.clone()]), secret_name: Some(secret.clone()) }]
            }),
            rules: Some(vec![IngressRule {
                host: Some(spec.host.clone()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![path("/api/", "api", API_PORT), path("/", "web", WEB_PORT)],
                }),
            }]),
            ..K8sIngressSpec::default()
        }),
        ..Ingress::default()
    }
}
