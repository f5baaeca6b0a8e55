use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use resee_core::jobs::GenerateMcChoices;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, body, long_body};

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a datetime")).expect("RFC 3339").with_timezone(&Utc)
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_new_content_has_a_schedule_due_now(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("writer@example.com").await;
    let category = app.create_category(&token, "Networks").await;

    let content = app
        .create_content(
            &token,
            json!({"title": " TCP handshake ", "content": "SYN, SYN-ACK, ACK.", "category": category["id"]}),
        )
        .await;

    assert_eq!(content["title"], "TCP handshake");
    assert_eq!(content["content"], "SYN, SYN-ACK, ACK.");
    assert_eq!(content["author"], "writer@example.com");
    assert_eq!(content["category"]["slug"], "networks");
    assert_eq!(content["review_mode"], "objective");
    assert_eq!(content["review_count"], 0);
    assert_eq!(content["is_ai_validated"], false);
    assert!(content["mc_choices"].is_null());
    let due = time(&content["next_review_date"]);
    assert!((Utc::now() - due).num_seconds().abs() < 30, "due now: {due}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn bad_contents_are_field_errors(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("bad@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let foreign = app.create_category(&other, "Theirs").await;

    for (input, field) in [
        (json!({"content": "no title"}), "title"),
        (json!({"title": "no content"}), "content"),
        (json!({"title": "   ", "content": "x"}), "title"),
        (json!({"title": "t".repeat(31), "content": "x"}), "title"),
        (json!({"title": "Huge", "content": "x".repeat(50_001)}), "content"),
        (json!({"title": "Short", "content": "too short for AI", "review_mode": "descriptive"}), "content"),
        (json!({"title": "Short", "content": long_body(199), "review_mode": "multiple_choice"}), "content"),
        (json!({"title": "Mode", "content": "x", "review_mode": "oral"}), "review_mode"),
        (json!({"title": "Theirs", "content": "x", "category": foreign["id"]}), "category"),
        (json!({"title": "Missing", "content": "x", "category": 987_654}), "category"),
    ] {
        let response = app.request(Method::POST, "/api/contents/", Some(&token), Some(input.clone())).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{input}");
        assert!(body(response).await[field].is_array(), "{field}: {input}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM contents").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 0);
    // The same message for a missing and a foreign category (DRF's, naming the id that was
    // sent): ids cannot be probed.
    for id in [json!(987_654), foreign["id"].clone()] {
        let refused = app
            .request(
                Method::POST,
                "/api/contents/",
                Some(&token),
                Some(json!({"title": "a", "content": "b", "category": id})),
            )
            .await;
        assert_eq!(
            body(refused).await,
            json!({"category": [format!("유효하지 않은 pk \"{id}\" - 객체가 존재하지 않습니다.")]})
        );
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_free_plan_stops_at_twenty_contents_with_402(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("free@example.com").await;
    app.set_tier("free@example.com", "free").await;
    for i in 0..20 {
        app.note(&token, &format!("Note {i}")).await;
    }
    let refused =
        app.request(Method::POST, "/api/contents/", Some(&token), Some(json!({"title": "21st", "content": "x"}))).await;
    assert_eq!(refused.status(), StatusCode::PAYMENT_REQUIRED);
    let refused = body(refused).await;
    assert_eq!(refused["usage"]["current"], 20);
    assert_eq!(refused["usage"]["limit"], 20);
    assert_eq!(refused["usage"]["can_create"], false);
    let invalid =
        app.request(Method::POST, "/api/contents/", Some(&token), Some(json!({"title": "", "content": "x"}))).await;
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_list_pages_filters_searches_and_orders(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("list@example.com").await;
    let empty = body(app.get_auth("/api/contents/", &token).await).await;
    assert_eq!(empty["count"], 0);
    assert_eq!(empty["total_pages"], 1);
    assert!(empty.get("content_meta").is_none(), "no content_meta on an empty page");
    assert_eq!(empty["usage"]["limit"], 999_999);

    let rust = app.create_category(&token, "Rust").await;
    for i in 0..17 {
        let category = if i % 2 == 0 { rust["id"].clone() } else { Value::Null };
        app.create_content(
            &token,
            json!({"title": format!("Item {i:02}"), "content": format!("body {i}"), "category": category}),
        )
        .await;
    }
    app.create_content(&token, json!({"title": "Borrowing", "content": "The BORROW checker and 50% of lifetimes"}))
        .await;

    let first = body(app.get_auth("/api/contents/", &token).await).await;
    assert_eq!(first["count"], 18);
    assert_eq!(first["page_size"], 15);
    assert_eq!(first["current_page"], 1);
    assert_eq!(first["total_pages"], 2);
    assert_eq!(first["results"].as_array().map(Vec::len), Some(15));
    assert_eq!(first["results"][0]["title"], "Borrowing", "newest first by default");
    assert_eq!(first["next"], "http://resee.test/api/contents/?page=2");
    assert_eq!(first["links"]["next"], first["next"]);
    assert_eq!(first["content_meta"]["categories_in_page"], json!(["Rust"]));
    assert_eq!(first["usage"]["current"], 18);

    let last = body(app.get_auth("/api/contents/?page=2", &token).await).await;
    assert_eq!(last["results"].as_array().map(Vec::len), Some(3));
    assert!(last["next"].is_null());
    assert_eq!(app.get_auth("/api/contents/?page=3", &token).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_auth("/api/contents/?page=0", &token).await.status(), StatusCode::NOT_FOUND);

    let big = body(app.get_auth("/api/contents/?page_size=500", &token).await).await;
    assert_eq!(big["page_size"], 100, "page_size is capped");
    assert_eq!(big["results"].as_array().map(Vec::len), Some(18));

    let found = body(app.get_auth("/api/contents/?search=borrow", &token).await).await;
    assert_eq!(found["count"], 1);
    let in_body = body(app.get_auth("/api/contents/?search=50%25", &token).await).await;
    assert_eq!(in_body["count"], 1, "searches the body; % matches literally");

    let by_title = body(app.get_auth("/api/contents/?ordering=title&page_size=3", &token).await).await;
    let titles: Vec<&str> =
        by_title["results"].as_array().expect("results").iter().filter_map(|c| c["title"].as_str()).collect();
    assert_eq!(titles, ["Borrowing", "Item 00", "Item 01"]);
    assert_eq!(by_title["next"], "http://resee.test/api/contents/?ordering=title&page_size=3&page=2");
    let descending = body(app.get_auth("/api/contents/?ordering=-title&page_size=1", &token).await).await;
    assert_eq!(descending["results"][0]["title"], "Item 16");
    // Unknown ordering fields are dropped, as DRF's OrderingFilter drops them.
    let unknown = body(app.get_auth("/api/contents/?ordering=password,title&page_size=1", &token).await).await;
    assert_eq!(unknown["results"][0]["title"], "Borrowing");
    let bogus = body(app.get_auth("/api/contents/?ordering=bogus&page_size=1", &token).await).await;
    let newest = body(app.get_auth("/api/contents/?page_size=1", &token).await).await;
    assert_eq!(bogus["results"][0]["id"], newest["results"][0]["id"], "the default order");

    let by_id = body(app.get_auth(&format!("/api/contents/?category={}", rust["id"]), &token).await).await;
    assert_eq!(by_id["count"], 9);
    let by_slug = body(app.get_auth("/api/contents/?category_slug=rust", &token).await).await;
    assert_eq!(by_slug["count"], 9);
    assert_eq!(by_slug["usage"]["current"], 18, "usage counts every content");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn editing_title_or_body_clears_the_ai_validation(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("edit@example.com").await;
    let content = app.note(&token, "Caches").await;
    let id = content["id"].as_i64().expect("id");
    sqlx::query("UPDATE contents SET is_ai_validated = TRUE, ai_validation_score = 91.5, ai_validated_at = now(), ai_validation_result = '{}'")
        .execute(&app.db)
        .await
        .expect("validate");

    let category_only = body(
        app.request(Method::PATCH, &format!("/api/contents/{id}/"), Some(&token), Some(json!({"category": null})))
            .await,
    )
    .await;
    assert_eq!(category_only["is_ai_validated"], true, "other edits keep it");

    let edited = app
        .request(
            Method::PATCH,
            &format!("/api/contents/{id}/"),
            Some(&token),
            Some(json!({"content": "Caches, revisited."})),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited = body(edited).await;
    assert_eq!(edited["content"], "Caches, revisited.");
    assert_eq!(edited["title"], "Caches");
    assert_eq!(edited["is_ai_validated"], false);
    assert!(
        edited["ai_validation_score"].is_null()
            && edited["ai_validated_at"].is_null()
            && edited["ai_validation_result"].is_null()
    );

    let put_missing = app
        .request(Method::PUT, &format!("/api/contents/{id}/"), Some(&token), Some(json!({"title": "Only title"})))
        .await;
    assert_eq!(put_missing.status(), StatusCode::BAD_REQUEST);
    let put = app
        .request(
            Method::PUT,
            &format!("/api/contents/{id}/"),
            Some(&token),
            Some(json!({"title": "T", "content": "C"})),
        )
        .await;
    assert_eq!(put.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn multiple_choice_contents_queue_option_generation(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("mc@example.com").await;
    let content = app
        .create_content(
            &token,
            json!({"title": "Quiz me", "content": long_body(250), "review_mode": "multiple_choice"}),
        )
        .await;
    let id = content["id"].as_i64().expect("id");
    assert_eq!(app.queued::<GenerateMcChoices>().await, vec![GenerateMcChoices { content_id: id }]);

    sqlx::query("UPDATE contents SET mc_choices = '{\"choices\": [\"a\",\"b\",\"c\",\"Quiz me\"], \"correct_answer\": \"Quiz me\"}'")
        .execute(&app.db)
        .await
        .expect("choices");
    let retitled = body(
        app.request(
            Method::PATCH,
            &format!("/api/contents/{id}/"),
            Some(&token),
            Some(json!({"title": "Quiz me again"})),
        )
        .await,
    )
    .await;
    assert!(retitled["mc_choices"].is_null(), "stale options are dropped");
    assert_eq!(app.queued::<GenerateMcChoices>().await.len(), 2, "and generated again");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn deleting_a_content_removes_its_schedule_and_history(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("del@example.com").await;
    let content = app.note(&token, "Ephemeral").await;
    let id = content["id"].as_i64().expect("id");
    let schedule = app.schedule_of(id).await;
    assert_eq!(app.complete(&token, schedule, json!({"result": "remembered"})).await.status(), StatusCode::OK);

    let deleted = app.request(Method::DELETE, &format!("/api/contents/{id}/"), Some(&token), None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let left: (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM review_schedules), (SELECT count(*) FROM review_history)")
            .fetch_one(&app.db)
            .await
            .expect("counts");
    assert_eq!(left, (0, 0));
    assert_eq!(app.get_auth(&format!("/api/contents/{id}/"), &token).await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn without_a_worker_validation_answers_offline_after_the_deadline(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("AI_REPLY_DEADLINE", "1s")).await;
    let token = app.signed_in("ai@example.com").await;
    let content = app.create_content(&token, json!({"title": "AI later", "content": long_body(300)})).await;
    let validate = app
        .request(
            Method::POST,
            "/api/contents/validate/",
            Some(&token),
            Some(json!({"title": "t", "content": long_body(300)})),
        )
        .await;
    assert_eq!(validate.status(), StatusCode::OK);
    let result = body(validate).await;
    assert_eq!(result["provider"], "offline", "{result}");
    assert!(result["is_valid"].is_boolean() && result["title_relevance"]["score"].is_number());
    let queued = app.queued::<resee_core::jobs::ValidateContent>().await;
    assert_eq!(queued.len(), 1, "the request went to the worker first");
    assert!(queued[0].reply_by_ms.is_some());

    let short = app
        .request(Method::POST, "/api/contents/validate/", Some(&token), Some(json!({"title": "t", "content": "short"})))
        .await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    assert!(body(short).await["error"].is_string());

    let save = app
        .request(Method::POST, &format!("/api/contents/{}/validate_and_save/", content["id"]), Some(&token), None)
        .await;
    assert_eq!(save.status(), StatusCode::OK);
    let saved = body(save).await;
    assert_eq!(saved["result"]["provider"], "offline");
    let stored = body(app.get_auth(&format!("/api/contents/{}/", content["id"]), &token).await).await;
    assert_eq!(stored["is_ai_validated"], saved["is_valid"]);
    assert_eq!(stored["ai_validation_score"], saved["ai_validation_score"]);
    let missing = app.request(Method::POST, "/api/contents/987654/validate_and_save/", Some(&token), None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
