use std::time::Duration;

use reqwest::{Method, StatusCode};
use resee_core::jobs::JobKind;
use resee_core::queue::Queue;
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
    assert_eq!(body(response).await["is_active"], false, "the admin pages show the account's state");
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

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_admin_cannot_lock_themselves_out(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in("lock@example.com").await;
    app.make_staff("lock@example.com").await;
    let id = body(app.get_auth("/api/accounts/users/me/", &admin).await).await["id"].as_i64().expect("id");
    let path = format!("/api/accounts/users/{id}/");
    let refused =
        app.request(Method::PATCH, &path, Some(&admin), Some(json!({"is_active": false, "is_staff": false}))).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let errors = body(refused).await;
    assert!(errors["is_active"].is_array() && errors["is_staff"].is_array(), "{errors}");
    // Nothing changed: still an active admin, the token still works; other fields still edit.
    let fine = app.request(Method::PATCH, &path, Some(&admin), Some(json!({"weekly_goal": 12}))).await;
    assert_eq!(fine.status(), StatusCode::OK);
    let me = body(fine).await;
    assert_eq!((me["is_staff"].clone(), me["weekly_goal"].clone()), (json!(true), json!(12)), "{me}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn operations_pages_are_for_admins_only(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.signed_in("plain@example.com").await;
    for (method, path) in [
        (Method::GET, "/api/admin/jobs/"),
        (Method::GET, "/api/admin/jobs/dead/"),
        (Method::POST, "/api/admin/jobs/dead/1-0/requeue/"),
        (Method::GET, "/api/admin/backups/"),
        (Method::GET, "/api/metrics/system/"),
        (Method::GET, "/api/metrics/business/"),
    ] {
        let response = app.request(method.clone(), path, Some(&user), None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(app.request(method.clone(), path, None, None).await.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn admins_see_dead_letters_without_payloads_and_requeue_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = staff(&app).await;
    app.register("stuck@example.com", PASSWORD).await;
    // A worker gives up on the verification email.
    let queue = Queue::new(app.redis.clone(), "test-worker");
    queue.ensure_groups().await.expect("groups");
    let mut conn = app.redis.conn.clone();
    let deliveries = queue.fetch(&mut conn, JobKind::SendEmail, 10, Duration::from_millis(10)).await.expect("fetch");
    let stuck = deliveries.iter().find(|d| d.payload.contains("stuck@example.com")).expect("the email job");
    let dead_id = queue.bury(stuck, "550 mailbox unavailable", 1_700_000_000_000).await.expect("bury").expect("id");
    for other in deliveries.iter().filter(|d| d.entry_id != stuck.entry_id) {
        queue.ack(other).await.expect("ack");
    }

    let jobs = body(app.get_auth("/api/admin/jobs/", &admin).await).await;
    assert_eq!(jobs["dead"], 1);
    let email = jobs["jobs"].as_array().expect("jobs").iter().find(|j| j["type"] == "send_email").expect("send_email");
    assert_eq!(email["queued"], 0, "{jobs}");

    let dead = body(app.get_auth("/api/admin/jobs/dead/", &admin).await).await;
    assert_eq!(dead["count"], 1);
    let letter = &dead["results"][0];
    assert_eq!(letter["id"], dead_id.as_str());
    assert_eq!(letter["type"], "send_email");
    assert_eq!(letter["error"], "550 mailbox unavailable");
    assert_eq!(letter["failed_at"], "2023-11-14T22:13:20Z");
    assert!(letter.get("payload").is_none(), "payloads can hold tokens: {letter}");
    assert!(!dead.to_string().contains("stuck@example.com"));
    assert_eq!(app.get_auth("/api/admin/jobs/dead/?limit=0", &admin).await.status(), StatusCode::BAD_REQUEST);

    let path = format!("/api/admin/jobs/dead/{dead_id}/requeue/");
    let requeued = app.request(Method::POST, &path, Some(&admin), None).await;
    assert_eq!(requeued.status(), StatusCode::OK);
    assert_eq!(body(requeued).await["type"], "send_email");
    assert_eq!(app.emails_to("stuck@example.com").await.len(), 1, "the email is back on its queue");
    assert_eq!(body(app.get_auth("/api/admin/jobs/", &admin).await).await["dead"], 0);
    for gone in [path.as_str(), "/api/admin/jobs/dead/not-an-id/requeue/", "/api/admin/jobs/dead/1-0/requeue/"] {
        let response = app.request(Method::POST, gone, Some(&admin), None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{gone}");
        assert!(body(response).await["error"].is_string());
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn admins_see_existing_backups_and_the_last_run(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = staff(&app).await;
    assert_eq!(body(app.get_auth("/api/admin/backups/", &admin).await).await, json!({"backups": [], "last_run": null}));

    sqlx::query(
        "INSERT INTO backup_runs (started_at, finished_at, outcome, key, bytes, sha256, pruned_at) VALUES
           ('2026-10-01T03:00:00Z', '2026-10-01T03:01:00Z', 'succeeded', 'db/old.dump.zst', 10, 'aa', now()),
           ('2026-11-01T03:00:00Z', '2026-11-01T03:02:00Z', 'succeeded', 'db/kept.dump.zst', 2048, 'bb', NULL)",
    )
    .execute(&app.db)
    .await
    .expect("runs");
    sqlx::query(
        "INSERT INTO backup_runs (started_at, finished_at, outcome, step, error) VALUES
           ('2026-11-02T03:00:00Z', '2026-11-02T03:00:05Z', 'failed', 'upload', 'bucket not found')",
    )
    .execute(&app.db)
    .await
    .expect("failed run");

    let listed = body(app.get_auth("/api/admin/backups/", &admin).await).await;
    assert_eq!(
        listed["backups"],
        json!([{"key": "db/kept.dump.zst", "created_at": "2026-11-01T03:02:00Z", "bytes": 2048, "sha256": "bb"}])
    );
    assert_eq!(listed["last_run"]["outcome"], "failed");
    assert_eq!(listed["last_run"]["step"], "upload");
    assert_eq!(listed["last_run"]["error"], "bucket not found");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn admins_read_system_and_business_numbers(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = staff(&app).await;
    let writer = app.signed_in("writer@example.com").await;
    app.note(&writer, "One").await;
    app.note(&writer, "Two").await;

    let business = body(app.get_auth("/api/metrics/business/", &admin).await).await;
    assert_eq!(business["users"], 2);
    assert_eq!(business["contents"], 2);
    assert_eq!(business["reviews"], 0);
    assert_eq!(business["exams"], 0);
    let system = body(app.get_auth("/api/metrics/system/", &admin).await).await;
    assert!(system["queue"]["jobs"].as_array().is_some_and(|jobs| !jobs.is_empty()), "{system}");
    assert!(system["database_connections"].as_u64().is_some_and(|n| n >= 1), "{system}");
}

async fn staff(app: &TestApp) -> String {
    app.verified_user("boss@example.com").await;
    app.make_staff("boss@example.com").await;
    app.login("boss@example.com", PASSWORD).await.0
}
