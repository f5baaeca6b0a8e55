use reqwest::{Method, StatusCode};
use resee_core::jobs::ReclampSchedules;
use resee_core::tiers::Tier;
use serde_json::json;
use sqlx::PgPool;

use crate::support::{TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_subscription_shows_every_documented_field(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("s@example.com").await;
    let sub = body(app.get_auth("/api/accounts/subscription/", &token).await).await;
    for key in [
        "id",
        "tier",
        "tier_display",
        "max_interval_days",
        "start_date",
        "end_date",
        "is_active",
        "days_remaining",
        "is_expired",
        "auto_renewal",
        "next_billing_date",
        "payment_method",
    ] {
        assert!(sub.get(key).is_some(), "missing {key}: {sub}");
    }
    assert_eq!(sub["tier"], "basic");
    assert_eq!(sub["is_expired"], false);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn tiers_list_prices_per_billing_cycle(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("t@example.com").await;
    let monthly = body(app.get_auth("/api/accounts/subscription/tiers/", &token).await).await;
    assert_eq!(monthly["billing_cycle"], "monthly");
    let tiers = monthly["tiers"].as_array().expect("tiers");
    assert_eq!(tiers.len(), 3);
    assert_eq!(tiers[0]["tier"], "free");
    assert_eq!(tiers[0]["content_limit"], 20);
    assert_eq!(tiers[1]["content_limit"], 999_999);
    assert_eq!(tiers[1]["category_limit"], 3);
    assert_eq!(tiers[2]["max_interval_days"], 180);
    assert_eq!(tiers[2]["price"], 25_000);

    let yearly = body(app.get_auth("/api/accounts/subscription/tiers/?billing_cycle=yearly", &token).await).await;
    assert_eq!(yearly["tiers"][2]["price"], 240_000);
    assert_eq!(yearly["tiers"][2]["monthly_price"], 25_000);
    // The original ignored unknown cycles: monthly prices.
    let unknown = body(app.get_auth("/api/accounts/subscription/tiers/?billing_cycle=weekly", &token).await).await;
    assert_eq!(unknown["tiers"][2]["price"], 25_000);
    assert_eq!(unknown["billing_cycle"], "monthly");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn changing_plan_updates_the_subscription_and_queues_one_reclamp(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("up@example.com").await;

    let pro = app
        .request(
            Method::PATCH,
            "/api/accounts/subscriptions/me/",
            Some(&token),
            Some(json!({"tier": "pro", "billing_cycle": "yearly"})),
        )
        .await;
    assert_eq!(pro.status(), StatusCode::OK);
    let pro = body(pro).await;
    assert_eq!(pro["tier"], "pro");
    assert_eq!(pro["max_interval_days"], 180);
    assert_eq!(pro["auto_renewal"], true);
    assert!(pro["days_remaining"].as_i64().is_some_and(|d| (364..=365).contains(&d)), "{pro}");

    let cancelled = app.request(Method::DELETE, "/api/accounts/subscriptions/me/", Some(&token), None).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let cancelled = body(cancelled).await;
    assert_eq!(cancelled["tier"], "free");
    assert_eq!(cancelled["max_interval_days"], 3);
    assert!(cancelled["end_date"].is_null());

    let jobs = app.queued::<ReclampSchedules>().await;
    assert_eq!(jobs.iter().map(|j| j.tier).collect::<Vec<_>>(), vec![Tier::Pro, Tier::Free]);

    let same = app.request(Method::DELETE, "/api/accounts/subscriptions/me/", Some(&token), None).await;
    assert_eq!(same.status(), StatusCode::OK);
    assert_eq!(app.queued::<ReclampSchedules>().await.len(), 2, "no re-clamp when the tier does not change");

    let unknown = app
        .request(Method::PATCH, "/api/accounts/subscriptions/me/", Some(&token), Some(json!({"tier": "gold"})))
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(body(unknown).await["tier"].is_array());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn plan_changes_can_be_switched_off_by_the_operator(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("SELF_SERVICE_PLAN_CHANGES", "false")).await;
    let token = app.signed_in("locked@example.com").await;
    let response =
        app.request(Method::PATCH, "/api/accounts/subscriptions/me/", Some(&token), Some(json!({"tier": "pro"}))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let tier: String = sqlx::query_scalar("SELECT tier FROM subscriptions").fetch_one(&app.db).await.expect("tier");
    assert_eq!(tier, "basic");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_expired_subscription_is_reported_as_expired(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("lapsed@example.com").await;
    sqlx::query(
        "UPDATE subscriptions SET start_date = now() - interval '40 days', end_date = now() - interval '1 day'",
    )
    .execute(&app.db)
    .await
    .expect("lapse");
    let sub = body(app.get_auth("/api/accounts/subscription/", &token).await).await;
    assert_eq!(sub["is_expired"], true);
    assert_eq!(sub["days_remaining"], 0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_downgrade_reclamps_schedules_exactly_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("down@example.com").await;
    let content = app.note(&token, "Long interval").await;
    let schedule = app.schedule_of(content["id"].as_i64().expect("id")).await;
    sqlx::query(
        "UPDATE review_schedules SET interval_index = 5, initial_review_completed = TRUE,
             next_review_date = now() + interval '60 days', created_at = now() - interval '100 days' WHERE id = $1",
    )
    .bind(schedule)
    .execute(&app.db)
    .await
    .expect("rung 5");

    app.request(Method::DELETE, "/api/accounts/subscriptions/me/", Some(&token), None).await;
    let jobs = app.queued::<ReclampSchedules>().await;
    assert_eq!(jobs.len(), 1);

    // Delivered twice (at-least-once): the effect happens once.
    let now = chrono::Utc::now();
    // The cached review views go stale with the first run only (the generation moves once).
    let generation = || async {
        let key = app.redis.key(format!("learn-gen:{}", jobs[0].user_id));
        let mut conn = app.redis.conn.clone();
        redis::AsyncCommands::get::<_, Option<i64>>(&mut conn, key).await.expect("redis").unwrap_or(0)
    };
    let before = generation().await;
    let first = resee_worker::jobs::tiers::reclamp_schedules(&app.db, &app.redis, &jobs[0], now).await.expect("run");
    assert_eq!(generation().await, before + 1);
    let second = resee_worker::jobs::tiers::reclamp_schedules(&app.db, &app.redis, &jobs[0], now).await.expect("rerun");
    assert_eq!((first, second), (1, 0));
    assert_eq!(generation().await, before + 1, "a rerun changes nothing");
    let (index, due): (i32, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT interval_index, next_review_date FROM review_schedules WHERE id = $1")
            .bind(schedule)
            .fetch_one(&app.db)
            .await
            .expect("schedule");
    assert_eq!(index, 1, "the free ladder's top rung");
    assert!(((due - now).num_seconds() - 3 * 86_400).abs() < 5, "re-dated three days from now: {due}");
    let processed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM processed_jobs").fetch_one(&app.db).await.expect("count");
    assert_eq!(processed, 1);
}
