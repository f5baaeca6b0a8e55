//! `resee-operator`: reconciles a `Resee` custom resource into the whole stack on Kubernetes.
//!
//! The CRD types, the controller and the `crdgen` binary land with the operator issue; the crate
//! exists now so that the workspace layout does not move when they do.
