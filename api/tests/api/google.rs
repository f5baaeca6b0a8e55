//! Sign-in with Google against a locally generated key set served from a local URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::routing::get;
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, body, refresh_cookie};

const CLIENT_ID: &str = "resee-test.apps.googleusercontent.com";
const KEY_ID: &str = "resee-test-key";

/// Serves the test JWKS on a random port; returns its URL and a fetch counter.
async fn jwks_server() -> (String, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let router = axum::Router::new().route(
        "/certs",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { ([("cache-control", "public, max-age=3600")], include_str!("../fixtures/google-test-jwks.json")) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/certs", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, fetches)
}

fn id_token(claims: &Value, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(include_bytes!("../fixtures/google-test-key.pem")).expect("test key");
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

fn claims(email: &str) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "iss": "https://accounts.google.com", "aud": CLIENT_ID, "sub": "1234567890", "email": email,
        "email_verified": true, "name": "Test Person", "picture": "https://example.com/p.png", "locale": "ko",
        "iat": now, "exp": now + 3600,
    })
}

async fn app_with_google(db: PgPool) -> (TestApp, Arc<AtomicUsize>) {
    let (url, fetches) = jwks_server().await;
    let app = TestApp::spawn_with(db, |env| {
        env.set("GOOGLE_CLIENT_ID", CLIENT_ID);
        env.set("GOOGLE_JWKS_URL", url);
    })
    .await;
    (app, fetches)
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_valid_google_token_creates_a_verified_user_and_signs_in(db: PgPool) {
    let (app, fetches) = app_with_google(db).await;

    let response =
        app.post("/api/accounts/google-oauth/", json!({"token": id_token(&claims("g@example.com"), KEY_ID)})).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(refresh_cookie(&response).is_some());
    let first = body(response).await;
    assert_eq!(first["is_new_user"], true);
    assert_eq!(first["user"]["email"], "g@example.com");
    assert_eq!(first["user"]["is_email_verified"], true);
    assert_eq!(
        first["google_user_info"],
        json!({"name": "Test Person", "picture": "https://example.com/p.png", "locale": "ko"})
    );
    let access = first["access"].as_str().expect("access");
    assert_eq!(app.get_auth("/api/accounts/profile/", access).await.status(), StatusCode::OK);

    let again = body(
        app.post("/api/accounts/google-oauth/", json!({"token": id_token(&claims("g@example.com"), KEY_ID)})).await,
    )
    .await;
    assert_eq!(again["is_new_user"], false);
    assert_eq!(again["user"]["id"], first["user"]["id"]);
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "the key set is cached");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn bad_google_tokens_are_field_errors(db: PgPool) {
    let (app, _) = app_with_google(db).await;
    let mut wrong_audience = claims("a@example.com");
    wrong_audience["aud"] = json!("someone-else");
    let mut wrong_issuer = claims("a@example.com");
    wrong_issuer["iss"] = json!("https://evil.example.com");
    let mut expired = claims("a@example.com");
    expired["exp"] = json!(Utc::now().timestamp() - 120);
    let mut unverified = claims("a@example.com");
    unverified["email_verified"] = json!(false);
    let hs256 = jsonwebtoken::encode(&Header::default(), &claims("a@example.com"), &EncodingKey::from_secret(b"guess"))
        .expect("sign");

    for token in [
        id_token(&wrong_audience, KEY_ID),
        id_token(&wrong_issuer, KEY_ID),
        id_token(&expired, KEY_ID),
        id_token(&unverified, KEY_ID),
        id_token(&claims("a@example.com"), "unknown-key"),
        hs256,
        "garbage".to_owned(),
    ] {
        let response = app.post("/api/accounts/google-oauth/", json!({"token": token})).await;
        let status = response.status();
        let body = body(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{token}: {body}");
        assert!(body["token"].is_array(), "{body}");
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.db).await.expect("count");
    assert_eq!(users, 0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn google_sign_in_is_off_without_a_client_id(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response =
        app.post("/api/accounts/google-oauth/", json!({"token": id_token(&claims("a@example.com"), KEY_ID)})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body(response).await["error"].is_string());
}
