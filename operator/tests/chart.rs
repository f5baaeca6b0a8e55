//! `charts/resee-operator` lints clean (`helm lint --strict` through helm-python-sdk) and
//! renders, for the default and a full set of values, objects that pass
//! `kubernetes-validate --strict` on Kubernetes 1.30 and 1.37; its schema refuses bad values;
//! `manifests/operator.yaml` is the chart's default rendering. The tools come from the
//! project's virtualenv (scripts/test.sh).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn python() -> PathBuf {
    std::env::var("RESEE_PYTHON").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("python3"))
}

fn chart_py(args: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/chart.py");
    Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("chart.py runs (scripts/test.sh installs helm-python-sdk): {e}"))
}

fn succeed(args: &[&str]) -> String {
    let out = chart_py(args);
    assert!(out.status.success(), "chart.py {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("resee-chart-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn values_file(dir: &Path, name: &str, values: &Value) -> String {
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, values.to_string()).expect("values");
    path.to_string_lossy().into_owned()
}

fn full_values() -> Value {
    json!({
        "image": {"repository": "registry.example.com/resee-operator", "tag": "1.2.3", "pullPolicy": "Always"},
        "imagePullSecrets": [{"name": "registry"}],
        "replicaCount": 3,
        "watchNamespace": "shop",
        "leaderElection": {"leaseName": "resee-leader", "leaseDurationSeconds": 20},
        "logLevel": "debug",
        "otlpEndpoint": "http://otel-collector.observability:4317",
        "serviceAccount": {"create": true, "name": "resee-op", "annotations": {"example.com/role": "operator"}},
        "rbac": {"create": true},
        "resources": {"requests": {"cpu": "20m", "memory": "48Mi"}, "limits": {"memory": "128Mi"}},
        "podAnnotations": {"example.com/team": "learning"},
        "podLabels": {"team": "learning"},
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "ops", "effect": "NoSchedule"}],
        "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "resee-operator"}}}}]}},
        "metrics": {"service": {"enabled": true}, "serviceMonitor": {"enabled": true, "interval": "15s", "labels": {"release": "prometheus"}}},
    })
}

fn lint(values: Option<&str>) -> Value {
    let mut args = vec!["lint"];
    args.extend(values);
    serde_json::from_str(&succeed(&args)).expect("a lint report")
}

#[test]
fn the_chart_lints_clean_with_default_and_full_values() {
    let dir = temp_dir("lint");
    let full = values_file(&dir, "full", &full_values());
    for values in [None, Some(full.as_str())] {
        let report = lint(values);
        assert_eq!(report["errors"], json!([]), "{values:?}: {report}");
        let serious: Vec<&Value> = report["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter(|m| m["severity"].as_i64() >= Some(2))
            .collect();
        assert!(serious.is_empty(), "{values:?}: warnings or errors: {serious:?}");
    }
}

#[test]
fn the_schema_refuses_bad_values() {
    let dir = temp_dir("bad");
    for (name, values) in [
        ("typo", json!({"replicaCont": 2})),
        ("type", json!({"replicaCount": "two"})),
        ("range", json!({"leaderElection": {"leaseDurationSeconds": 1}})),
        ("enum", json!({"image": {"repository": "x", "pullPolicy": "Sometimes"}})),
    ] {
        let file = values_file(&dir, name, &values);
        let report = lint(Some(&file));
        let errors = report["errors"].as_array().map_or(0, Vec::len)
            + report["messages"].as_array().map_or(0, |m| m.iter().filter(|m| m["severity"] == 3).count());
        assert!(errors > 0, "{name}: {values} must be refused: {report}");
        assert!(!chart_py(&["render", &file]).status.success(), "{name}: render refuses it too");
    }
}

#[test]
fn rendered_objects_validate_strictly_on_kubernetes_1_30_and_1_37() {
    let dir = temp_dir("render");
    let full = values_file(&dir, "full", &full_values());
    let default = succeed(&["render"]);
    let rendered = succeed(&["render", &full]);
    for (text, kinds) in [
        (
            &default,
            vec!["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service"],
        ),
        (
            &rendered,
            vec![
                "ServiceAccount",
                "Role",
                "RoleBinding",
                "Role",
                "RoleBinding",
                "Deployment",
                "Service",
                "ServiceMonitor",
            ],
        ),
    ] {
        let found: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("kind: ")).collect();
        assert_eq!(found, kinds);
    }
    assert!(rendered.contains("namespace: shop") && rendered.contains("registry.example.com/resee-operator:1.2.3"));
    assert!(default.contains("ghcr.io/resee/resee-operator:0.1.0"), "the tag defaults to appVersion");

    // kubernetes-validate has no schema for the ServiceMonitor (a CRD): validate the rest.
    let built_in: Vec<&str> = rendered.split("\n---\n").filter(|doc| !doc.contains("kind: ServiceMonitor")).collect();
    let files = [("default.yaml", default), ("full.yaml", built_in.join("\n---\n"))];
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        paths.push(path);
    }
    paths.push(root().join("manifests/operator.yaml"));
    let validate = std::env::var("RESEE_PYTHON")
        .map(|p| Path::new(&p).with_file_name("kubernetes-validate"))
        .unwrap_or_else(|_| PathBuf::from("kubernetes-validate"));
    for version in ["1.30.0", "1.37.0"] {
        let out = Command::new(&validate)
            .args(["--strict", "-k", version])
            .args(&paths)
            .output()
            .expect("kubernetes-validate runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{version}:\n{text}");
        assert!(!text.contains("WARN"), "{version}: every object had a schema:\n{text}");
        assert_eq!(text.matches("passed").count(), 7 + 7 + 8, "{version}:\n{text}");
    }
}

#[test]
fn manifests_operator_yaml_is_the_charts_default_rendering() {
    let expected = succeed(&["manifests"]);
    let committed = std::fs::read_to_string(root().join("manifests/operator.yaml")).unwrap_or_default();
    assert!(
        committed == expected,
        "manifests/operator.yaml drifted from the chart: run `python operator/tests/chart.py manifests > manifests/operator.yaml`"
    );
}

#[test]
fn the_rbac_covers_every_kind_the_operator_touches_without_wildcards() {
    let manifests = std::fs::read_to_string(root().join("manifests/operator.yaml")).expect("operator.yaml");
    let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&manifests)
        .map(|d| serde::Deserialize::deserialize(d).expect("yaml"))
        .collect();
    let role = docs.iter().find(|d| d["kind"] == "ClusterRole").expect("ClusterRole");
    let mut granted: Vec<String> = Vec::new();
    for rule in role["rules"].as_sequence().expect("rules") {
        for resource in rule["resources"].as_sequence().expect("resources") {
            for verb in rule["verbs"].as_sequence().expect("verbs") {
                granted.push(format!("{}:{}", resource.as_str().unwrap_or("?"), verb.as_str().unwrap_or("?")));
            }
        }
    }
    assert!(!granted.iter().any(|g| g.contains('*')), "no wildcards");
    assert!(!granted.contains(&"secrets:list".to_owned()) && !granted.contains(&"secrets:watch".to_owned()));
    for needed in [
        "resees:watch",
        "resees/status:patch",
        "secrets:get",
        "configmaps:patch",
        "deployments:patch",
        "statefulsets:delete",
        "jobs:delete",
        "cronjobs:patch",
        "ingresses:delete",
        "events:create",
        "services:delete",
    ] {
        assert!(granted.contains(&needed.to_owned()), "{needed} missing from {granted:?}");
    }
}
