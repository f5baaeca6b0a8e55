use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn health_live_and_ready_report_ok(db: PgPool) {
    let app = TestApp::spawn(db).await;
    assert_eq!(body(app.get("/api/health/").await).await, serde_json::json!({"status": "ok"}));
    assert_eq!(body(app.get("/api/health/live/").await).await, serde_json::json!({"alive": true}));
    assert_eq!(body(app.get("/api/health/ready/").await).await, serde_json::json!({"ready": true}));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn readiness_fails_until_every_migration_is_applied(db: PgPool) {
    let app = TestApp::spawn(db).await;
    sqlx::query("UPDATE _sqlx_migrations SET success = FALSE").execute(&app.db).await.expect("pretend");
    let response = app.get("/api/health/ready/").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = body(response).await;
    assert_eq!(body["ready"], false);
    assert_eq!(body["checks"]["migrations"], false);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn detailed_health_reports_the_worker_from_its_heartbeat(db: PgPool) {
    let app = TestApp::spawn(db).await;

    let without = app.get("/api/health/detailed/").await;
    assert_eq!(without.status(), StatusCode::SERVICE_UNAVAILABLE);
    let without = body(without).await;
    assert_eq!(without["status"], "degraded");
    assert_eq!(without["services"]["database"]["status"], "ok");
    assert_eq!(without["services"]["redis"]["status"], "ok");
    assert_eq!(without["services"]["worker"]["status"], "down");

    let mut conn = app.redis.conn.clone();
    let () = redis::cmd("HSET")
        .arg(resee_core::jobs::heartbeat_key(&app.redis))
        .arg("worker-1")
        .arg(chrono::Utc::now().timestamp())
        .query_async(&mut conn)
        .await
        .expect("heartbeat");
    let with = app.get("/api/health/detailed/").await;
    assert_eq!(with.status(), StatusCode::OK);
    let with = body(with).await;
    assert_eq!(with["status"], "ok");
    assert_eq!(with["services"]["worker"]["workers"], 1);
    assert!(with["timestamp"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn health_turns_503_when_the_database_is_unreachable(db: PgPool) {
    // A pool pointing at a closed port: the probe fails and /api/health/ says so.
    let dead = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(200))
        .connect_lazy("postgres://postgres@127.0.0.1:1/none")
        .expect("lazy pool");
    drop(db);
    let mut env = resee_core::config::Env::from_pairs([
        ("APP_ENV", "development".to_owned()),
        ("DATABASE_URL", "postgres://unused".to_owned()),
        ("REDIS_URL", crate::support::redis_url()),
        ("JWT_SECRET", crate::support::JWT_SECRET.to_owned()),
    ]);
    env.set("REDIS_KEY_PREFIX", format!("resee-test-{}", uuid::Uuid::new_v4().simple()));
    let config = resee_api::config::ApiConfig::from_env(&env).expect("config");
    let app = resee_api::build_with_pool(config, dead).await.expect("builds without a database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/api/health/", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve(listener, async move {
        let _ = stopped.await;
    }));

    let response = reqwest::get(&url).await.expect("send");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body(response).await["status"], "error");
    let _ = stop.send(());
    server.await.expect("join").expect("clean shutdown");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn metrics_are_exposed_for_prometheus(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.get("/api/health/").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    assert!(text.contains("resee_http_requests_total"), "{text}");
    assert!(text.contains("route=\"/api/health/\""));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_openapi_document_describes_every_endpoint_and_the_docs_page_serves_it(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let doc: Value = body(app.get("/api/openapi.json").await).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/api/auth/token/",
        "/api/auth/token/refresh/",
        "/api/auth/token/verify/",
        "/api/auth/logout/",
        "/api/accounts/users/",
        "/api/accounts/users/register/",
        "/api/accounts/users/me/",
        "/api/accounts/users/me/password/",
        "/api/accounts/users/{id}/",
        "/api/accounts/profile/",
        "/api/accounts/weekly-goal/",
        "/api/accounts/notification-preferences/",
        "/api/accounts/verify-email/",
        "/api/accounts/resend-verification/",
        "/api/accounts/password-reset/",
        "/api/accounts/password-reset/confirm/",
        "/api/accounts/unsubscribe/",
        "/api/accounts/google-oauth/",
        "/api/accounts/subscription/",
        "/api/accounts/subscription/tiers/",
        "/api/accounts/subscriptions/me/",
        "/api/health/",
        "/api/health/detailed/",
        "/api/health/ready/",
        "/api/health/live/",
        "/metrics",
    ] {
        assert!(paths.contains_key(path), "{path} missing from the OpenAPI document");
    }
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("item") {
            for (status, response) in operation["responses"].as_object().expect("responses") {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status}");
            }
        }
    }
    // The committed copy in docs/ is the same document.
    let committed: Value = serde_json::from_str(include_str!("../../../docs/openapi.json")).expect("docs/openapi.json");
    assert_eq!(committed, doc, "docs/openapi.json is stale: regenerate with `resee-api openapi > docs/openapi.json`");

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("html").contains("swagger"));
}

#[tokio::test]
async fn without_postgresql_requests_fail_fast_with_503_and_retry_after() {
    // A pool whose server is not there: nothing listens on port 1.
    let db = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect_lazy("postgres://postgres@127.0.0.1:1/nothing")
        .expect("lazy pool");
    let app = TestApp::spawn_unhealthy(db).await;
    // The probe answers within a second that PostgreSQL is down.
    let mut health = app.get("/api/health/").await;
    for _ in 0..50 {
        if health.status() == StatusCode::SERVICE_UNAVAILABLE {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        health = app.get("/api/health/").await;
    }
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    for (path, sent) in [
        ("/api/auth/token/", Some(json!({"email": "a@example.com", "password": "x"}))),
        (
            "/api/accounts/users/register/",
            Some(json!({"email": "a@example.com", "password": "x", "password_confirm": "x"})),
        ),
        ("/api/contents/", None),
    ] {
        let started = std::time::Instant::now();
        let method = if sent.is_some() { Method::POST } else { Method::GET };
        let response = app.request(method.clone(), path, Some("any-token"), sent).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{path} waited {:?}", started.elapsed());
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(response.headers()["retry-after"], "5", "{path}");
        // Its body was never read: the client must not reuse the connection (it would be reset).
        let closes = response.headers().get("connection").is_some_and(|v| v == "close");
        assert_eq!(closes, method == Method::POST, "{path}");
        assert!(body(response).await["detail"].is_string(), "{path}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_openapi_document_states_limits_401s_and_form_bodies(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let doc = body(app.get("/api/openapi.json").await).await;
    let schemas = &doc["components"]["schemas"];
    for (schema, field, key, value) in [
        ("ContentInput", "title", "maxLength", 30),
        ("ContentInput", "content", "maxLength", 50_000),
        ("CategoryInput", "name", "maxLength", 100),
        ("WeeklyGoalUpdate", "weekly_goal", "minimum", 1),
        ("WeeklyGoalUpdate", "weekly_goal", "maximum", 100),
        ("Completion", "time_spent", "maximum", 86_400),
        ("AnswerInput", "user_answer", "maxLength", 2000),
    ] {
        assert_eq!(schemas[schema]["properties"][field][key], value, "{schema}.{field}.{key}");
    }
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            if operation.get("security").is_some() {
                assert!(operation["responses"].get("401").is_some(), "{method} {path} lacks its 401");
            }
            if let Some(content) = operation.pointer("/requestBody/content") {
                for media in ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"] {
                    assert!(content.get(media).is_some(), "{method} {path} lacks {media}");
                }
            }
        }
    }
}
