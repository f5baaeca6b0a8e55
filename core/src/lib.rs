//! `resee-core`: everything the Resee binaries share.
//!
//! The api, the worker and the operator are separate processes; what they must agree on lives
//! here so that it is written once: configuration, telemetry, the database pool and **all**
//! migrations, the job contract (names, payloads, retry policies), the domain rules (tiers) and
//! password handling.

pub mod ai;
pub mod config;
pub mod crypto;
pub mod db;
pub mod exam;
pub mod i18n;
pub mod jobs;
pub mod learning_cache;
pub mod outbox;
pub mod password;
pub mod process;
pub mod queue;
pub mod redis;
pub mod review;
pub mod slack;
pub mod store;
pub mod telemetry;
pub mod tiers;

/// Installs the process-wide TLS crypto provider (aws-lc-rs).
///
/// Every binary calls this first: several dependencies build rustls clients, and a process that
/// ends up with two providers compiled in panics when one of them is picked implicitly.
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is exactly what we want.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}
