//! Redis outages (docs/OPERATIONS.md → When a service is down): a private `redis-server` per
//! test is killed with SIGKILL, paused with `DEBUG SLEEP` and restarted, while the api serves.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use resee_core::jobs::GenerateMcChoices;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{PASSWORD, TestApp, body, long_body};

/// A `redis-server` of the test's own, with an append-only file so that a restart keeps its
/// data (as a production Redis with AOF does).
struct PrivateRedis {
    port: u16,
    dir: std::path::PathBuf,
    child: Option<Child>,
}

impl PrivateRedis {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let dir = std::env::temp_dir().join(format!("resee-redis-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("redis dir");
        let mut redis = Self { port, dir, child: None };
        redis.restart();
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string(), "--save", ""])
            .args(["--appendonly", "yes", "--enable-debug-command", "yes", "--dir"])
            .arg(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server starts (is it installed?)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, as a crash or an OOM kill would.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Makes Redis unresponsive (its event loop sleeps) for `seconds`, in the background.
    fn pause(&self, seconds: u32) {
        let url = self.url();
        std::thread::spawn(move || {
            let client = redis::Client::open(url).expect("client");
            let mut conn = client.get_connection().expect("connect");
            let _: redis::RedisResult<()> = redis::cmd("DEBUG").arg("SLEEP").arg(seconds).query(&mut conn);
        });
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn spawn_on(db: PgPool, redis: &PrivateRedis) -> TestApp {
    let url = redis.url();
    TestApp::spawn_with(db, move |env| env.set("REDIS_URL", url)).await
}

async fn timed(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Duration) {
    let started = Instant::now();
    let response = app.request(method, path, token, body).await;
    let status = response.status();
    let took = started.elapsed();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        assert!(response.headers().contains_key("retry-after"), "503 without Retry-After on {path}");
        assert!(response.json::<Value>().await.expect("JSON")["detail"].is_string());
    }
    (status, took)
}

async fn dashboard_total(app: &TestApp, token: &str) -> i64 {
    let response = app.get_auth("/api/review/dashboard/", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await["total_content"].as_i64().expect("total_content")
}

async fn outbox_rows(app: &TestApp) -> i64 {
    resee_core::outbox::pending(&app.db).await.expect("outbox count")
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn with_redis_down_postgresql_work_goes_on_and_the_sign_in_flows_answer_503(db: PgPool) {
    let mut redis = PrivateRedis::start();
    let app = spawn_on(db, &redis).await;
    let token = app.signed_in("down@example.com").await;
    let (_, refresh) = app.login("down@example.com", PASSWORD).await;
    let first = app.note(&token, "Before the outage").await;
    assert_eq!(dashboard_total(&app, &token).await, 1, "cached while Redis is up");
    // The append-only file is written before Redis answers: a SIGKILL keeps the cached view.
    redis.kill();

    // Reads and writes that only need PostgreSQL keep working, without waiting on Redis.
    for (method, path, body) in [
        (Method::GET, "/api/contents/", None),
        (Method::GET, "/api/accounts/profile/", None),
        (Method::GET, "/api/review/schedules/today/", None),
        (Method::PUT, "/api/accounts/weekly-goal/", Some(json!({"weekly_goal": 9}))),
    ] {
        let (status, took) = timed(&app, method, path, Some(&token), body).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(took < Duration::from_secs(3), "{path} waited {took:?}");
    }
    let schedule = app.schedule_of(first["id"].as_i64().expect("id")).await;
    let done = app.complete(&token, schedule, json!({"result": "remembered"})).await;
    assert_eq!(done.status(), StatusCode::OK, "a completion without Idempotency-Key only needs PostgreSQL");
    // A write that causes a job keeps it in the outbox.
    let mc = json!({"title": "During the outage", "content": long_body(250), "review_mode": "multiple_choice"});
    let created = app.create_content(&token, mc).await;
    assert_eq!(outbox_rows(&app).await, 1, "the options job waits in the outbox");
    assert_eq!(dashboard_total(&app, &token).await, 2, "made fresh while the cache is unreachable");

    // Flows that need Redis to be safe refuse at once with 503 + Retry-After.
    let refusals = [
        (Method::POST, "/api/auth/token/", json!({"email": "down@example.com", "password": PASSWORD})),
        (
            Method::POST,
            "/api/accounts/users/register/",
            json!({"email": "new@example.com", "password": PASSWORD, "password_confirm": PASSWORD}),
        ),
        (Method::POST, "/api/accounts/password-reset/", json!({"email": "down@example.com"})),
        (Method::POST, "/api/accounts/resend-verification/", json!({"email": "down@example.com"})),
    ];
    for (method, path, body) in refusals {
        let (status, took) = timed(&app, method, path, None, Some(body)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(took < Duration::from_secs(3), "{path} waited {took:?}");
    }
    let refreshed = app.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await;
    assert_eq!(refreshed.status(), StatusCode::SERVICE_UNAVAILABLE);
    let keyed = app
        .client
        .post(app.url(&format!("/api/review/schedules/{schedule}/completions/")))
        .bearer_auth(&token)
        .header("idempotency-key", "outage-1")
        .json(&json!({"result": "remembered"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(keyed.status(), StatusCode::SERVICE_UNAVAILABLE, "never counted twice: refused while Redis is down");

    // Redis comes back with its old data. No restart of the api is needed.
    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = app.post("/api/auth/token/", json!({"email": "down@example.com", "password": PASSWORD})).await;
        if response.status() == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "sign-in did not recover: {}", response.status());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(dashboard_total(&app, &token).await, 2, "the view cached before the outage is never served");
    // The worker relays what the outbox kept (here by the same function its loop runs).
    let sent = resee_core::outbox::relay_due(&app.db, &app.redis, Duration::ZERO, 100).await.expect("relay");
    assert_eq!(sent, 1);
    assert_eq!(outbox_rows(&app).await, 0);
    let queued: Vec<GenerateMcChoices> = app.queued().await;
    assert_eq!(queued.iter().filter(|j| Some(j.content_id) == created["id"].as_i64()).count(), 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_first_request_after_a_redis_restart_succeeds(db: PgPool) {
    let mut redis = PrivateRedis::start();
    let app = spawn_on(db, &redis).await;
    let token = app.signed_in("restart@example.com").await;
    // Restarted between two requests: the api's connection is dead and it does not know yet.
    redis.kill();
    redis.restart();
    assert_eq!(app.get_auth("/api/contents/", &token).await.status(), StatusCode::OK);
    let login = app.post("/api/auth/token/", json!({"email": "restart@example.com", "password": PASSWORD})).await;
    assert_eq!(login.status(), StatusCode::OK, "no broken pipe reaches the client");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_stalled_redis_costs_at_most_the_configured_timeout(db: PgPool) {
    let redis = PrivateRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(db, move |env| {
        env.set("REDIS_URL", url);
        env.set("REDIS_TIMEOUT", "500ms");
    })
    .await;
    let token = app.signed_in("stall@example.com").await;
    redis.pause(4);
    for _ in 0..5 {
        let (status, took) = timed(&app, Method::GET, "/api/contents/", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(took < Duration::from_millis(2_000), "a read waited {took:?} on a stalled Redis");
    }
    let (status, took) = timed(
        &app,
        Method::POST,
        "/api/auth/token/",
        None,
        Some(json!({"email": "stall@example.com", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(took < Duration::from_millis(2_000), "sign-in waited {took:?}");
}
