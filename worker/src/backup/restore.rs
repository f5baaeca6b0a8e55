//! `resee-worker backup restore` (docs/OPERATIONS.md → Backups → Restoring).

use anyhow::Context as _;

use super::{Store, config, human_bytes};

/// `backup restore`: says what it will do, checks the target, verifies the download, then
/// restores (`source` is `DATABASE_URL`: its server gets the new database by default).
pub async fn run(
    store: &Store,
    source: &str,
    key: &str,
    target_url: Option<String>,
    clean: bool,
    yes: bool,
) -> anyhow::Result<()> {
    let backups = store.list(&store.database()).await?;
    let manifest = if key == "latest" { backups.first() } else { backups.iter().find(|m| m.key == key) }
        .with_context(|| {
            format!(
                "no backup `{key}` under s3://{}/{} (see `resee-worker backup list`)",
                store.config.bucket, store.config.prefix
            )
        })?
        .clone();
    let (target, create) = match target_url {
        Some(url) => (url, false),
        None => {
            // PostgreSQL names are at most 63 bytes: the database part gives way.
            let suffix = format!("_restore_{}", manifest.started_at.format("%Y%m%d%H%M%S"));
            let mut base = manifest.database.clone();
            while base.len() + suffix.len() > 63 {
                base.pop();
            }
            let name = format!("{base}{suffix}");
            (config::with_database(source, &name), true)
        }
    };
    let shown = config::split_password(&target).0;
    println!(
        "restore {} ({}, taken {}) into {shown}{}",
        manifest.key,
        human_bytes(manifest.bytes),
        manifest.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        if create {
            " (a new database)"
        } else if clean {
            " (replacing its objects)"
        } else {
            ""
        }
    );
    // The target is checked before anything is downloaded or written.
    let target_name = config::database_name(&target);
    anyhow::ensure!(
        target_name.len() <= 63,
        "the target database name `{target_name}` is longer than PostgreSQL's 63 bytes"
    );
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(source)
        .await
        .context("cannot connect to DATABASE_URL")?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&target_name)
        .fetch_one(&admin)
        .await?;
    if exists {
        let target_pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&target)
            .await
            .context("cannot connect to the target")?;
        let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&target_pool)
            .await?;
        target_pool.close().await;
        anyhow::ensure!(
            tables == 0 || (clean && yes),
            "{target_name} already has {tables} table(s): pass --clean --yes to replace them"
        );
    }
    let spool = std::env::temp_dir().join(format!("resee-restore-{}.dump.zst", uuid::Uuid::new_v4().simple()));
    let verified = store.download_verified(&manifest, &spool).await;
    if let Err(e) = verified {
        let _ = tokio::fs::remove_file(&spool).await;
        return Err(e);
    }
    println!("checksum verified ({})", manifest.sha256);
    if !exists {
        // An identifier cannot be a bind parameter: quoted here, from the URL's database name.
        let create = format!("CREATE DATABASE \"{}\"", target_name.replace('"', "\"\""));
        sqlx::query(sqlx::AssertSqlSafe(create)).execute(&admin).await?;
    }
    admin.close().await;
    let restored = store.pg_restore(&spool, &target, clean && exists).await;
    let _ = tokio::fs::remove_file(&spool).await;
    restored?;
    settle_runs(&target, &manifest).await?;
    println!("restored into {target_name}");
    Ok(())
}

/// The dump was taken while its own backup was running, so the restored `backup_runs` shows
/// that run (and any other then in flight) as running forever. The newest run started before
/// the backup is the one that made it: it succeeded, as the manifest says; any older one still
/// running then is marked failed, since nothing in this database will ever finish it.
async fn settle_runs(target: &str, manifest: &super::Manifest) -> anyhow::Result<()> {
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(target)
        .await
        .context("cannot connect to the restored database")?;
    let finished =
        manifest.started_at + chrono::TimeDelta::milliseconds(i64::try_from(manifest.duration_ms).unwrap_or(i64::MAX));
    let restored = resee_core::store::backups::Restored {
        started_at: manifest.started_at,
        finished_at: finished,
        key: &manifest.key,
        bytes: i64::try_from(manifest.bytes).unwrap_or(i64::MAX),
        sha256: &manifest.sha256,
    };
    let settled = resee_core::store::backups::settle_restored(&db, &restored)
        .await
        .context("cannot settle the restored backup_runs")?;
    if settled > 0 {
        println!("settled {settled} backup run(s) that were in flight when the backup was taken");
    }
    db.close().await;
    Ok(())
}
