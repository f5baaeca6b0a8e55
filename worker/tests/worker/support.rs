//! Real processes for the worker's tests: `resee-worker` and `resee-api` binaries, an aiosmtpd
//! SMTP server writing a Maildir, and an HTTP server standing in for Slack's webhook. Every
//! server binds 127.0.0.1 on a free port and is killed by PID when the test ends.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::routing::post;
use resee_core::config::{CommonConfig, Env};
use resee_core::redis::Redis;
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Polls `check` every 50 ms until it returns `Some`, or panics after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One test's world: its own database (from `#[sqlx::test]`), Redis key prefix and directory.
pub struct World {
    pub db: PgPool,
    pub db_url: String,
    pub redis: Redis,
    pub prefix: String,
    pub dir: PathBuf,
}

impl World {
    /// Waits until no `kind` job is queued, running or waiting for a retry, and the outbox is
    /// empty: from then on nothing already caused can still happen, so "nothing more arrived"
    /// is checked without sleeping.
    pub async fn settled(&self, kind: resee_core::jobs::JobKind) {
        let queue = resee_core::queue::Queue::new(self.redis.clone(), "test");
        eventually(Duration::from_secs(30), "the queue to settle", || {
            let (queue, db) = (queue.clone(), self.db.clone());
            async move {
                let stats = queue.stats(kind).await.ok()?;
                let outbox = resee_core::store::outbox::pending(&db).await.ok()?;
                (stats.queued + stats.running + stats.delayed == 0 && outbox == 0).then_some(())
            }
        })
        .await;
    }

    pub async fn new(db: PgPool) -> Self {
        resee_core::install_crypto_provider();
        let name = db.connect_options().get_database().expect("the test database has a name").to_owned();
        let server = std::env::var("DATABASE_URL").expect("DATABASE_URL is set (scripts/test.sh sets it)");
        let (head, _) = server.rsplit_once('/').expect("DATABASE_URL has a path");
        let db_url = format!("{head}/{name}");
        let prefix = format!("resee-wtest-{}", uuid::Uuid::new_v4().simple());
        let env = Env::from_pairs([
            ("DATABASE_URL", db_url.clone()),
            ("REDIS_URL", redis_url()),
            ("REDIS_KEY_PREFIX", prefix.clone()),
        ]);
        let redis = Redis::connect(&CommonConfig::from_env(&env).expect("config")).await.expect("redis");
        let dir = std::env::temp_dir().join(&prefix);
        std::fs::create_dir_all(&dir).expect("test directory");
        Self { db, db_url, redis, prefix, dir }
    }

    /// The environment both binaries share.
    fn base_env(&self) -> Vec<(String, String)> {
        [
            ("APP_ENV", "development".to_owned()),
            ("DATABASE_URL", self.db_url.clone()),
            ("DATABASE_MAX_CONNECTIONS", "4".to_owned()),
            ("REDIS_URL", redis_url()),
            ("REDIS_KEY_PREFIX", self.prefix.clone()),
            ("RUST_LOG", "info,resee_worker=debug".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Starts `resee-worker run`: schedules off, a 2-second visibility timeout, and `extra` on top.
    pub fn worker(&self, name: &str, extra: &[(&str, String)]) -> Proc {
        let metrics = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let env = self.run_env(&metrics.to_string(), extra);
        let mut process = Proc::spawn(name, Path::new(env!("CARGO_BIN_EXE_resee-worker")), &["run"], &env, &self.dir);
        process.metrics = Some(metrics);
        process
    }

    /// The settings [`World::worker`] gives the binary, for a worker run in-process
    /// (`resee_worker::Worker`), with `extra` on top.
    pub fn worker_config(&self, extra: &[(&str, String)]) -> resee_worker::config::WorkerConfig {
        let env = Env::from_pairs(self.run_env("127.0.0.1:0", extra));
        resee_worker::config::WorkerConfig::from_env(&env).expect("worker settings")
    }

    /// The environment of `resee-worker run`: schedules off, a 2-second visibility timeout, the
    /// metrics listener on `metrics`, and `extra` on top (later entries win).
    fn run_env(&self, metrics: &str, extra: &[(&str, String)]) -> Vec<(String, String)> {
        let mut env = self.base_env();
        env.extend(
            [
                ("METRICS_ADDR", metrics.to_owned()),
                ("PUBLIC_URL", "http://resee.test".to_owned()),
                ("MAIL_FROM", "Resee <no-reply@resee.test>".to_owned()),
                ("REMINDER_SCHEDULE", String::new()),
                ("HOUSEKEEPING_SCHEDULE", String::new()),
                ("JOB_VISIBILITY_TIMEOUT", "2s".to_owned()),
                ("SHUTDOWN_GRACE_PERIOD", "10s".to_owned()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v)),
        );
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        env
    }

    /// Starts `resee-worker <args>` in the background with `extra` variables.
    pub fn worker_command(&self, name: &str, args: &[&str], extra: &[(&str, String)]) -> Proc {
        let mut env = self.base_env();
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        Proc::spawn(name, Path::new(env!("CARGO_BIN_EXE_resee-worker")), args, &env, &self.dir)
    }

    /// Runs `resee-worker <args>` to completion: (success, stdout + stderr).
    pub fn worker_cli(&self, args: &[&str]) -> (bool, String) {
        self.worker_cli_with(args, &[])
    }

    /// [`World::worker_cli`] with `extra` variables.
    pub fn worker_cli_with(&self, args: &[&str], extra: &[(&str, String)]) -> (bool, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_resee-worker"))
            .args(args)
            .env_clear()
            .envs(self.base_env())
            .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .output()
            .expect("resee-worker runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }

    /// Starts `resee-api serve` (built next to the worker by `cargo test --workspace`); returns
    /// the process and its base URL once `/api/health/` answers.
    pub async fn api(&self, extra: &[(&str, String)]) -> (Proc, String) {
        let binary = Path::new(env!("CARGO_BIN_EXE_resee-worker")).with_file_name("resee-api");
        assert!(
            binary.exists(),
            "{} is missing: run the tests with `cargo test --workspace` (scripts/test.sh)",
            binary.display()
        );
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut env = self.base_env();
        env.extend(
            [
                ("BIND_ADDR", format!("127.0.0.1:{port}")),
                ("JWT_SECRET", "worker-test-secret-0123456789abcdef0123".to_owned()),
                ("PUBLIC_URL", base.clone()),
                ("RATE_LIMIT_REGISTER", "1000/min".to_owned()),
                ("RATE_LIMIT_EMAIL", "1000/min".to_owned()),
                ("RATE_LIMIT_ANON", "100000/min".to_owned()),
                ("PASSWORD_HASH_CONCURRENCY", "2".to_owned()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v)),
        );
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        let process = Proc::spawn("api", &binary, &["serve"], &env, &self.dir);
        let client = reqwest::Client::new();
        let health = format!("{base}/api/health/");
        eventually(Duration::from_secs(20), "the api to answer", || {
            let request = client.get(&health).send();
            async move { request.await.ok().filter(|r| r.status().is_success()).map(|_| ()) }
        })
        .await;
        (process, base)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let pattern = format!("{}:*", self.prefix);
        if let Ok(mut conn) = redis::Client::open(redis_url()).and_then(|c| c.get_connection()) {
            let keys: Vec<String> = redis::cmd("KEYS").arg(&pattern).query(&mut conn).unwrap_or_default();
            if !keys.is_empty() {
                let _: redis::RedisResult<()> = redis::cmd("DEL").arg(keys).query(&mut conn);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// A child process whose output goes to `<dir>/<name>.log`; killed (SIGKILL) when dropped.
pub struct Proc {
    pub name: String,
    child: Child,
    log: PathBuf,
    /// The worker's `METRICS_ADDR`.
    pub metrics: Option<SocketAddr>,
}

impl Proc {
    pub fn spawn(name: &str, binary: &Path, args: &[&str], env: &[(String, String)], dir: &Path) -> Self {
        let log = dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let child = Command::new(binary)
            .args(args)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        Self { name: name.to_owned(), child, log, metrics: None }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The worker's `/metrics` text, once it answers.
    pub async fn metrics_text(&self) -> String {
        let url = format!("http://{}/metrics", self.metrics.expect("a worker"));
        eventually(Duration::from_secs(20), "the worker's /metrics", || {
            let request = reqwest::get(url.clone());
            async move { request.await.ok()?.text().await.ok() }
        })
        .await
    }

    /// The sum of a metric's samples whose labels contain every one of `labels`.
    pub async fn metric(&self, name: &str, labels: &[&str]) -> f64 {
        sum_metric(&self.metrics_text().await, name, labels)
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status().expect("kill runs");
        assert!(status.success(), "kill -TERM {}", self.pid());
    }

    /// SIGKILL, as a crash would.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to exit; its exit status, or None after `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Asserts a clean exit within `timeout` (after `terminate`); the log tells why not.
    pub async fn exits_cleanly(&mut self, timeout: Duration) {
        let status = self.wait_exit(timeout).await;
        assert!(
            status.is_some_and(|s| s.success()),
            "{} did not stop cleanly within {timeout:?} ({status:?}):\n{}",
            self.name,
            self.log()
        );
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("---- {} log ----\n{}", self.name, self.log());
        }
    }
}

/// The Python of the project's virtualenv (scripts/test.sh exports `RESEE_PYTHON`).
fn python() -> String {
    std::env::var("RESEE_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn smtp_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py")
}

/// An email as the Maildir reader decodes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Mail {
    pub headers: std::collections::HashMap<String, String>,
    pub subject: String,
    pub to: String,
    pub rcpt: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Mail {
    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }

    /// The HTML body with the entities the templates write for `/` and `&` decoded.
    pub fn html(&self) -> String {
        self.html.as_deref().unwrap_or_default().replace("&#x2f;", "/").replace("&amp;", "&")
    }
}

/// aiosmtpd on a port of its own, writing to a Maildir.
pub struct Smtp {
    pub port: u16,
    maildir: PathBuf,
    process: Option<Proc>,
    dir: PathBuf,
}

impl Smtp {
    /// A port with no server yet (for "SMTP is down" tests); [`Smtp::up`] starts it.
    pub fn down(world: &World) -> Self {
        Self { port: free_port(), maildir: world.dir.join("maildir"), process: None, dir: world.dir.clone() }
    }

    pub async fn start(world: &World) -> Self {
        let mut smtp = Self::down(world);
        smtp.up().await;
        smtp
    }

    pub async fn up(&mut self) {
        let script = smtp_script();
        let port = self.port.to_string();
        let maildir = self.maildir.to_string_lossy().into_owned();
        let process = Proc::spawn(
            "smtp",
            Path::new(&python()),
            &[&script.to_string_lossy(), "serve", &port, &maildir],
            &[],
            &self.dir,
        );
        self.process = Some(process);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        eventually(
            Duration::from_secs(20),
            "aiosmtpd to listen (is it installed? scripts/test.sh sets up the venv)",
            || async move { tokio::net::TcpStream::connect(addr).await.ok().map(|_| ()) },
        )
        .await;
    }

    /// `smtp://127.0.0.1:<port>?tls=none`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Mail> {
        if !self.maildir.join("new").exists() {
            return Vec::new();
        }
        let out = Command::new(python())
            .arg(smtp_script())
            .arg("read")
            .arg(&self.maildir)
            .output()
            .expect("the Maildir reader runs");
        assert!(out.status.success(), "Maildir reader: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("Maildir JSON")
    }

    /// Messages to `to`.
    pub fn to(&self, to: &str) -> Vec<Mail> {
        self.messages().into_iter().filter(|m| m.rcpt == to).collect()
    }

    /// Waits until `count` messages to `to` arrived; returns them.
    pub async fn wait_for(&self, to: &str, count: usize, timeout: Duration) -> Vec<Mail> {
        eventually(timeout, &format!("{count} email(s) to {to}"), || {
            let mails = self.to(to);
            async move { (mails.len() >= count).then_some(mails) }
        })
        .await
    }
}

/// A local HTTP server standing in for Slack's incoming webhook; records every JSON body.
pub struct SlackStandIn {
    pub url: String,
    received: Arc<Mutex<Vec<Value>>>,
}

impl SlackStandIn {
    pub async fn start() -> Self {
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let store = received.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |Json(body): Json<Value>| {
                let store = store.clone();
                async move {
                    store.lock().expect("lock").push(body);
                    "ok"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, received }
    }

    pub fn messages(&self) -> Vec<Value> {
        self.received.lock().expect("lock").clone()
    }
}

/// Sums the samples of `name` (exact metric name) whose label set contains every `labels` item
/// (e.g. `kind="noop"`).
pub fn sum_metric(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let metric = series.split('{').next()?;
            (metric == name && labels.iter().all(|l| series.contains(l))).then(|| value.parse::<f64>().ok())?
        })
        .sum()
}

/// A signed-in user of a running api.
pub struct ApiUser {
    base: String,
    http: reqwest::Client,
    token: String,
}

impl ApiUser {
    /// Registers `email` (the api must run with `ENFORCE_EMAIL_VERIFICATION=false`) and signs in.
    pub async fn sign_up(base: &str, email: &str) -> Self {
        const PASSWORD: &str = "Quiet-River-2941";
        let http = reqwest::Client::new();
        let registered = http
            .post(format!("{base}/api/accounts/users/register/"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD, "password_confirm": PASSWORD}))
            .send()
            .await
            .expect("register");
        assert_eq!(registered.status(), reqwest::StatusCode::CREATED);
        let login: Value = http
            .post(format!("{base}/api/auth/token/"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login body");
        let token = login["access"].as_str().expect("an access token").to_owned();
        Self { base: base.to_owned(), http, token }
    }

    /// Sends a request; returns the status and the JSON body (`null` when there is none).
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (reqwest::StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the api answers");
        let status = response.status();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (reqwest::StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
}
