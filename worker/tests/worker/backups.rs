//! Backups against real PostgreSQL (pg_dump/pg_restore 15) and a real S3-compatible server
//! (moto), through the `resee-worker backup` commands.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{Proc, SlackStandIn, World, eventually, free_port};

const BUCKET: &str = "resee-backups-test";

/// moto's S3 on a free port, with the test bucket.
pub struct S3 {
    endpoint: String,
    client: aws_sdk_s3::Client,
    process: Proc,
}

impl S3 {
    pub async fn start(world: &World) -> Self {
        let port = free_port().to_string();
        Self::spawn(world, &["-m", "moto.server", "-H", "127.0.0.1", "-p", &port], &port).await
    }

    /// moto behind `worker/tests/s3_stall_server.py`: part uploads hang while `flag` exists.
    pub async fn start_stallable(world: &World, flag: &Path) -> Self {
        let port = free_port().to_string();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/s3_stall_server.py");
        let script = script.display().to_string();
        Self::spawn(world, &[&script, &port, &flag.display().to_string()], &port).await
    }

    async fn spawn(world: &World, args: &[&str], port: &str) -> Self {
        let python = std::env::var("RESEE_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let path = [("PATH".to_owned(), std::env::var("PATH").unwrap_or_default())];
        let process = Proc::spawn("moto", Path::new(&python), args, &path, &world.dir);
        let endpoint = format!("http://127.0.0.1:{port}");
        let probe = format!("{endpoint}/moto-api/");
        eventually(Duration::from_secs(30), "moto to answer (installed by scripts/test.sh?)", || {
            let request = reqwest::get(probe.clone());
            async move { request.await.ok().map(|_| ()) }
        })
        .await;
        let config = aws_sdk_s3::config::Builder::new()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "test"))
            .endpoint_url(&endpoint)
            .force_path_style(true)
            .build();
        let client = aws_sdk_s3::Client::from_conf(config);
        client.create_bucket().bucket(BUCKET).send().await.expect("create the bucket");
        Self { endpoint, client, process }
    }

    /// The backup settings of the worker.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("S3_BUCKET", BUCKET.to_owned()),
            ("S3_PREFIX", "backups".to_owned()),
            ("S3_ENDPOINT", self.endpoint.clone()),
            ("S3_FORCE_PATH_STYLE", "true".to_owned()),
            ("S3_REGION", "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("BACKUP_PART_SIZE_MIB", "5".to_owned()),
        ]
    }

    pub async fn keys(&self) -> Vec<String> {
        let out = self.client.list_objects_v2().bucket(BUCKET).send().await.expect("list");
        out.contents().iter().filter_map(|o| o.key().map(str::to_owned)).collect()
    }

    pub async fn open_uploads(&self) -> usize {
        let out = self.client.list_multipart_uploads().bucket(BUCKET).send().await.expect("uploads");
        out.uploads().len()
    }
}

/// Tables with a few thousand rows, non-ASCII text included.
async fn seed(db: &PgPool) {
    sqlx::query(
        "INSERT INTO users (email, password_hash, username)
         SELECT 'user' || n || '@example.com', 'hash-' || n, '학습자 ' || n FROM generate_series(1, 300) n",
    )
    .execute(db)
    .await
    .expect("users");
    sqlx::query(
        "INSERT INTO contents (author_id, title, body)
         SELECT u.id, '노트 ' || n, repeat('Ebbinghaus 망각 곡선 — ', 1 + n % 7) || n
         FROM users u CROSS JOIN generate_series(1, 10) n",
    )
    .execute(db)
    .await
    .expect("contents");
    sqlx::query("INSERT INTO review_schedules (user_id, content_id) SELECT author_id, id FROM contents")
        .execute(db)
        .await
        .expect("schedules");
}

/// Row count and a checksum of every table's contents (`backup_runs` aside: the dump holds the
/// run that was still going).
async fn fingerprint(url: &str) -> Vec<(String, i64, String)> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.expect("connect");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'backup_runs' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    let mut out = Vec::new();
    for table in tables {
        let sql =
            format!("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t");
        let (count, sum): (i64, String) =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.expect("checksum");
        out.push((table, count, sum));
    }
    pool.close().await;
    out
}

fn cli(world: &World, s3: &S3, args: &[&str], extra: &[(&str, String)]) -> (bool, String) {
    let mut env = s3.env();
    env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
    world.worker_cli_with(args, &env)
}

async fn drop_database(world: &World, name: &str) {
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&world.db).await;
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_backup_restores_into_a_new_database_with_every_row(db: PgPool) {
    let world = World::new(db).await;
    let s3 = S3::start(&world).await;
    seed(&world.db).await;

    let (ok, out) = cli(&world, &s3, &["backup", "run"], &[]);
    assert!(ok && out.contains("backed up to s3://"), "{out}");
    let keys = s3.keys().await;
    assert_eq!(keys.len(), 2, "the dump and its manifest: {keys:?}");
    assert!(keys.iter().any(|k| k.ends_with(".dump.zst")) && keys.iter().all(|k| k.starts_with("backups/")));
    assert_eq!(s3.open_uploads().await, 0);
    let (outcome, bytes): (String, Option<i64>) =
        sqlx::query_as("SELECT outcome, bytes FROM backup_runs").fetch_one(&world.db).await.expect("run");
    assert_eq!(outcome, "succeeded");

    let (ok, listed) = cli(&world, &s3, &["backup", "list", "--json"], &[("RUST_LOG", "off".to_owned())]);
    assert!(ok, "{listed}");
    let manifests: Vec<Value> = serde_json::from_str(&listed).expect("json");
    assert_eq!(manifests.len(), 1);
    assert_eq!(manifests[0]["bytes"].as_i64(), bytes);
    assert!(manifests[0]["server_version"].as_str().is_some_and(|v| v.starts_with("15")), "{listed}");
    let (ok, table) = cli(&world, &s3, &["backup", "list"], &[]);
    assert!(ok && table.contains(manifests[0]["key"].as_str().unwrap_or("?")), "{table}");

    let target_name = format!("resee_copy_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let target = world.db_url.rsplit_once('/').map(|(head, _)| format!("{head}/{target_name}")).expect("url");
    let (ok, out) = cli(&world, &s3, &["backup", "restore", "latest", "--target-url", &target], &[]);
    assert!(ok && out.contains("checksum verified") && out.contains("restored into"), "{out}");
    let (source, copy) = (fingerprint(&world.db_url).await, fingerprint(&target).await);
    assert!(source.iter().any(|(t, n, _)| t == "contents" && *n == 3000), "{source:?}");
    assert_eq!(source, copy);
    // The dump holds its own run as `running`; the restored database says how it ended.
    let restored = PgPool::connect(&target).await.expect("connect to the copy");
    let runs: Vec<(String, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT outcome, key, bytes FROM backup_runs").fetch_all(&restored).await.expect("runs");
    restored.close().await;
    let key = manifests[0]["key"].as_str().map(str::to_owned);
    assert_eq!(runs, vec![("succeeded".to_owned(), key, bytes)]);

    // Without a target: a new database named after the backup.
    let (ok, out) = cli(&world, &s3, &["backup", "restore", "latest"], &[]);
    assert!(ok && out.contains("(a new database)"), "{out}");
    let created =
        out.lines().find_map(|l| l.strip_prefix("restored into ")).expect("the new database's name").trim().to_owned();
    assert!(created.contains("_restore_"), "{created}");
    let created_url = world.db_url.rsplit_once('/').map(|(head, _)| format!("{head}/{created}")).expect("url");
    assert_eq!(fingerprint(&created_url).await, source);
    drop_database(&world, &created).await;

    // A second restore into the same, now full, database needs --clean --yes.
    let (ok, out) = cli(&world, &s3, &["backup", "restore", "latest", "--target-url", &target], &[]);
    assert!(!ok && out.contains("--clean --yes"), "{out}");
    let (ok, out) =
        cli(&world, &s3, &["backup", "restore", "latest", "--target-url", &target, "--clean", "--yes"], &[]);
    assert!(ok, "{out}");
    assert_eq!(fingerprint(&target).await, source);
    drop_database(&world, &target_name).await;
}

fn resee_worker_db_name(world: &World) -> String {
    world.db_url.rsplit('/').next().unwrap_or_default().to_owned()
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_tampered_backup_fails_at_the_checksum_and_touches_nothing(db: PgPool) {
    let world = World::new(db).await;
    let s3 = S3::start(&world).await;
    seed(&world.db).await;
    let (ok, out) = cli(&world, &s3, &["backup", "run"], &[]);
    assert!(ok, "{out}");
    let key = s3.keys().await.into_iter().find(|k| k.ends_with(".dump.zst")).expect("a dump");
    let original =
        s3.client.get_object().bucket(BUCKET).key(&key).send().await.expect("get").body.collect().await.expect("body");
    let mut bytes = original.to_vec();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    s3.client.put_object().bucket(BUCKET).key(&key).body(ByteStream::from(bytes)).send().await.expect("tamper");

    let target_name = format!("resee_tampered_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let target = world.db_url.rsplit_once('/').map(|(head, _)| format!("{head}/{target_name}")).expect("url");
    let (ok, out) = cli(&world, &s3, &["backup", "restore", &key, "--target-url", &target], &[]);
    assert!(!ok && out.contains("checksum mismatch"), "{out}");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&target_name)
        .fetch_one(&world.db)
        .await
        .expect("exists");
    assert!(!exists, "the target was not created");
}

/// A fake `pg_dump` for fault tests: `--version` answers, a dump runs the real one first.
fn fake_pg_dump(dir: &Path, name: &str, after_dump: &str) -> PathBuf {
    let path = dir.join(name);
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then exec pg_dump --version; fi\npg_dump \"$@\" || exit $?\n{after_dump}\n"
    );
    std::fs::write(&path, script).expect("script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn failures_leave_no_object_alert_slack_and_a_later_run_succeeds(db: PgPool) {
    let world = World::new(db).await;
    let s3 = S3::start(&world).await;
    let slack = SlackStandIn::start().await;
    seed(&world.db).await;
    let hook = ("SLACK_WEBHOOK_URL", slack.url.clone());
    // A backup from two months ago: retention must not touch it after a failed run.
    let old = put_backup(&s3, &resee_worker_db_name(&world), 60).await;
    let old_keys = vec![old.clone(), format!("{old}.json")];

    // pg_dump fails (exits non-zero after writing part of a dump).
    let failing = fake_pg_dump(&world.dir, "failing-pg-dump", "exit 3");
    let (ok, out) =
        cli(&world, &s3, &["backup", "run"], &[hook.clone(), ("PG_DUMP_PATH", failing.display().to_string())]);
    assert!(!ok && out.contains("step `pg_dump`"), "{out}");

    // S3 unreachable.
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let (ok, out) = cli(&world, &s3, &["backup", "run"], &[hook.clone(), ("S3_ENDPOINT", nowhere)]);
    assert!(!ok && out.contains("step `s3-create-upload`"), "{out}");

    // SIGTERM in the middle of a run (pg_dump is done, its stream still open).
    let slow = fake_pg_dump(&world.dir, "slow-pg-dump", "sleep 30");
    let mut env = s3.env();
    env.extend([hook.clone(), ("PG_DUMP_PATH", slow.display().to_string())]);
    let mut running = world.worker_command("backup-run", &["backup", "run"], &env);
    eventually(Duration::from_secs(30), "the upload to start", || {
        let log = running.log();
        async move { log.contains("backup upload started").then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    running.terminate();
    let status = running.wait_exit(Duration::from_secs(20)).await.expect("the run stops");
    assert!(!status.success(), "{}", running.log());
    assert!(running.log().contains("step `interrupted`"), "{}", running.log());

    assert_eq!(s3.keys().await, old_keys, "no partial object, and nothing pruned after failures");
    assert_eq!(s3.open_uploads().await, 0, "every multipart upload aborted");
    let failed: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT outcome, step FROM backup_runs ORDER BY id").fetch_all(&world.db).await.expect("runs");
    assert_eq!(
        failed,
        vec![
            ("failed".to_owned(), Some("pg_dump".to_owned())),
            ("failed".to_owned(), Some("s3-create-upload".to_owned())),
            ("failed".to_owned(), Some("interrupted".to_owned())),
        ]
    );
    let alerts = slack.messages();
    assert_eq!(alerts.len(), 3, "{alerts:?}");
    assert!(alerts.iter().all(|a| a["text"] == "resee-worker: backup FAILED"));

    // A successful run prunes: keeping only the newest one, the old backup goes.
    let (ok, out) = cli(&world, &s3, &["backup", "run"], &[hook, ("BACKUP_KEEP_LAST", "1".to_owned())]);
    assert!(ok, "{out}");
    let keys = s3.keys().await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(!keys.contains(&old), "{keys:?}");
    assert_eq!(slack.messages().last().map(|a| a["text"].clone()), Some(Value::from("resee-worker: backup done")));
}

/// A made-up backup (object and manifest) of `days` days ago; returns its key.
async fn put_backup(s3: &S3, database: &str, days: i64) -> String {
    let at = chrono::Utc::now() - chrono::TimeDelta::days(days);
    let key = format!("backups/{database}/{}.dump.zst", at.format("%Y%m%dT%H%M%SZ"));
    let manifest = serde_json::json!({
        "key": key, "database": database, "sha256": "00", "bytes": 1, "dump_bytes": 1,
        "started_at": at.to_rfc3339(), "duration_ms": 1, "pg_dump_version": "pg_dump (PostgreSQL) 15",
        "server_version": "15", "compression": "zstd level 3",
    });
    s3.client.put_object().bucket(BUCKET).key(&key).body(ByteStream::from_static(b"x")).send().await.expect("put");
    let json = serde_json::to_vec(&manifest).expect("json");
    s3.client
        .put_object()
        .bucket(BUCKET)
        .key(format!("{key}.json"))
        .body(ByteStream::from(json))
        .send()
        .await
        .expect("put");
    key
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn prune_keeps_the_newest_and_deletes_the_old(db: PgPool) {
    let world = World::new(db).await;
    let s3 = S3::start(&world).await;
    let database = resee_worker_db_name(&world);
    // Six backups made 1, 2, 10, 40, 50 and 60 days ago.
    for days in [1, 2, 10, 40, 50, 60] {
        put_backup(&s3, &database, days).await;
    }
    // The secret key from a file (Docker/Kubernetes secrets), as the dry run's credentials.
    let secret_file = world.dir.join("aws-secret");
    std::fs::write(&secret_file, "test\n").expect("secret file");
    let mut env: Vec<(&str, String)> = s3.env().into_iter().filter(|(k, _)| *k != "AWS_SECRET_ACCESS_KEY").collect();
    env.push(("AWS_SECRET_ACCESS_KEY_FILE", secret_file.display().to_string()));
    let (ok, out) = world.worker_cli_with(&["backup", "prune", "--days", "30", "--keep-last", "3", "--dry-run"], &env);
    assert!(ok && out.contains("would delete 3 backup(s)"), "{out}");
    env.retain(|(k, _)| *k != "AWS_SECRET_ACCESS_KEY_FILE");
    env.push(("AWS_SECRET_ACCESS_KEY_FILE", world.dir.join("missing").display().to_string()));
    let (ok, out) = world.worker_cli_with(&["backup", "list"], &env);
    assert!(!ok && out.contains("AWS_SECRET_ACCESS_KEY_FILE"), "{out}");
    assert_eq!(s3.keys().await.len(), 12);
    let (ok, out) = cli(&world, &s3, &["backup", "prune", "--days", "30", "--keep-last", "3"], &[]);
    assert!(ok && out.contains("deleted 3 backup(s)"), "{out}");
    assert_eq!(s3.keys().await.len(), 6);
    // Everything is older than a day, but the newest three always stay.
    let (ok, out) = cli(&world, &s3, &["backup", "prune", "--days", "0", "--keep-last", "3"], &[]);
    assert!(ok && out.contains("deleted 0 backup(s)"), "{out}");
    let (ok, out) = cli(&world, &s3, &["backup", "lifecycle", "install", "--days", "45"], &[]);
    assert!(ok && out.contains("lifecycle rule installed"), "{out}");
    let rules = s3.client.get_bucket_lifecycle_configuration().bucket(BUCKET).send().await.expect("lifecycle");
    let rule = &rules.rules()[0];
    assert_eq!(rule.expiration().and_then(|e| e.days()), Some(45));
    assert_eq!(rule.abort_incomplete_multipart_upload().and_then(|a| a.days_after_initiation()), Some(1));
}

/// A TCP proxy in front of S3 that, once `cut_after` bytes went upstream in all, cuts every
/// connection as soon as it has carried more than a mebibyte (a part upload); small requests
/// (such as the abort) still pass. Returns its address and the bytes forwarded upstream.
async fn cutting_proxy(upstream: &str, cut_after: u64) -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let forwarded = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let total = forwarded.clone();
    let upstream = upstream.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else { continue };
            let total = total.clone();
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let back = tokio::spawn(async move { tokio::io::copy(&mut server_read, &mut client_write).await });
                let mut buf = vec![0u8; 64 * 1024];
                let mut this_connection: u64 = 0;
                loop {
                    let n = match client_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    this_connection += n as u64;
                    let sum = total.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
                    if sum > cut_after && this_connection > 1024 * 1024 {
                        break; // the network breaks in the middle of a part
                    }
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
                back.abort();
            });
        }
    });
    (format!("http://{addr}"), forwarded)
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn s3_failing_mid_upload_aborts_the_upload(db: PgPool) {
    let world = World::new(db).await;
    let s3 = S3::start(&world).await;
    let slack = SlackStandIn::start().await;
    // About 24 MB of random hex text: a dump of three 5 MiB parts or more after compression.
    sqlx::query(
        "CREATE TABLE filler AS SELECT g, (SELECT string_agg(md5(g || '-' || k || random()::text), '')
                                           FROM generate_series(1, 32) k) AS body
         FROM generate_series(1, 24000) g",
    )
    .execute(&world.db)
    .await
    .expect("filler");
    let (proxy, forwarded) = cutting_proxy(&s3.endpoint, 7 * 1024 * 1024).await;
    // In the background: the proxy and the Slack stand-in run on this test's runtime.
    let mut env = s3.env();
    env.retain(|(k, _)| *k != "S3_ENDPOINT");
    env.extend([("S3_ENDPOINT", proxy), ("SLACK_WEBHOOK_URL", slack.url.clone())]);
    let mut run = world.worker_command("backup-run", &["backup", "run"], &env);
    let status = run.wait_exit(Duration::from_secs(120)).await.expect("the backup gives up");
    assert!(!status.success() && run.log().contains("step `s3-upload-part`"), "{}", run.log());
    assert!(forwarded.load(std::sync::atomic::Ordering::Relaxed) > 5 * 1024 * 1024, "a first part went through");
    assert!(s3.keys().await.is_empty(), "no partial object");
    assert_eq!(s3.open_uploads().await, 0, "the multipart upload was aborted");
    assert!(slack.messages().iter().any(|m| m["text"] == "resee-worker: backup FAILED"));
    let (ok, out) = cli(&world, &s3, &["backup", "run"], &[]);
    assert!(ok, "{out}");
    assert_eq!(s3.keys().await.into_iter().filter(|k| k.ends_with(".json")).count(), 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_stalled_or_dead_s3_fails_the_backup_within_its_timeout(db: PgPool) {
    let world = World::new(db).await;
    let flag = world.dir.join("stall-s3");
    let mut s3 = S3::start_stallable(&world, &flag).await;
    seed(&world.db).await;
    let slack = SlackStandIn::start().await;
    let mut env = s3.env();
    env.extend([("SLACK_WEBHOOK_URL", slack.url.clone()), ("BACKUP_S3_TIMEOUT", "4s".to_owned())]);

    // S3 stops answering part uploads: the backup gives up after the timeout, kills pg_dump
    // (its snapshot released) and aborts the upload.
    std::fs::write(&flag, b"").expect("flag");
    let started = std::time::Instant::now();
    let mut stalled = world.worker_command("backup-stalled", &["backup", "run"], &env);
    let status = stalled.wait_exit(Duration::from_secs(30)).await.expect("the stalled backup ends");
    let took = started.elapsed();
    std::fs::remove_file(&flag).expect("unflag");
    assert!(!status.success() && stalled.log().contains("step `s3-upload-part`"), "{}", stalled.log());
    assert!(took < Duration::from_secs(15), "a 4 s timeout took {took:?}");
    assert_eq!(s3.open_uploads().await, 0, "the multipart upload is aborted");
    assert!(s3.keys().await.is_empty());
    eventually(Duration::from_secs(5), "pg_dump's session (and snapshot) to end", || {
        let query =
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'")
                .fetch_one(&world.db);
        async move { (query.await.ok()? == 0).then_some(()) }
    })
    .await;

    // S3 dies in the middle of an upload.
    std::fs::write(&flag, b"").expect("flag");
    let stalls = || s3.process.log().matches("stalling a part upload").count();
    let stalled_before = stalls();
    let started = std::time::Instant::now();
    let mut dying = world.worker_command("backup-dying", &["backup", "run"], &env);
    eventually(Duration::from_secs(20), "a part upload to stall", || {
        let stalled = stalls() > stalled_before;
        async move { stalled.then_some(()) }
    })
    .await;
    s3.process.kill9();
    let status = dying.wait_exit(Duration::from_secs(30)).await.expect("the backup ends when S3 dies");
    assert!(!status.success() && dying.log().contains("step `s3-upload-part`"), "{}", dying.log());
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());

    let outcomes: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT outcome, step FROM backup_runs ORDER BY id").fetch_all(&world.db).await.expect("runs");
    assert_eq!(outcomes, vec![("failed".to_owned(), Some("s3-upload-part".to_owned())); 2]);
    let alerts = slack.messages();
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert!(alerts.iter().all(|a| a["text"] == "resee-worker: backup FAILED"));
}
