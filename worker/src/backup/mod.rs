//! Database backups: `pg_dump` streamed through zstd into an S3 multipart upload, listed,
//! restored and pruned (docs/OPERATIONS.md → Backups; docs/DECISIONS.md → Backups).
//!
//! An object `<prefix>/<database>/<YYYYMMDDTHHMMSSZ>.dump.zst` counts as a backup only once its
//! manifest `<key>.json` exists; the manifest is written after the upload completed. Memory stays
//! at about one part (16 MiB) whatever the database size: bytes flow from `pg_dump`'s stdout
//! through the encoder into a part buffer that is uploaded and reused.

pub mod config;
pub mod restore;

use std::time::Instant;

use anyhow::Context as _;
use async_compression::Level;
use async_compression::tokio::bufread::{ZstdDecoder, ZstdEncoder};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, ServerSideEncryption};
use chrono::{DateTime, Utc};
use resee_core::store::backups;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::Command;

pub use config::BackupConfig;
use config::{Sse, database_name, split_password};

/// What is known of a finished backup, stored next to it as `<key>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub key: String,
    pub database: String,
    /// SHA-256 (hex) of the object as stored (compressed).
    pub sha256: String,
    /// Size of the object in bytes.
    pub bytes: u64,
    /// Size of the uncompressed dump.
    pub dump_bytes: u64,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub pg_dump_version: String,
    pub server_version: String,
    pub compression: String,
}

/// A failed backup step, for the log, the `backup_runs` row and Slack.
#[derive(Debug)]
pub struct StepError {
    pub step: &'static str,
    pub error: anyhow::Error,
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "backup failed at step `{}`: {:#}", self.step, self.error)
    }
}

impl std::error::Error for StepError {}

fn at(step: &'static str) -> impl FnOnce(anyhow::Error) -> StepError {
    move |error| StepError { step, error }
}

/// The S3 side of backups.
#[derive(Debug, Clone)]
pub struct Store {
    s3: aws_sdk_s3::Client,
    pub config: BackupConfig,
}

impl Store {
    /// Builds the client: credentials from `AWS_SECRET_ACCESS_KEY_FILE` (with `AWS_ACCESS_KEY_ID`
    /// or its `_FILE`) when set, else the standard AWS chain (environment, profile files, web
    /// identity, EC2 instance role); endpoint and path style from the settings.
    pub async fn new(config: BackupConfig) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(config.region.clone()));
        if let Some((id, secret)) = &config.file_credentials {
            let credentials =
                aws_sdk_s3::config::Credentials::new(id.expose(), secret.expose(), None, None, "resee-file");
            loader = loader.credentials_provider(credentials);
        }
        let sdk = loader.load().await;
        // Each attempt gets half the budget, so a retry still fits in the whole.
        let timeouts = aws_sdk_s3::config::timeout::TimeoutConfig::builder()
            .connect_timeout(config.s3_timeout.min(std::time::Duration::from_secs(10)))
            .operation_attempt_timeout(config.s3_timeout / 2)
            .operation_timeout(config.s3_timeout)
            .build();
        let mut builder = aws_sdk_s3::config::Builder::from(&sdk)
            .timeout_config(timeouts)
            .force_path_style(config.force_path_style)
            .request_checksum_calculation(aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Self { s3: aws_sdk_s3::Client::from_conf(builder.build()), config }
    }

    /// The name of the database `DATABASE_URL` points at.
    pub fn database(&self) -> String {
        database_name(self.config.database_url.expose())
    }

    /// `<prefix>/<database>/`
    fn folder(&self, database: &str) -> String {
        if self.config.prefix.is_empty() {
            format!("{database}/")
        } else {
            format!("{}/{database}/", self.config.prefix)
        }
    }

    /// Every backup of `database` (those with a manifest), newest first.
    pub async fn list(&self, database: &str) -> anyhow::Result<Vec<Manifest>> {
        let mut manifests = Vec::new();
        let mut pages =
            self.s3.list_objects_v2().bucket(&self.config.bucket).prefix(self.folder(database)).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| anyhow::anyhow!("listing s3://{}: {}", self.config.bucket, sdk_error(&e)))?;
            for object in page.contents() {
                let Some(key) = object.key().filter(|k| k.ends_with(".dump.zst.json")) else { continue };
                let body = self
                    .s3
                    .get_object()
                    .bucket(&self.config.bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| anyhow::anyhow!("reading {key}: {}", sdk_error(&e)))?
                    .body
                    .collect()
                    .await?
                    .into_bytes();
                match serde_json::from_slice::<Manifest>(&body) {
                    Ok(manifest) => manifests.push(manifest),
                    Err(e) => tracing::warn!(key, error = %e, "ignoring an unreadable manifest"),
                }
            }
        }
        manifests.sort_by(|a, b| b.started_at.cmp(&a.started_at).then_with(|| b.key.cmp(&a.key)));
        Ok(manifests)
    }

    /// Backs up the configured database; returns its manifest. On any failure the multipart
    /// upload is aborted, so no partial object remains.
    pub async fn run(
        &self,
        db: &sqlx::PgPool,
        cancel: impl std::future::Future<Output = ()>,
    ) -> Result<Manifest, StepError> {
        let started_at = Utc::now();
        let clock = Instant::now();
        let database = self.database();
        let key = format!("{}{}.dump.zst", self.folder(&database), started_at.format("%Y%m%dT%H%M%SZ"));
        let versions = self.versions(db).await.map_err(at("connect"))?;

        let mut create =
            self.s3.create_multipart_upload().bucket(&self.config.bucket).key(&key).content_type("application/zstd");
        create = match &self.config.sse {
            Some(Sse::Aes256) => create.server_side_encryption(ServerSideEncryption::Aes256),
            Some(Sse::Kms(id)) => {
                create.server_side_encryption(ServerSideEncryption::AwsKms).set_ssekms_key_id(id.clone())
            }
            None => create,
        };
        let upload =
            create.send().await.map_err(|e| anyhow::anyhow!("{}", sdk_error(&e))).map_err(at("s3-create-upload"))?;
        let upload_id = upload.upload_id().unwrap_or_default().to_owned();
        tracing::info!(bucket = %self.config.bucket, key = %key, "backup upload started");
        let streamed = tokio::select! {
            result = self.stream_dump(&key, &upload_id) => result,
            () = cancel => Err(at("interrupted")(anyhow::anyhow!("stopped by a signal"))),
        };
        match streamed {
            Ok((bytes, dump_bytes, sha256)) => {
                let manifest = Manifest {
                    key: key.clone(),
                    database,
                    sha256,
                    bytes,
                    dump_bytes,
                    started_at,
                    duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
                    pg_dump_version: versions.0,
                    server_version: versions.1,
                    compression: format!("zstd level {}", self.config.compression_level),
                };
                let json = serde_json::to_vec_pretty(&manifest).map_err(|e| at("manifest")(e.into()))?;
                self.s3
                    .put_object()
                    .bucket(&self.config.bucket)
                    .key(format!("{key}.json"))
                    .content_type("application/json")
                    .body(ByteStream::from(json))
                    .send()
                    .await
                    .map_err(|e| at("manifest")(anyhow::anyhow!("{}", sdk_error(&e))))?;
                Ok(manifest)
            }
            Err(failure) => {
                // pg_dump (kill_on_drop) is gone with the dropped stream; now the parts.
                self.abort(&key, &upload_id).await;
                Err(failure)
            }
        }
    }

    /// Aborts a multipart upload (and deletes the object if it was completed without manifest).
    async fn abort(&self, key: &str, upload_id: &str) {
        let aborted =
            self.s3.abort_multipart_upload().bucket(&self.config.bucket).key(key).upload_id(upload_id).send().await;
        if let Err(e) = aborted {
            tracing::warn!(key, error = %sdk_error(&e), "could not abort the multipart upload (a lifecycle rule cleans it up)");
        }
        let _ = self.s3.delete_object().bucket(&self.config.bucket).key(key).send().await;
    }

    /// pg_dump → zstd → parts. Returns (object bytes, dump bytes, SHA-256 hex).
    async fn stream_dump(&self, key: &str, upload_id: &str) -> Result<(u64, u64, String), StepError> {
        let (url, password) = split_password(self.config.database_url.expose());
        let mut command = Command::new(&self.config.pg_dump);
        command
            .args(["--format=custom", "--compress=0", "--no-password", "--dbname"])
            .arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        if let Some(password) = password {
            command.env("PGPASSWORD", password);
        }
        let mut child =
            command.spawn().with_context(|| format!("cannot start {}", self.config.pg_dump)).map_err(at("pg_dump"))?;
        let stdout = child.stdout.take().ok_or_else(|| at("pg_dump")(anyhow::anyhow!("no stdout")))?;
        let mut stderr = child.stderr.take().ok_or_else(|| at("pg_dump")(anyhow::anyhow!("no stderr")))?;
        let stderr_task = tokio::spawn(async move {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text).await;
            text
        });
        let counted = CountingReader::new(stdout);
        let dump_counter = counted.counter();
        let mut encoder =
            ZstdEncoder::with_quality(BufReader::new(counted), Level::Precise(self.config.compression_level));
        let mut hasher = Sha256::new();
        let mut parts = Vec::new();
        let mut total: u64 = 0;
        let mut buffer = vec![0u8; self.config.part_size];
        // A progress line on a terminal; the log lines above are what a service records.
        let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let clock = Instant::now();
        loop {
            // Fill one part (or what is left).
            let mut filled = 0;
            while filled < buffer.len() {
                let n = encoder.read(&mut buffer[filled..]).await.map_err(|e| at("pg_dump")(e.into()))?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 && !parts.is_empty() {
                break;
            }
            hasher.update(&buffer[..filled]);
            total += filled as u64;
            // The filled buffer goes to the request as it is (no copy); the next part gets a
            // fresh one, whose pages are only touched as it fills, after this upload returned.
            let last = filled < buffer.len();
            let mut part_bytes =
                std::mem::replace(&mut buffer, if last { Vec::new() } else { vec![0u8; self.config.part_size] });
            part_bytes.truncate(filled);
            let number = i32::try_from(parts.len() + 1).unwrap_or(i32::MAX);
            let part = self
                .s3
                .upload_part()
                .bucket(&self.config.bucket)
                .key(key)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(part_bytes))
                .send()
                .await
                .map_err(|e| at("s3-upload-part")(anyhow::anyhow!("part {number}: {}", sdk_error(&e))))?;
            parts.push(CompletedPart::builder().e_tag(part.e_tag().unwrap_or_default()).part_number(number).build());
            tracing::info!(part = number, bytes = total, dump_bytes = dump_counter.get(), "backup part uploaded");
            if progress {
                let rate = dump_counter.get() as f64 / 1_048_576.0 / clock.elapsed().as_secs_f64().max(0.001);
                eprint!(
                    "\r{} of dump read, {} uploaded in {number} part(s), {rate:.1} MiB/s   ",
                    human_bytes(dump_counter.get()),
                    human_bytes(total)
                );
            }
            if last {
                break;
            }
        }
        if progress {
            eprintln!();
        }
        let status = child.wait().await.map_err(|e| at("pg_dump")(e.into()))?;
        let stderr_text = stderr_task.await.unwrap_or_default();
        if !status.success() {
            let tail: String =
                stderr_text.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
            return Err(at("pg_dump")(anyhow::anyhow!("pg_dump exited with {status}: {tail}")));
        }
        self.s3
            .complete_multipart_upload()
            .bucket(&self.config.bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
            .await
            .map_err(|e| at("s3-complete-upload")(anyhow::anyhow!("{}", sdk_error(&e))))?;
        Ok((total, dump_counter.get(), hex::encode(hasher.finalize())))
    }

    /// (pg_dump's version, the server's version).
    async fn versions(&self, db: &sqlx::PgPool) -> anyhow::Result<(String, String)> {
        let out = Command::new(&self.config.pg_dump)
            .arg("--version")
            .output()
            .await
            .with_context(|| format!("cannot run {}", self.config.pg_dump))?;
        let dump = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let server: String =
            sqlx::query_scalar("SHOW server_version").fetch_one(db).await.context("cannot reach the database")?;
        Ok((dump, server))
    }

    /// Downloads `manifest`'s object into `spool`, verifying size and SHA-256.
    pub async fn download_verified(&self, manifest: &Manifest, spool: &std::path::Path) -> anyhow::Result<()> {
        let object = self
            .s3
            .get_object()
            .bucket(&self.config.bucket)
            .key(&manifest.key)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("downloading {}: {}", manifest.key, sdk_error(&e)))?;
        let mut body = object.body;
        let mut file =
            tokio::fs::File::create(spool).await.with_context(|| format!("cannot create {}", spool.display()))?;
        let mut hasher = Sha256::new();
        let mut bytes: u64 = 0;
        while let Some(chunk) =
            body.try_next().await.map_err(|e| anyhow::anyhow!("downloading {}: {e}", manifest.key))?
        {
            hasher.update(&chunk);
            bytes += chunk.len() as u64;
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        let sha256 = hex::encode(hasher.finalize());
        anyhow::ensure!(
            sha256 == manifest.sha256 && bytes == manifest.bytes,
            "checksum mismatch for {}: the manifest says {} ({} bytes), the object is {sha256} ({bytes} bytes); nothing was restored",
            manifest.key,
            manifest.sha256,
            manifest.bytes
        );
        Ok(())
    }

    /// Decompresses `spool` into `pg_restore` against `target_url`.
    pub async fn pg_restore(&self, spool: &std::path::Path, target_url: &str, clean: bool) -> anyhow::Result<()> {
        let (url, password) = split_password(target_url);
        let mut command = Command::new(&self.config.pg_restore);
        command.args(["--no-owner", "--no-privileges", "--exit-on-error", "--no-password", "--dbname"]).arg(&url);
        if clean {
            command.args(["--clean", "--if-exists"]);
        }
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        if let Some(password) = password {
            command.env("PGPASSWORD", password);
        }
        let mut child = command.spawn().with_context(|| format!("cannot start {}", self.config.pg_restore))?;
        let mut stdin = child.stdin.take().context("pg_restore has no stdin")?;
        let file = tokio::fs::File::open(spool).await?;
        let mut decoder = ZstdDecoder::new(BufReader::new(file));
        let copied = tokio::io::copy(&mut decoder, &mut stdin).await;
        drop(stdin);
        let out = child.wait_with_output().await?;
        copied.context("decompressing the backup")?;
        anyhow::ensure!(
            out.status.success(),
            "pg_restore exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Ok(())
    }

    /// Deletes a backup: its manifest first (so it stops counting), then the dump.
    pub async fn delete(&self, manifest: &Manifest) -> anyhow::Result<()> {
        for key in [format!("{}.json", manifest.key), manifest.key.clone()] {
            self.s3
                .delete_object()
                .bucket(&self.config.bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| anyhow::anyhow!("deleting {key}: {}", sdk_error(&e)))?;
        }
        Ok(())
    }

    /// Writes the bucket's lifecycle rule for the prefix: objects expire after `days`, and
    /// incomplete multipart uploads are aborted after a day.
    pub async fn install_lifecycle(&self, days: i32) -> anyhow::Result<()> {
        use aws_sdk_s3::types::{
            AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration,
            LifecycleRule, LifecycleRuleFilter,
        };
        let rule = LifecycleRule::builder()
            .id("resee-backups")
            .status(ExpirationStatus::Enabled)
            .filter(LifecycleRuleFilter::builder().prefix(format!("{}/", self.config.prefix)).build())
            .expiration(LifecycleExpiration::builder().days(days).build())
            .abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder().days_after_initiation(1).build(),
            )
            .build()?;
        let config = BucketLifecycleConfiguration::builder().rules(rule).build()?;
        self.s3
            .put_bucket_lifecycle_configuration()
            .bucket(&self.config.bucket)
            .lifecycle_configuration(config)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("writing the lifecycle rule: {}", sdk_error(&e)))?;
        Ok(())
    }
}

/// Which backups retention removes: those older than `days`, except the newest `keep_last`.
/// `backups` is newest first.
pub fn to_prune(backups: &[Manifest], days: u32, keep_last: usize, now: DateTime<Utc>) -> Vec<Manifest> {
    let cutoff = now - chrono::TimeDelta::days(i64::from(days));
    backups.iter().skip(keep_last).filter(|m| m.started_at < cutoff).cloned().collect()
}

/// The error text of an SDK error with its causes (its `Display` alone says "service error").
fn sdk_error<E: std::error::Error + 'static>(e: &E) -> String {
    aws_sdk_s3::error::DisplayErrorContext(e).to_string()
}

/// Counts the bytes that pass through (the uncompressed dump size).
struct CountingReader<R> {
    inner: R,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

#[derive(Clone)]
struct Counter(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl Counter {
    fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl<R> CountingReader<R> {
    fn new(inner: R) -> Self {
        Self { inner, count: std::sync::Arc::default() }
    }

    fn counter(&self) -> Counter {
        Counter(self.count.clone())
    }
}

impl<R: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for CountingReader<R> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        self.count.fetch_add(read as u64, std::sync::atomic::Ordering::Relaxed);
        poll
    }
}

/// `backup run` as the CLI and the scheduled job do it: recorded in `backup_runs`, reported to
/// Slack and the metrics, and followed by retention after a success (never after a failure).
pub async fn run_recorded(
    store: &Store,
    db: &sqlx::PgPool,
    slack: &resee_core::slack::Slack,
    cancel: impl std::future::Future<Output = ()>,
) -> Result<Manifest, StepError> {
    use resee_core::slack::Level;
    let run_id = backups::start(db).await.map_err(|e| at("connect")(e.into()))?;
    let started = Instant::now();
    let outcome = store.run(db, cancel).await;
    let took = started.elapsed();
    match &outcome {
        Ok(m) => {
            let bytes = i64::try_from(m.bytes).unwrap_or(i64::MAX);
            let recorded = backups::succeeded(db, run_id, &m.key, bytes, &m.sha256).await;
            if let Err(e) = recorded {
                tracing::warn!(error = %e, "the backup succeeded but could not be recorded in backup_runs");
            }
            metrics::counter!("resee_backups_total", "outcome" => "succeeded").increment(1);
            metrics::gauge!("resee_backup_last_success_timestamp_seconds").set(Utc::now().timestamp() as f64);
            metrics::gauge!("resee_backup_last_bytes").set(m.bytes as f64);
            tracing::info!(key = %m.key, bytes = m.bytes, dump_bytes = m.dump_bytes, took_s = took.as_secs_f64(), "backup done");
            let text = format!(
                "`{}`: {} ({} of dump) in {:.1} s",
                m.key,
                human_bytes(m.bytes),
                human_bytes(m.dump_bytes),
                took.as_secs_f64()
            );
            if let Err(e) = slack.send(Level::Success, "resee-worker: backup done", &text).await {
                tracing::warn!(error = %e, "could not tell Slack");
            }
            match prune(store, db, store.config.retention_days, store.config.keep_last, false).await {
                Ok(gone) if !gone.is_empty() => tracing::info!(pruned = gone.len(), "old backups pruned"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "pruning failed; the next backup tries again"),
            }
        }
        Err(failure) => {
            let recorded = backups::failed(db, run_id, failure.step, &format!("{:#}", failure.error)).await;
            if let Err(e) = recorded {
                tracing::warn!(error = %e, "could not record the failed backup in backup_runs");
            }
            metrics::counter!("resee_backups_total", "outcome" => "failed").increment(1);
            tracing::error!(step = failure.step, error = %format!("{:#}", failure.error), "backup failed");
            let text = format!("Step `{}` failed after {:.1} s: {:#}", failure.step, took.as_secs_f64(), failure.error);
            if let Err(e) = slack.send(Level::Error, "resee-worker: backup FAILED", &text).await {
                tracing::warn!(error = %e, "could not tell Slack");
            }
        }
    }
    outcome
}

/// Applies retention to the configured database's backups; returns what was (or, with
/// `dry_run`, would be) deleted.
/// Deleted backups are marked in `backup_runs`, so the admin list shows only what exists.
pub async fn prune(
    store: &Store,
    db: &sqlx::PgPool,
    days: u32,
    keep_last: usize,
    dry_run: bool,
) -> anyhow::Result<Vec<Manifest>> {
    let backups = store.list(&store.database()).await?;
    let gone = to_prune(&backups, days, keep_last.max(1), Utc::now());
    if !dry_run {
        for manifest in &gone {
            store.delete(manifest).await?;
            backups::pruned(db, &manifest.key)
                .await
                .with_context(|| format!("marking {} as pruned in backup_runs", manifest.key))?;
        }
    }
    Ok(gone)
}

/// `12.3 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", units[unit]) }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn manifest(day: u32) -> Manifest {
        Manifest {
            key: format!("p/db/202611{day:02}T030000Z.dump.zst"),
            database: "db".into(),
            sha256: String::new(),
            bytes: 1,
            dump_bytes: 1,
            started_at: Utc.with_ymd_and_hms(2026, 11, day, 3, 0, 0).single().expect("valid"),
            duration_ms: 1,
            pg_dump_version: String::new(),
            server_version: String::new(),
            compression: String::new(),
        }
    }

    #[test]
    fn retention_keeps_the_newest_whatever_their_age() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().expect("valid");
        let backups: Vec<Manifest> = (1..=10).rev().map(manifest).collect(); // newest first
        // Older than 25 days (before Nov 5, 12:00): the 1st to the 5th.
        let gone: Vec<String> = to_prune(&backups, 25, 3, now).into_iter().map(|m| m.key).collect();
        assert_eq!(
            gone,
            [
                "p/db/20261105T030000Z.dump.zst",
                "p/db/20261104T030000Z.dump.zst",
                "p/db/20261103T030000Z.dump.zst",
                "p/db/20261102T030000Z.dump.zst",
                "p/db/20261101T030000Z.dump.zst"
            ]
        );
        // Everything is old, but the newest three stay.
        assert_eq!(to_prune(&backups, 1, 3, now).len(), 7);
        assert!(to_prune(&backups[..3], 0, 3, now).is_empty());
    }
}
