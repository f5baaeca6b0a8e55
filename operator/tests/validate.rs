//! Every object the operator would apply validates with `kubernetes-validate --strict` against
//! Kubernetes 1.30 and 1.37, and the example Resee validates against the generated CRD schema
//! (`check-jsonschema`). Both tools come from the project's virtualenv (scripts/test.sh).

use std::path::{Path, PathBuf};
use std::process::Command;

use kube::CustomResourceExt as _;
use resee_operator::build;
use resee_operator::crd::Resee;

/// A tool installed next to the virtualenv's Python (`RESEE_PYTHON`), else from PATH.
fn tool(name: &str) -> PathBuf {
    std::env::var("RESEE_PYTHON")
        .ok()
        .map(|python| Path::new(&python).with_file_name(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn run(mut command: Command) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?} runs (scripts/test.sh installs it): {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{command:?} failed:\n{text}");
    text
}

fn example() -> Resee {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests/examples/resee.yaml");
    let mut resee: Resee = serde_yaml::from_str(&std::fs::read_to_string(path).expect("example")).expect("a Resee");
    resee.metadata.uid = Some("0b5c9d6e-1111-2222-3333-444455556666".to_owned());
    resee
}

#[test]
fn rendered_objects_validate_strictly_on_kubernetes_1_30_and_1_37() {
    let dir = std::env::temp_dir().join(format!("resee-operator-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&snapshots).expect("snapshots") {
        let path = entry.expect("entry").path();
        let objects: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("snapshot")).expect("a JSON array");
        for (i, object) in objects.iter().enumerate() {
            let file = dir.join(format!("{}-{i}.json", path.file_stem().and_then(|s| s.to_str()).unwrap_or("x")));
            std::fs::write(&file, object.to_string()).expect("write");
            files.push(file);
        }
    }
    assert!(files.len() >= 20, "both snapshots have their objects: {}", files.len());
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests/crd.yaml"));
    // The snapshots are what the builders produce (builders.rs compares them); render once more
    // here so this test cannot pass on stale files.
    let fresh = build::desired(&example(), "1.0.0");
    assert!(fresh.backup.is_some() && fresh.ingress.is_some() && fresh.redis.is_some());
    for version in ["1.30.0", "1.37.0"] {
        let mut command = Command::new(tool("kubernetes-validate"));
        command.args(["--strict", "-k", version]).args(&files);
        let output = run(command);
        assert!(!output.contains("WARN") && !output.contains("ERROR"), "{version}:\n{output}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_example_resee_matches_the_crd_schema() {
    let crd = serde_json::to_value(Resee::crd()).expect("crd");
    let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
    let dir = std::env::temp_dir().join(format!("resee-operator-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let schema_file = dir.join("resee.schema.json");
    std::fs::write(&schema_file, schema.to_string()).expect("schema");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests/examples/resee.yaml");
    let mut command = Command::new(tool("check-jsonschema"));
    command.arg("--schemafile").arg(&schema_file).arg(&example);
    run(command);
    // And a wrong one fails: replicas must be an integer.
    let bad = dir.join("bad.yaml");
    let text = std::fs::read_to_string(&example).expect("example").replace("replicas: 2", "replicas: two");
    std::fs::write(&bad, text).expect("bad example");
    let status = Command::new(tool("check-jsonschema"))
        .arg("--schemafile")
        .arg(&schema_file)
        .arg(&bad)
        .output()
        .expect("check-jsonschema runs");
    assert!(!status.status.success(), "a string for replicas is refused");
    let _ = std::fs::remove_dir_all(&dir);
}
