use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::support::{TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn categories_are_created_listed_renamed_and_deleted(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("cat@example.com").await;

    let created = app.create_category(&token, "  Operating Systems ").await;
    assert_eq!(created["name"], "Operating Systems");
    assert_eq!(created["slug"], "operating-systems");
    assert_eq!(created["description"], "");
    assert!(created["user"].is_i64());
    let id = created["id"].as_i64().expect("id");
    let korean = app.create_category(&token, "운영체제").await;
    assert_eq!(korean["slug"], "운영체제");

    let list = body(app.get_auth("/api/categories/", &token).await).await;
    assert_eq!(list["count"], 2);
    assert_eq!(
        list["usage"],
        json!({"current": 2, "limit": 3, "remaining": 1, "percentage": 66.7, "can_create": true, "tier": "basic"})
    );
    assert!(list["next"].is_null() && list["previous"].is_null());

    let renamed =
        app.request(Method::PATCH, &format!("/api/categories/{id}/"), Some(&token), Some(json!({"name": "OS"}))).await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed = body(renamed).await;
    assert_eq!(renamed["name"], "OS");
    assert_eq!(renamed["slug"], "operating-systems", "the slug is set once");
    let put = app
        .request(Method::PUT, &format!("/api/categories/{id}/"), Some(&token), Some(json!({"description": "no name"})))
        .await;
    assert_eq!(put.status(), StatusCode::BAD_REQUEST, "PUT needs the name");

    let note =
        app.create_content(&token, json!({"title": "Paging", "content": "Pages and frames.", "category": id})).await;
    assert_eq!(note["category"]["id"], id);
    let deleted = app.request(Method::DELETE, &format!("/api/categories/{id}/"), Some(&token), None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_auth(&format!("/api/categories/{id}/"), &token).await.status(), StatusCode::NOT_FOUND);
    let kept = body(app.get_auth(&format!("/api/contents/{}/", note["id"]), &token).await).await;
    assert!(kept["category"].is_null(), "the content stays, uncategorised");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn duplicate_letterless_and_overlong_names_are_field_errors(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("names@example.com").await;
    app.create_category(&token, "Rust").await;
    for (input, field) in [
        (json!({"name": "rust"}), "name"),
        (json!({"name": "!!! ---"}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({}), "name"),
        (json!({"name": "Go", "description": "d".repeat(501)}), "description"),
    ] {
        let response = app.request(Method::POST, "/api/categories/", Some(&token), Some(input.clone())).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{input}");
        assert!(body(response).await[field].is_array(), "{input}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_plan_limit_answers_402_with_usage_but_bad_input_is_still_400(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("limit@example.com").await;
    app.set_tier("limit@example.com", "free").await;
    app.create_category(&token, "Only one").await;

    let refused = app.request(Method::POST, "/api/categories/", Some(&token), Some(json!({"name": "Second"}))).await;
    assert_eq!(refused.status(), StatusCode::PAYMENT_REQUIRED);
    let refused = body(refused).await;
    assert!(refused["error"].is_string() && refused["message"].is_string());
    assert_eq!(
        refused["usage"],
        json!({"current": 1, "limit": 1, "remaining": 0, "percentage": 100.0, "can_create": false, "tier": "free"})
    );

    let invalid = app.request(Method::POST, "/api/categories/", Some(&token), Some(json!({"name": "???"}))).await;
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST, "validation comes before the plan limit");
}
