//! A scripted month of reviews per tier: each completion's due date checked step by step.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, body};

fn days_ahead(value: &Value) -> i64 {
    let due = DateTime::parse_from_rfc3339(value.as_str().expect("date")).expect("RFC 3339").with_timezone(&Utc);
    ((due - Utc::now()).num_seconds() as f64 / 86_400.0).round() as i64
}

/// Reviews one card through a month: each time the card falls due (simulated by moving its due
/// date to now), it must be in today's list, and the completion must set the expected interval.
async fn month(app: &TestApp, email: &str, tier: &str, script: &[(&str, i64, i64)]) {
    let token = app.signed_in(email).await;
    app.set_tier(email, tier).await;
    let schedule = app.schedule_of(app.note(&token, &format!("{tier} card")).await["id"].as_i64().expect("id")).await;
    for (step, (result, interval_index, days)) in script.iter().enumerate() {
        let today = body(app.get_auth("/api/review/schedules/today/", &token).await).await;
        assert!(
            today["results"].as_array().expect("results").iter().any(|c| c["id"] == schedule),
            "{tier} step {step}: the card is due"
        );
        let response = app.complete(&token, schedule, json!({"result": result})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let done = body(response).await;
        assert_eq!(done["interval_index"], *interval_index, "{tier} step {step} ({result})");
        assert_eq!(days_ahead(&done["next_review_date"]), *days, "{tier} step {step} ({result})");
        // The days pass: the card falls due again.
        sqlx::query("UPDATE review_schedules SET next_review_date = now() - interval '1 minute' WHERE id = $1")
            .bind(schedule)
            .execute(&app.db)
            .await
            .expect("fast-forward");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_month_on_the_free_ladder(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let script = [
        ("remembered", 1, 3),
        ("remembered", 1, 3),
        ("partial", 1, 3),
        ("forgot", 0, 0),
        ("partial", 0, 1),
        ("remembered", 1, 3),
    ];
    month(&app, "free@example.com", "free", &script).await;
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_month_on_the_basic_ladder(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let script = [
        ("remembered", 1, 3),
        ("remembered", 2, 7),
        ("partial", 2, 7),
        ("remembered", 3, 14),
        ("forgot", 0, 0),
        ("remembered", 1, 3),
        ("remembered", 2, 7),
        ("remembered", 3, 14),
        ("remembered", 4, 30),
        ("remembered", 5, 60),
        ("remembered", 6, 90),
        ("remembered", 6, 90),
    ];
    month(&app, "basic@example.com", "basic", &script).await;
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_month_on_the_pro_ladder(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let script = [
        ("remembered", 1, 3),
        ("remembered", 2, 7),
        ("remembered", 3, 14),
        ("remembered", 4, 30),
        ("remembered", 5, 60),
        ("remembered", 6, 120),
        ("remembered", 7, 180),
        ("remembered", 7, 180),
        ("partial", 7, 180),
    ];
    month(&app, "pro@example.com", "pro", &script).await;
}
