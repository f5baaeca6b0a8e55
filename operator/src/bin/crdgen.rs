//! Prints the `Resee` CRD as YAML; with `--write`, writes the committed copies instead
//! (`manifests/crd.yaml` and the chart's `crds/resee.yaml`, relative to the current directory).

use std::process::ExitCode;

fn main() -> ExitCode {
    let yaml = match resee_operator::crd_yaml() {
        Ok(yaml) => yaml,
        Err(e) => {
            eprintln!("crdgen: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::args().nth(1).as_deref() != Some("--write") {
        print!("{yaml}");
        return ExitCode::SUCCESS;
    }
    for path in resee_operator::CRD_PATHS {
        let path = std::path::Path::new(path);
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("crdgen: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::write(path, &yaml) {
            eprintln!("crdgen: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
