//! Starts the real application on a random port against the test's own database and a private
//! Redis key prefix, and offers the few helpers the tests share.

use std::net::SocketAddr;

use redis::AsyncCommands as _;
use reqwest::{Method, Response, StatusCode};
use resee_api::App;
use resee_api::config::ApiConfig;
use resee_core::config::Env;
use resee_core::jobs::{self, Job, SendEmail};
use resee_core::redis::Redis;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::sync::oneshot;

pub const JWT_SECRET: &str = "integration-test-secret-0123456789abcdef";
pub const PASSWORD: &str = "Quiet-River-2941";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: PgPool,
    pub redis: Redis,
    stop: Option<oneshot::Sender<()>>,
    keep_redis_keys: bool,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if self.keep_redis_keys {
            return;
        }
        // Leave the shared Redis as we found it: delete this test's keys.
        let pattern = format!("{}:*", self.redis.prefix());
        if let Ok(mut conn) = redis::Client::open(redis_url()).and_then(|c| c.get_connection()) {
            let keys: Vec<String> = redis::cmd("KEYS").arg(&pattern).query(&mut conn).unwrap_or_default();
            if !keys.is_empty() {
                let _: redis::RedisResult<()> = redis::cmd("DEL").arg(keys).query(&mut conn);
            }
        }
    }
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// The settings every test starts from: generous rate limits (tests about limits set their
/// own), verification enforced, development cookies.
fn base_env() -> Env {
    Env::from_pairs([
        ("APP_ENV", "development".to_owned()),
        ("DATABASE_URL", "postgres://unused-the-test-pool-is-passed-in".to_owned()),
        ("REDIS_URL", redis_url()),
        ("REDIS_KEY_PREFIX", format!("resee-test-{}", uuid::Uuid::new_v4().simple())),
        ("JWT_SECRET", JWT_SECRET.to_owned()),
        ("PUBLIC_URL", "http://resee.test".to_owned()),
        ("RATE_LIMIT_LOGIN", "1000/min".to_owned()),
        ("RATE_LIMIT_REGISTER", "1000/min".to_owned()),
        ("RATE_LIMIT_EMAIL", "1000/min".to_owned()),
        ("RATE_LIMIT_ANON", "100000/min".to_owned()),
        ("PASSWORD_HASH_CONCURRENCY", "2".to_owned()),
    ])
}

impl TestApp {
    pub async fn spawn(db: PgPool) -> Self {
        Self::spawn_with(db, |_| {}).await
    }

    /// Starts the app after `tweak` adjusted the environment.
    pub async fn spawn_with(db: PgPool, tweak: impl FnOnce(&mut Env)) -> Self {
        let app = Self::start(db, tweak).await;
        app.wait_until_healthy().await;
        app
    }

    /// Starts the app on `db` without waiting for it to be healthy (a database that is down).
    pub async fn spawn_unhealthy(db: PgPool) -> Self {
        Self::start(db, |_| {}).await
    }

    async fn start(db: PgPool, tweak: impl FnOnce(&mut Env)) -> Self {
        resee_core::install_crypto_provider();
        let mut env = base_env();
        tweak(&mut env);
        let config = ApiConfig::from_env(&env).expect("test configuration is valid");
        let app: App = resee_api::build_with_pool(config, db.clone()).await.expect("app builds");
        let redis = app.state().redis.clone();
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.serve(listener, async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self { base, client, db, redis, stop: Some(stop), keep_redis_keys: false }
    }

    /// Stops the server but leaves its Redis state, as a process restart would.
    pub fn stop_keeping_state(mut self) {
        self.keep_redis_keys = true;
    }

    async fn wait_until_healthy(&self) {
        for _ in 0..100 {
            if self.get("/api/health/").await.status() == StatusCode::OK {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the app did not become healthy");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request is sent")
    }

    /// Sends `payload` with `Accept-Language: en` (DRF's English messages are the ones asserted).
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, payload: Payload) -> Response {
        let mut request = self.client.request(method, self.url(path)).header("accept-language", "en");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request = match payload {
            Payload::Json(value) => request.json(&value),
            Payload::Form(pairs) => request.form(&pairs),
            Payload::Multipart(pairs) => {
                let form = pairs.into_iter().fold(reqwest::multipart::Form::new(), |f, (k, v)| f.text(k, v));
                request.multipart(form)
            }
        };
        request.send().await.expect("request is sent")
    }

    /// Sends a JSON body (or none) and returns the status and the JSON answer (null without one).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let response = self.request(method, path, token, body).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, None, None).await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path, None, Some(body)).await
    }

    /// Posts with a `Cookie: refresh_token=...` header.
    pub async fn post_with_refresh(&self, path: &str, refresh: &str, token: Option<&str>) -> Response {
        let mut request = self.client.post(self.url(path)).header("cookie", format!("refresh_token={refresh}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request is sent")
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/accounts/users/register/",
            json!({"email": email, "password": password, "password_confirm": password}),
        )
        .await
    }

    /// Every queued job of type `J`, oldest first.
    pub async fn queued<J: Job>(&self) -> Vec<J> {
        queued(&self.redis).await
    }

    /// Plays the worker's part for AI grading requests while the test runs: each queued
    /// `GradeAnswer` is handled by core's own handler with the offline provider (the worker's
    /// tests run the real worker process).
    pub fn grade_like_the_worker(&self) -> tokio::task::JoinHandle<()> {
        let (db, redis) = (self.db.clone(), self.redis.clone());
        tokio::spawn(async move {
            let ai = resee_core::ai::Ai::offline();
            let mut handled = std::collections::HashSet::new();
            loop {
                for job in queued::<jobs::GradeAnswer>(&redis).await {
                    if handled.insert(job.request_id.clone()) {
                        resee_worker::jobs::ai::grade_answer(&db, &redis, &ai, &job).await.expect("graded");
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    }

    /// The emails queued for `to`, oldest first.
    pub async fn emails_to(&self, to: &str) -> Vec<SendEmail> {
        self.queued::<SendEmail>().await.into_iter().filter(|job| job.to == to).collect()
    }

    /// The token of the password-reset email to `email`, waiting for it: the api queues it after
    /// answering (so that the answer's timing tells nothing).
    pub async fn reset_token(&self, email: &str) -> String {
        for _ in 0..250 {
            let token = self.emails_to(email).await.into_iter().find_map(|job| match job.email {
                resee_core::jobs::Email::PasswordReset { token, link } => {
                    assert!(link.starts_with("http://resee.test/reset-password?token="), "{link}");
                    Some(token)
                }
                _ => None,
            });
            if let Some(token) = token {
                return token;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no password-reset email to {email}");
    }

    /// Registers and verifies through the emailed token, as a user would.
    pub async fn verified_user(&self, email: &str) {
        assert_eq!(self.register(email, PASSWORD).await.status(), StatusCode::CREATED);
        let token = self.verification_token(email).await;
        let verified = self.post("/api/accounts/verify-email/", json!({"email": email, "token": token})).await;
        assert_eq!(verified.status(), StatusCode::OK);
    }

    /// The token of the latest verification email to `email`.
    pub async fn verification_token(&self, email: &str) -> String {
        self.emails_to(email)
            .await
            .into_iter()
            .rev()
            .find_map(|job| match job.email {
                jobs::Email::Verification { token, .. } => Some(token),
                _ => None,
            })
            .expect("a verification email was queued")
    }

    /// Signs in: (access token, refresh token from the cookie).
    pub async fn login(&self, email: &str, password: &str) -> (String, String) {
        let response = self.post("/api/auth/token/", json!({"email": email, "password": password})).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let refresh = refresh_cookie(&response).expect("refresh cookie");
        let body: Value = response.json().await.expect("json");
        (body["access"].as_str().expect("access").to_owned(), refresh)
    }

    /// A verified, signed-in user: its access token.
    pub async fn signed_in(&self, email: &str) -> String {
        self.verified_user(email).await;
        self.login(email, PASSWORD).await.0
    }

    /// Makes `email` staff directly in the database (as `create-admin` would).
    pub async fn make_staff(&self, email: &str) {
        sqlx::query("UPDATE users SET is_staff = TRUE WHERE lower(email) = lower($1)")
            .bind(email)
            .execute(&self.db)
            .await
            .expect("promote");
    }
}

/// The value of the `refresh_token` cookie a response sets.
pub fn refresh_cookie(response: &Response) -> Option<String> {
    set_cookie(response)?.split(';').next()?.strip_prefix("refresh_token=").map(str::to_owned)
}

/// The raw `Set-Cookie` header.
pub fn set_cookie(response: &Response) -> Option<String> {
    response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Every queued job of type `J` in `redis`, oldest first.
async fn queued<J: Job>(redis: &Redis) -> Vec<J> {
    let mut conn = redis.conn.clone();
    let reply: redis::streams::StreamRangeReply =
        conn.xrange_all(jobs::stream_key(redis, J::KIND)).await.expect("read the job stream");
    reply
        .ids
        .iter()
        .map(|entry| {
            let payload: String = entry.get("payload").expect("payload field");
            serde_json::from_str(&payload).expect("payload parses")
        })
        .collect()
}

/// A request body in one of the encodings Django REST Framework accepts.
pub enum Payload {
    Json(Value),
    /// `application/x-www-form-urlencoded`; a repeated key is a list.
    Form(Vec<(&'static str, String)>),
    /// `multipart/form-data` text parts.
    Multipart(Vec<(&'static str, String)>),
}

pub async fn body(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// A body of `n` characters, for review modes that need long notes.
pub fn long_body(n: usize) -> String {
    "Rust ownership moves values between bindings. ".chars().cycle().take(n).collect()
}

impl TestApp {
    pub async fn create_category(&self, token: &str, name: &str) -> Value {
        let response = self.request(Method::POST, "/api/categories/", Some(token), Some(json!({"name": name}))).await;
        assert_eq!(response.status(), StatusCode::CREATED, "category {name}");
        body(response).await
    }

    /// Creates a content and returns its JSON.
    pub async fn create_content(&self, token: &str, fields: Value) -> Value {
        let response = self.request(Method::POST, "/api/contents/", Some(token), Some(fields.clone())).await;
        let status = response.status();
        let value = body(response).await;
        assert_eq!(status, StatusCode::CREATED, "content {fields}: {value}");
        value
    }

    pub async fn note(&self, token: &str, title: &str) -> Value {
        self.create_content(token, json!({"title": title, "content": format!("Notes about {title}.")})).await
    }

    /// The schedule id of a content.
    pub async fn schedule_of(&self, content_id: i64) -> i64 {
        sqlx::query_scalar("SELECT id FROM review_schedules WHERE content_id = $1")
            .bind(content_id)
            .fetch_one(&self.db)
            .await
            .expect("schedule")
    }

    pub async fn complete(&self, token: &str, schedule_id: i64, body_json: Value) -> Response {
        self.request(
            Method::POST,
            &format!("/api/review/schedules/{schedule_id}/completions/"),
            Some(token),
            Some(body_json),
        )
        .await
    }

    pub async fn set_tier(&self, email: &str, tier: &str) {
        let max: i32 = match tier {
            "free" => 3,
            "basic" => 90,
            _ => 180,
        };
        sqlx::query("UPDATE subscriptions SET tier = $2, max_interval_days = $3 FROM users WHERE users.id = subscriptions.user_id AND lower(users.email) = lower($1)")
            .bind(email)
            .bind(tier)
            .bind(max)
            .execute(&self.db)
            .await
            .expect("tier");
    }
}

impl TestApp {
    /// `n` notes of the user's, marked AI-validated in the database (the AI is the worker's).
    pub async fn validated_notes(&self, token: &str, n: usize) -> Vec<i64> {
        let mut ids = Vec::new();
        for i in 0..n {
            ids.push(self.note(token, &format!("Validated {i}")).await["id"].as_i64().expect("id"));
        }
        sqlx::query("UPDATE contents SET is_ai_validated = TRUE, ai_validation_score = 90 WHERE id = ANY($1)")
            .bind(&ids)
            .execute(&self.db)
            .await
            .expect("validate");
        ids
    }

    /// Makes a preparing exam ready as the worker would: two true/false questions ("O" is right),
    /// status `pending`. Returns the question ids.
    pub async fn prepare_exam(&self, exam_id: i64) -> Vec<i64> {
        let mut questions = Vec::new();
        for order in 0..2 {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO exam_questions (exam_id, question_type, question_text, correct_answer, \"order\")
                 VALUES ($1, 'true_false', 'Is it so?', 'O', $2) RETURNING id",
            )
            .bind(exam_id)
            .bind(order)
            .fetch_one(&self.db)
            .await
            .expect("question");
            questions.push(id);
        }
        sqlx::query("UPDATE exams SET status = 'pending', total_questions = 2 WHERE id = $1")
            .bind(exam_id)
            .execute(&self.db)
            .await
            .expect("pending");
        questions
    }
}
