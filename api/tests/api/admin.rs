use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::support::{PASSWORD, TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn user_management_is_for_admins_only(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.signed_in("plain@example.com").await;
    let me: i64 = body(app.get_auth("/api/accounts/users/me/", &user).await).await["id"].as_i64().expect("id");

    for (method, path) in [
        (Method::GET, "/api/accounts/users/".to_owned()),
        (Method::GET, format!("/api/accounts/users/{me}/")),
        (Method::PATCH, format!("/api/accounts/users/{me}/")),
        (Method::DELETE, format!("/api/accounts/users/{me}/")),
    ] {
        let response = app.request(method.clone(), &path, Some(&user), Some(json!({"is_staff": true}))).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        assert!(body(response).await["detail"].is_string());
    }
    let anonymous = app.get("/api/accounts/users/").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let is_staff: bool = sqlx::query_scalar("SELECT is_staff FROM users").fetch_one(&app.db).await.expect("staff");
    assert!(!is_staff);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn admins_list_read_edit_and_delete_users(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("boss@example.com").await;
    app.make_staff("boss@example.com").await;
    let admin = app.login("boss@example.com", PASSWORD).await.0;
    for i in 0..21 {
        app.register(&format!("user{i}@example.com"), PASSWORD).await;
    }

    let first = body(app.get_auth("/api/accounts/users/", &admin).await).await;
    assert_eq!(first["count"], 22);
    assert_eq!(first["results"].as_array().map(Vec::len), Some(20));
    assert_eq!(first["next"], "http://resee.test/api/accounts/users/?page=2");
    assert!(first["previous"].is_null());
    let second = body(app.get_auth("/api/accounts/users/?page=2", &admin).await).await;
    assert_eq!(second["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["previous"], "http://resee.test/api/accounts/users/?page=1");
    assert_eq!(app.get_auth("/api/accounts/users/?page=3", &admin).await.status(), StatusCode::NOT_FOUND);

    let target = second["results"][1]["id"].as_i64().expect("id");
    let one = body(app.get_auth(&format!("/api/accounts/users/{target}/"), &admin).await).await;
    assert_eq!(one["email"], "user20@example.com");

    let patched = app
        .request(
            Method::PATCH,
            &format!("/api/accounts/users/{target}/"),
            Some(&admin),
            Some(json!({"is_email_verified": true, "weekly_goal": 30})),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched = body(patched).await;
    assert_eq!(patched["is_email_verified"], true);
    assert_eq!(patched["weekly_goal"], 30);
    let bad = app
        .request(
            Method::PATCH,
            &format!("/api/accounts/users/{target}/"),
            Some(&admin),
            Some(json!({"weekly_goal": 500})),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let deleted = app.request(Method::DELETE, &format!("/api/accounts/users/{target}/"), Some(&admin), None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_auth(&format!("/api/accounts/users/{target}/"), &admin).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.request(Method::DELETE, &format!("/api/accounts/users/{target}/"), Some(&admin), None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn deactivating_a_user_ends_their_sessions(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.signed_in("bad@example.com").await;
    app.verified_user("mod@example.com").await;
    app.make_staff("mod@example.com").await;
    let admin = app.login("mod@example.com", PASSWORD).await.0;
    let id = body(app.get_auth("/api/accounts/users/me/", &user).await).await["id"].as_i64().expect("id");

    let response = app
        .request(Method::PATCH, &format!("/api/accounts/users/{id}/"), Some(&admin), Some(json!({"is_active": false})))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.get_auth("/api/accounts/profile/", &user).await.status(), StatusCode::UNAUTHORIZED);
    let login = app.post("/api/auth/token/", json!({"email": "bad@example.com", "password": PASSWORD})).await;
    assert_eq!(login.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_admin_cannot_delete_themselves_through_user_management(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in("self@example.com").await;
    app.make_staff("self@example.com").await;
    let id = body(app.get_auth("/api/accounts/users/me/", &admin).await).await["id"].as_i64().expect("id");
    let response = app.request(Method::DELETE, &format!("/api/accounts/users/{id}/"), Some(&admin), None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body(response).await["error"].is_string());
}
