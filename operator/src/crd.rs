//! The `Resee` custom resource (`resee.dev/v1alpha1`): one object = one whole installation.
//!
//! The CRD YAML is generated from these types (`crdgen`) and committed in `manifests/crd.yaml`
//! and the chart; a test fails when the committed copies drift. Field docs become the schema's
//! descriptions, which `kubectl explain` shows.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{EnvVar, LocalObjectReference, ResourceRequirements, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The desired Resee installation.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "resee.dev",
    version = "v1alpha1",
    kind = "Resee",
    namespaced,
    status = "ReseeStatus",
    shortname = "rse",
    doc = "A complete Resee installation: api, worker and web, Redis, migrations and nightly backups.",
    category = "all",
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Version","type":"string","jsonPath":".status.version"}"#,
    printcolumn = r#"{"name":"URL","type":"string","jsonPath":".status.url","priority":1}"#,
    printcolumn = r#"{"name":"Last backup","type":"date","jsonPath":".status.backup.lastSuccessfulTime"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct ReseeSpec {
    /// Image tag of every component (e.g. a git sha or a release tag).
    #[x_kube(validation = Rule::new("self != ''").message("version must not be empty"))]
    pub version: String,
    /// Overrides of whole image references, pull policy and pull secrets.
    #[serde(default)]
    pub images: Images,
    /// The HTTP API (`resee-api serve`).
    #[serde(default = "ComponentSpec::two")]
    pub api: ComponentSpec,
    /// The background worker (`resee-worker run`).
    #[serde(default = "ComponentSpec::one")]
    pub worker: ComponentSpec,
    /// The web app (nginx serving the SPA).
    #[serde(default = "ComponentSpec::two")]
    pub web: ComponentSpec,
    /// PostgreSQL: the Secret key holding `DATABASE_URL`.
    pub database: DatabaseSpec,
    /// Redis: an existing server (`secretRef`) or one the operator runs (`managed`).
    #[serde(default)]
    pub redis: RedisSpec,
    /// Public HTTP(S) access; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSpec>,
    /// Nightly `pg_dump` to S3 as a CronJob; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupSpec>,
    /// Secret with SMTP settings (`SMTP_URL` or `SMTP_HOST`..., `MAIL_FROM`), loaded as environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<SecretName>,
    /// Secret with `SLACK_WEBHOOK_URL`, loaded as environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack: Option<SecretName>,
    /// Secret with the AI settings (`AI_PROVIDER`, `ANTHROPIC_API_KEY`, ...), loaded as environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<SecretName>,
    /// Secret with `JWT_SECRET` (and optionally `JWT_SECRET_PREVIOUS`); the operator does not
    /// generate signing keys.
    pub app: SecretName,
    /// Non-secret settings as environment variables (`PUBLIC_URL`, `GOOGLE_CLIENT_ID`,
    /// `RATE_LIMIT_*`, `DEFAULT_TIER`, ...), given to the api and the worker.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: BTreeMap<String, String>,
    /// Stop reconciling: children stay as they are, the backup CronJob is suspended.
    #[serde(default)]
    pub paused: bool,
}

/// Image references; each defaults to `ghcr.io/resee/resee-<component>:<version>`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Images {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// `Always`, `IfNotPresent` or `Never` (default: Kubernetes' own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pull_secrets: Vec<LocalObjectReference>,
}

/// How one component runs.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ComponentSpec {
    /// Pods of this component; 0 switches it off.
    #[x_kube(validation = Rule::new("self >= 0").message("replicas must not be negative"))]
    pub replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Extra environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
}

impl ComponentSpec {
    fn with_replicas(replicas: i32) -> Self {
        Self { replicas, resources: None, env: Vec::new(), node_selector: BTreeMap::new(), tolerations: Vec::new() }
    }

    pub fn one() -> Self {
        Self::with_replicas(1)
    }

    pub fn two() -> Self {
        Self::with_replicas(2)
    }
}

/// A key of a Secret in the Resee's namespace.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct SecretKeyRef {
    pub name: String,
    pub key: String,
}

/// A Secret in the Resee's namespace, all of whose keys are loaded as environment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct SecretName {
    pub name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSpec {
    /// The Secret key holding `DATABASE_URL` (RDS, CloudNativePG, ...).
    pub secret_ref: SecretKeyRef,
}

/// Exactly one of `secretRef` and `managed`.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.secretRef) != has(self.managed)").message("set exactly one of redis.secretRef and redis.managed"))]
pub struct RedisSpec {
    /// The Secret key holding `REDIS_URL` of an existing server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretKeyRef>,
    /// A single-replica Redis with AOF on a PersistentVolumeClaim, run by the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<ManagedRedis>,
}

impl Default for RedisSpec {
    fn default() -> Self {
        Self { secret_ref: None, managed: Some(ManagedRedis::default()) }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedRedis {
    /// Size of the volume (default 1Gi).
    #[serde(default = "ManagedRedis::default_storage")]
    pub storage: String,
    /// Storage class of the volume (default: the cluster's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Redis image (default redis:7-alpine).
    #[serde(default = "ManagedRedis::default_image")]
    pub image: String,
}

impl ManagedRedis {
    fn default_storage() -> String {
        "1Gi".to_owned()
    }

    fn default_image() -> String {
        "redis:7-alpine".to_owned()
    }
}

impl Default for ManagedRedis {
    fn default() -> Self {
        Self { storage: Self::default_storage(), storage_class_name: None, image: Self::default_image() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngressSpec {
    /// Host name users reach Resee at; the public URL is `https://<host>` with TLS, else `http://`.
    pub host: String,
    /// IngressClass (default: the cluster's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Secret with the TLS certificate for `host`; plain HTTP when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BackupSpec {
    /// Cron schedule (default `0 3 * * *`).
    #[serde(default = "BackupSpec::default_schedule")]
    pub schedule: String,
    /// Time zone of the schedule (default Asia/Seoul).
    #[serde(default = "BackupSpec::default_time_zone")]
    pub time_zone: String,
    #[serde(default)]
    pub retention: Retention,
    pub s3: S3Spec,
    /// Suspend the CronJob (running backups finish).
    #[serde(default)]
    pub suspend: bool,
}

impl BackupSpec {
    fn default_schedule() -> String {
        "0 3 * * *".to_owned()
    }

    fn default_time_zone() -> String {
        "Asia/Seoul".to_owned()
    }
}

/// Backups older than `days` are deleted after each successful backup, but never the newest `keepLast`.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    #[serde(default = "Retention::default_days")]
    #[x_kube(validation = Rule::new("self >= 1").message("retention.days must be at least 1"))]
    pub days: i32,
    #[serde(default = "Retention::default_keep_last")]
    #[x_kube(validation = Rule::new("self >= 1").message("retention.keepLast must be at least 1"))]
    pub keep_last: i32,
}

impl Retention {
    fn default_days() -> i32 {
        30
    }

    fn default_keep_last() -> i32 {
        3
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self { days: Self::default_days(), keep_last: Self::default_keep_last() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct S3Spec {
    pub bucket: String,
    /// Key prefix (default resee-backups).
    #[serde(default = "S3Spec::default_prefix")]
    pub prefix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// An S3-compatible endpoint (MinIO, ...); AWS when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub force_path_style: bool,
    /// Secret with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; the pod's own identity
    /// (IRSA, instance role) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_secret_ref: Option<SecretName>,
}

impl S3Spec {
    fn default_prefix() -> String {
        "resee-backups".to_owned()
    }
}

/// What the operator observed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReseeStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready, Progressing, Degraded, BackupScheduled, LastBackupSucceeded, ReconciliationPaused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The version api and worker run (after its migration succeeded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where users reach Resee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentStatus {
    pub replicas: i32,
    pub ready_replicas: i32,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<String>,
    /// `Succeeded` or `Failed`: the outcome of the newest finished backup Job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_outcome: Option<String>,
}
