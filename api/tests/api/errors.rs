use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::support::{TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn malformed_json_is_a_400_with_detail(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response = app
        .client
        .post(app.url("/api/auth/token/"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body(response).await["detail"].as_str().is_some_and(|d| d.contains("JSON")));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn wrong_types_and_shapes_are_field_errors(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // DRF reads a number as text, but never a list.
    let wrong_type = app.post("/api/auth/token/", json!({"email": ["a@example.com"], "password": "x"})).await;
    assert_eq!(wrong_type.status(), StatusCode::BAD_REQUEST);
    assert!(body(wrong_type).await["email"].is_array());

    let missing = app.post("/api/auth/token/", json!({"email": "a@example.com"})).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert!(body(missing).await["password"].is_array());

    let not_an_object = app.post("/api/auth/token/", json!(["a", "b"])).await;
    assert_eq!(not_an_object.status(), StatusCode::BAD_REQUEST);
    assert!(body(not_an_object).await["non_field_errors"].is_array());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn bodies_over_ten_megabytes_are_refused_with_413(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let huge = format!("{{\"email\": \"{}\", \"password\": \"x\"}}", "a".repeat(11 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/api/auth/token/"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body(response).await["detail"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn other_content_types_are_415(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response = app
        .client
        .post(app.url("/api/auth/token/"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body(response).await["detail"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn unknown_paths_and_methods_answer_json(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let missing = app.get("/api/nothing-here/").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(body(missing).await["detail"].is_string());

    let method = app.client.delete(app.url("/api/auth/token/")).send().await.expect("send");
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(body(method).await["detail"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_trailing_slash_is_optional(db: PgPool) {
    let app = TestApp::spawn(db).await;
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    let response = app.post("/api/auth/token", json!({"email": "a@example.com", "password": "x"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "served, not redirected or 404");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn responses_carry_a_request_id(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let generated = app.get("/api/health/").await;
    assert!(generated.headers().get("x-request-id").is_some_and(|v| !v.is_empty()));
    let echoed =
        app.client.get(app.url("/api/health/")).header("x-request-id", "trace-me-42").send().await.expect("send");
    assert_eq!(echoed.headers()["x-request-id"], "trace-me-42");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn cors_allows_configured_origins_with_credentials(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("CORS_ALLOWED_ORIGINS", "https://app.resee.test")).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/auth/token/"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let allowed = preflight("https://app.resee.test").await.expect("send");
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.resee.test");
    assert_eq!(allowed.headers()["access-control-allow-credentials"], "true");
    let other = preflight("https://evil.test").await.expect("send");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_unexpected_error_is_a_bare_500_and_one_slack_alert(db: PgPool) {
    // A stand-in for Slack's incoming webhook that records what it receives.
    let received = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::<serde_json::Value>::new()));
    let sink = received.clone();
    let webhook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let sink = sink.clone();
            async move { sink.lock().await.push(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let hook_url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, webhook).await });
    let app = TestApp::spawn_with(db, |env| env.set("SLACK_WEBHOOK_URL", hook_url)).await;
    let token = app.signed_in("boom@example.com").await;
    // Break the schema under the running app so the next query fails unexpectedly.
    sqlx::query("DROP TABLE notification_preferences").execute(&app.db).await.expect("drop");

    for _ in 0..3 {
        let response = app.get_auth("/api/accounts/notification-preferences/", &token).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body(response).await;
        assert_eq!(body["error"], "Internal server error");
        assert!(!body.to_string().contains("notification_preferences"), "no internals leak: {body}");
    }

    for _ in 0..100 {
        if !received.lock().await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let alerts = received.lock().await;
    assert_eq!(alerts.len(), 1, "one alert per window: {alerts:?}");
    assert!(alerts[0]["attachments"][0]["text"].as_str().is_some_and(|t| t.contains("notification-preferences")));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_response_carries_the_security_headers_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("headers@example.com").await;
    let json_csp = "default-src 'none'; frame-ancestors 'none'";
    for (path, csp) in [
        ("/api/accounts/users/me/", json_csp),
        ("/api/no-such-thing/", json_csp),
        ("/api/health/", json_csp),
        ("/api/docs/", resee_api::middleware::DOCS_CSP),
    ] {
        let response = app.get_auth(path, &token).await;
        let headers = response.headers();
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("content-security-policy", csp),
        ] {
            let values: Vec<_> = headers.get_all(name).iter().collect();
            assert_eq!(values, [value], "{path}: {name}");
        }
        if path != "/api/docs/" {
            assert_eq!(headers.get_all("cache-control").iter().collect::<Vec<_>>(), ["no-store"], "{path}");
        }
    }
}
