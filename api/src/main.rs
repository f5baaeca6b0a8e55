//! `resee-api`: serve, migrate, healthcheck, create-admin.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use resee_api::config::ApiConfig;
use resee_core::config::{AppEnv, CommonConfig, Env};

/// mimalloc: fewer cycles per allocation than glibc's malloc on the many small strings of a
/// large list, and freed memory goes back to the system instead of lingering in arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "resee-api", version, about = "Resee's HTTP API")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API on BIND_ADDR until SIGTERM/SIGINT, then finish in-flight requests.
    Serve,
    /// Apply pending database migrations (run once per deploy, before the new version serves).
    Migrate,
    /// Exit 0 when the API at BIND_ADDR answers /api/health/ (for container health checks).
    Healthcheck,
    /// Create a verified staff account, or promote an existing one and set its password.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// Read the password from this file instead of standard input.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Print the OpenAPI document.
    Openapi,
}

fn main() -> ExitCode {
    resee_core::install_crypto_provider();
    let cli = Cli::parse();
    resee_core::process::block_on_main("resee-api", run(cli.command))
}

async fn run(command: Command) -> anyhow::Result<()> {
    let env = Env::from_process();
    match command {
        Command::Serve => {
            let signal = resee_core::process::shutdown_signal();
            let config = ApiConfig::from_env(&env)?;
            let _telemetry = resee_core::telemetry::init("resee-api", &config.common)?;
            let listener = tokio::net::TcpListener::bind(config.bind_addr)
                .await
                .with_context(|| format!("cannot listen on {} (BIND_ADDR)", config.bind_addr))?;
            resee_api::build(config).await?.serve(listener, signal).await
        }
        Command::Migrate => {
            let config = CommonConfig::from_env(&env)?;
            let _telemetry = resee_core::telemetry::init("resee-api", &config)?;
            let pool = resee_core::db::pool(&config)?;
            resee_core::db::migrate(&pool).await.context("migration failed")?;
            tracing::info!("database schema is up to date");
            Ok(())
        }
        Command::Healthcheck => {
            let addr = env.parse_or("BIND_ADDR", std::net::SocketAddr::from(([127, 0, 0, 1], 8000)))?;
            resee_core::process::health_probe(addr, "/api/health/").await
        }
        Command::CreateAdmin { email, password_file } => {
            let config = ApiConfig::from_env(&env)?;
            let _telemetry = resee_core::telemetry::init_with("resee-api", AppEnv::Development, "warn", None)?;
            let password = match password_file {
                Some(path) => {
                    std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?
                }
                None => {
                    let mut buf = String::new();
                    std::io::stdin().read_to_string(&mut buf)?;
                    buf
                }
            };
            let password = password.trim_end_matches(['\n', '\r']);
            let email = resee_api::validation::email(&email).map_err(|m| anyhow::anyhow!("--email: {m}"))?;
            let problems = resee_api::validation::password(password, &email);
            anyhow::ensure!(problems.is_empty(), "the password is refused: {}", problems.join(" "));
            let pool = resee_core::db::pool(&config.common)?;
            let hash = resee_core::password::hash(password)?;
            let user = resee_core::store::users::upsert_admin(&pool, &email, &hash, config.default_tier).await?;
            println!("admin {} (id {}) is ready", email, user.id);
            Ok(())
        }
        Command::Openapi => {
            println!("{}", resee_api::openapi_json()?);
            Ok(())
        }
    }
}
