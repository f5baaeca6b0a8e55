use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::support::{PASSWORD, TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn login_is_limited_to_five_a_minute_per_address(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("RATE_LIMIT_LOGIN", "5/min")).await;
    let attempt = json!({"email": "who@example.com", "password": "Wrong-pass-1"});
    for _ in 0..5 {
        assert_eq!(app.post("/api/auth/token/", attempt.clone()).await.status(), StatusCode::BAD_REQUEST);
    }

    let limited = app.post("/api/auth/token/", attempt).await;

    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(body(limited).await["detail"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn registration_is_limited_to_three_a_minute_per_address(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("RATE_LIMIT_REGISTER", "3/min")).await;
    for i in 0..3 {
        assert_eq!(app.register(&format!("r{i}@example.com"), PASSWORD).await.status(), StatusCode::CREATED);
    }
    let limited = app.register("r3@example.com", PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn email_endpoints_share_a_budget_of_ten_an_hour(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("RATE_LIMIT_EMAIL", "10/hour")).await;
    for _ in 0..5 {
        app.post("/api/accounts/verify-email/", json!({"email": "a@example.com", "token": "x"})).await;
        app.post("/api/accounts/resend-verification/", json!({"email": "a@example.com"})).await;
    }
    let limited = app.post("/api/accounts/password-reset/", json!({"email": "a@example.com"})).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=3600).contains(&retry_after));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn forwarded_addresses_count_only_from_trusted_proxies(db: PgPool) {
    let login = |app: &TestApp, forwarded: &'static str| {
        app.client
            .post(app.url("/api/auth/token/"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"email": "who@example.com", "password": "Wrong-pass-1"}))
            .send()
    };

    // Untrusted peer: the header is ignored, so changing it does not buy new attempts.
    let untrusted = TestApp::spawn_with(db.clone(), |env| env.set("RATE_LIMIT_LOGIN", "2/min")).await;
    login(&untrusted, "1.1.1.1").await.expect("send");
    login(&untrusted, "2.2.2.2").await.expect("send");
    assert_eq!(login(&untrusted, "3.3.3.3").await.expect("send").status(), StatusCode::TOO_MANY_REQUESTS);

    // Behind a trusted proxy each client has its own budget.
    let trusted = TestApp::spawn_with(db, |env| {
        env.set("RATE_LIMIT_LOGIN", "2/min");
        env.set("TRUSTED_PROXIES", "127.0.0.1");
    })
    .await;
    for _ in 0..2 {
        login(&trusted, "1.1.1.1").await.expect("send");
    }
    assert_eq!(login(&trusted, "1.1.1.1").await.expect("send").status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login(&trusted, "2.2.2.2").await.expect("send").status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn authenticated_requests_count_against_the_per_user_limit(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("RATE_LIMIT_USER", "3/hour")).await;
    let token = app.signed_in("busy@example.com").await;
    for _ in 0..3 {
        assert_eq!(app.get_auth("/api/accounts/profile/", &token).await.status(), StatusCode::OK);
    }
    let limited = app.get_auth("/api/accounts/profile/", &token).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn anonymous_requests_share_a_per_address_budget_but_health_checks_are_exempt(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("RATE_LIMIT_ANON", "3/hour")).await;
    for _ in 0..3 {
        app.post("/api/auth/token/verify/", json!({"token": "x"})).await;
    }
    let limited = app.post("/api/accounts/password-reset/", json!({"email": "a@example.com"})).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    for _ in 0..5 {
        assert_eq!(app.get("/api/health/").await.status(), StatusCode::OK);
    }
}
