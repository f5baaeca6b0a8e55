//! Another user's resources answer exactly like missing ones: 404, never 403, never data.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::support::{TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_id_of_another_user_answers_404(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let alice = app.signed_in("alice@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let category = app.create_category(&bob, "Bob's").await["id"].as_i64().expect("id");
    let content =
        app.create_content(&bob, json!({"title": "Bob's note", "content": "secret", "category": category})).await["id"]
            .as_i64()
            .expect("id");
    let schedule = app.schedule_of(content).await;
    app.complete(&bob, schedule, json!({"result": "remembered"})).await;
    let history: i64 = sqlx::query_scalar("SELECT id FROM review_history").fetch_one(&app.db).await.expect("history");

    let probes = [
        (Method::GET, format!("/api/categories/{category}/"), None),
        (Method::PUT, format!("/api/categories/{category}/"), Some(json!({"name": "Mine now"}))),
        (Method::PATCH, format!("/api/categories/{category}/"), Some(json!({"name": "Mine now"}))),
        (Method::DELETE, format!("/api/categories/{category}/"), None),
        (Method::GET, format!("/api/contents/{content}/"), None),
        (Method::PUT, format!("/api/contents/{content}/"), Some(json!({"title": "x", "content": "y"}))),
        (Method::PATCH, format!("/api/contents/{content}/"), Some(json!({"title": "x"}))),
        (Method::DELETE, format!("/api/contents/{content}/"), None),
        (Method::POST, format!("/api/contents/{content}/validate_and_save/"), None),
        (Method::GET, format!("/api/review/schedules/{schedule}/"), None),
        (Method::PATCH, format!("/api/review/schedules/{schedule}/"), Some(json!({"is_active": false}))),
        (Method::POST, format!("/api/review/schedules/{schedule}/completions/"), Some(json!({"result": "forgot"}))),
        (Method::GET, format!("/api/review/history/{history}/"), None),
    ];
    for (method, path, request) in probes {
        let response = app.request(method.clone(), &path, Some(&alice), request).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        assert!(!body(response).await.to_string().contains("secret"));
    }

    for path in [
        "/api/contents/",
        "/api/categories/",
        "/api/review/schedules/",
        "/api/review/history/",
        "/api/review/schedules/today/",
    ] {
        let listed = body(app.get_auth(path, &alice).await).await;
        assert_eq!(listed["count"], 0, "{path}");
    }
    let filtered = body(app.get_auth(&format!("/api/review/history/?content={content}"), &alice).await).await;
    assert_eq!(filtered["count"], 0);
    let dashboard = body(app.get_auth("/api/review/dashboard/", &alice).await).await;
    assert_eq!(dashboard["total_content"], 0);

    // Nothing of Bob's changed.
    let (name, title, active, reviews): (String, String, bool, i64) = sqlx::query_as(
        "SELECT cat.name, c.title, s.is_active, (SELECT count(*) FROM review_history)
         FROM contents c JOIN categories cat ON cat.id = c.category_id JOIN review_schedules s ON s.content_id = c.id",
    )
    .fetch_one(&app.db)
    .await
    .expect("bob's data");
    assert_eq!((name.as_str(), title.as_str(), active, reviews), ("Bob's", "Bob's note", true, 1));
}
