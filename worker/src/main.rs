//! `resee-worker`: the command line around the [`resee_worker`] library.

use std::process::ExitCode;

use clap::Parser as _;
use resee_worker::cli::{self, Cli};

/// Small, short-lived allocations dominate (payloads, Redis replies); mimalloc keeps the
/// resident set small and returns freed memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    resee_core::install_crypto_provider();
    let cli = Cli::parse();
    resee_core::process::block_on_main("resee-worker", cli::run(cli.command))
}
