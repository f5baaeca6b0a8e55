use chrono::Utc;
use jsonwebtoken::{EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::support::{JWT_SECRET, PASSWORD, TestApp, body, refresh_cookie, set_cookie};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn login_returns_an_access_token_and_an_http_only_refresh_cookie(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("mina@example.com").await;

    let response = app.post("/api/auth/token/", json!({"email": "MINA@example.com", "password": PASSWORD})).await;

    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response).expect("cookie");
    assert!(cookie.starts_with("refresh_token="));
    for attribute in ["HttpOnly", "Path=/", "Max-Age=604800", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "development cookies are not Secure");
    let access = body(response).await["access"].as_str().expect("access").to_owned();
    assert_eq!(app.get_auth("/api/accounts/users/me/", &access).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn production_cookies_are_secure(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("APP_ENV", "production")).await;
    app.verified_user("secure@example.com").await;
    let response = app.post("/api/auth/token/", json!({"email": "secure@example.com", "password": PASSWORD})).await;
    assert!(set_cookie(&response).expect("cookie").contains("; Secure"));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_username_works_in_the_email_field(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("named@example.com").await;
    let saved = app
        .request(reqwest::Method::PUT, "/api/accounts/profile/", Some(&token), Some(json!({"username": "Named"})))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let response = app.post("/api/auth/token/", json!({"email": "named", "password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn wrong_credentials_are_a_non_field_error(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("kim@example.com").await;

    for body_json in [
        json!({"email": "kim@example.com", "password": "Wrong-password-1"}),
        json!({"email": "nobody@example.com", "password": PASSWORD}),
    ] {
        let response = app.post("/api/auth/token/", body_json).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = body(response).await;
        assert!(body["non_field_errors"][0].is_string(), "{body}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_unverified_email_cannot_sign_in_while_verification_is_enforced(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("new@example.com", PASSWORD).await;

    let response = app.post("/api/auth/token/", json!({"email": "new@example.com", "password": PASSWORD})).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = body(response).await;
    assert_eq!(body["email_verification_required"], json!(["True"]));
    assert_eq!(body["email"], json!(["new@example.com"]));
    assert!(body["message"][0].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn refresh_rotates_the_cookie_and_revokes_the_old_token(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("rot@example.com").await;
    let (_, first) = app.login("rot@example.com", PASSWORD).await;

    let response = app.post_with_refresh("/api/auth/token/refresh/", &first, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second = refresh_cookie(&response).expect("rotated cookie");
    assert_ne!(first, second);
    let access = body(response).await["access"].as_str().expect("access").to_owned();
    assert_eq!(app.get_auth("/api/accounts/profile/", &access).await.status(), StatusCode::OK);

    // Within the grace period the old token yields the same successor (two tabs refreshing).
    let again = app.post_with_refresh("/api/auth/token/refresh/", &first, None).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(refresh_cookie(&again).as_deref(), Some(second.as_str()));

    // The successor keeps working.
    assert_eq!(app.post_with_refresh("/api/auth/token/refresh/", &second, None).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_replayed_refresh_token_revokes_the_whole_family(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("replay@example.com").await;
    let (stolen_access, stolen) = app.login("replay@example.com", PASSWORD).await;
    let (other_access, other_session) = app.login("replay@example.com", PASSWORD).await;
    let rotated = app.post_with_refresh("/api/auth/token/refresh/", &stolen, None).await;
    let successor = refresh_cookie(&rotated).expect("successor");

    // Move the rotation out of the grace period, as if the thief came back a minute later.
    let claims = resee_api::tokens::Tokens::new(&test_auth_config()).verify(&stolen, None).expect("claims");
    let key = app.redis.key(format!("refresh:{}", claims.jti));
    let mut conn = app.redis.conn.clone();
    let () = redis::cmd("HSET")
        .arg(&key)
        .arg("rotated_at")
        .arg(Utc::now().timestamp() - 120)
        .query_async(&mut conn)
        .await
        .expect("age the rotation");

    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &stolen, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &successor, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &other_session, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Access tokens end with their family: the thief's and every other session's.
    for access in [&stolen_access, &other_access] {
        assert_eq!(app.get_auth("/api/accounts/users/me/", access).await.status(), StatusCode::UNAUTHORIZED);
    }
    // Signing in again starts a new, working family.
    let (_, fresh) = app.login("replay@example.com", PASSWORD).await;
    assert_eq!(app.post_with_refresh("/api/auth/token/refresh/", &fresh, None).await.status(), StatusCode::OK);
}

fn test_auth_config() -> resee_api::config::AuthConfig {
    resee_api::config::AuthConfig {
        jwt_secret: resee_core::config::Secret::new(JWT_SECRET),
        jwt_secret_previous: None,
        access_token_ttl: std::time::Duration::from_secs(3600),
        refresh_token_ttl: std::time::Duration::from_secs(604_800),
        enforce_email_verification: true,
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn refresh_without_a_valid_cookie_is_401(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let missing = app.client.post(app.url("/api/auth/token/refresh/")).send().await.expect("send");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(body(missing).await["detail"].is_string());
    let garbage = app.post_with_refresh("/api/auth/token/refresh/", "not-a-token", None).await;
    assert_eq!(garbage.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_access_token_is_not_a_refresh_token(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let access = app.signed_in("types@example.com").await;
    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &access, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

fn forged(user_id: i64, exp_offset: i64, token_type: &str) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({"token_type": token_type, "exp": now + exp_offset, "iat": now - 3600, "jti": "forged", "user_id": user_id, "ver": 0});
    jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(JWT_SECRET.as_bytes())).expect("encode")
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn expired_access_tokens_are_refused_with_token_not_valid(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("old@example.com").await;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.db).await.expect("id");

    let response = app.get_auth("/api/accounts/profile/", &forged(user_id, -10, "access")).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = body(response).await;
    assert_eq!(body["code"], "token_not_valid");
    assert!(body["detail"].is_string());
    // The same claims, unexpired, are accepted: only the expiry made the difference.
    assert_eq!(app.get_auth("/api/accounts/profile/", &forged(user_id, 60, "access")).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn verify_accepts_valid_tokens_and_refuses_others(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let access = app.signed_in("verify@example.com").await;

    let ok = app.post("/api/auth/token/verify/", json!({"token": access})).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(body(ok).await, json!({}));
    let bad = app.post("/api/auth/token/verify/", json!({"token": "abc.def.ghi"})).await;
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body(bad).await["code"], "token_not_valid");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn logout_revokes_the_refresh_token_and_clears_the_cookie(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("bye@example.com").await;
    let (access, refresh) = app.login("bye@example.com", PASSWORD).await;

    let response = app.post_with_refresh("/api/auth/logout/", &refresh, Some(&access)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response).expect("cookie").contains("Max-Age=0"));
    assert!(body(response).await["message"].is_string());
    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn logout_ends_the_sessions_access_tokens_and_no_other_session(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("sessions@example.com").await;
    let (access, refresh) = app.login("sessions@example.com", PASSWORD).await;
    let (other_access, other_refresh) = app.login("sessions@example.com", PASSWORD).await;
    // An access token from a refresh belongs to the same session.
    let refreshed = app.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await;
    let rotated = refresh_cookie(&refreshed).expect("rotated");
    let second_access = body(refreshed).await["access"].as_str().expect("access").to_owned();
    assert_eq!(app.get_auth("/api/accounts/users/me/", &second_access).await.status(), StatusCode::OK);

    let out = app.post_with_refresh("/api/auth/logout/", &rotated, Some(&access)).await;
    assert_eq!(out.status(), StatusCode::OK);

    for ended in [&access, &second_access] {
        let response = app.get_auth("/api/accounts/users/me/", ended).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "an access token outlived its logout");
        assert_eq!(body(response).await["code"], "token_not_valid");
    }
    assert_eq!(app.get_auth("/api/accounts/users/me/", &other_access).await.status(), StatusCode::OK);
    assert_eq!(app.post_with_refresh("/api/auth/token/refresh/", &other_refresh, None).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn logout_needs_authentication(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response = app.post("/api/auth/logout/", json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(body(response).await["detail"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn refresh_state_survives_an_api_restart(db: PgPool) {
    let prefix = format!("resee-test-restart-{}", uuid::Uuid::new_v4().simple());
    let first = TestApp::spawn_with(db.clone(), |env| env.set("REDIS_KEY_PREFIX", prefix.clone())).await;
    first.verified_user("restart@example.com").await;
    let (_, refresh) = first.login("restart@example.com", PASSWORD).await;
    first.stop_keeping_state();

    let second = TestApp::spawn_with(db, |env| env.set("REDIS_KEY_PREFIX", prefix.clone())).await;
    assert_eq!(second.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await.status(), StatusCode::OK);
}
