use chrono::{DateTime, TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, body, long_body};

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a datetime")).expect("RFC 3339").with_timezone(&Utc)
}

fn days_from_now(value: &Value) -> f64 {
    (time(value) - Utc::now()).num_seconds() as f64 / 86_400.0
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_new_note_is_in_todays_list_at_once_and_leaves_it_when_remembered(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("today@example.com").await;
    let before = body(app.get_auth("/api/review/schedules/today/", &token).await).await;
    assert_eq!(before["count"], 0);

    let content = app.note(&token, "Fresh").await;
    let today = body(app.get_auth("/api/review/schedules/today/", &token).await).await;
    assert_eq!(today["count"], 1);
    assert_eq!(today["total_count"], 1);
    assert_eq!(today["subscription_tier"], "basic");
    assert_eq!(today["max_interval_days"], 90);
    let card = &today["results"][0];
    assert_eq!(card["content"]["id"], content["id"]);
    assert_eq!(card["content"]["author"], "today@example.com");
    assert_eq!(card["user"], "today@example.com");
    assert_eq!(card["initial_review_completed"], false);

    let schedule = card["id"].as_i64().expect("id");
    let done = app.complete(&token, schedule, json!({"result": "remembered", "time_spent": 12, "notes": "easy"})).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done = body(done).await;
    assert_eq!(done["interval_index"], 1);
    assert_eq!(done["final_result"], "remembered");
    assert!(done.get("ai_evaluation").is_none(), "objective cards have no AI evaluation");
    assert!((days_from_now(&done["next_review_date"]) - 3.0).abs() < 0.01);
    assert_eq!(body(app.get_auth("/api/review/schedules/today/", &token).await).await["count"], 0);
    let after = body(app.get_auth(&format!("/api/contents/{}/", content["id"]), &token).await).await;
    assert_eq!(after["review_count"], 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn todays_list_filters_by_category(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("slug@example.com").await;
    let rust = app.create_category(&token, "Rust").await;
    app.create_content(&token, json!({"title": "In Rust", "content": "x", "category": rust["id"]})).await;
    app.note(&token, "Elsewhere").await;
    let filtered = body(app.get_auth("/api/review/schedules/today/?category_slug=rust", &token).await).await;
    assert_eq!(filtered["count"], 1);
    assert_eq!(filtered["total_count"], 1);
    assert_eq!(filtered["results"][0]["content"]["category_name"], "Rust");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn completion_errors_are_documented(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("errs@example.com").await;
    let schedule = app.schedule_of(app.note(&token, "Card").await["id"].as_i64().expect("id")).await;

    for bad in [
        json!({}),
        json!({"result": "maybe"}),
        json!({"result": "partial", "time_spent": 86_401}),
        json!({"result": "partial", "time_spent": -1}),
    ] {
        let response = app.complete(&token, schedule, bad.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(body(response).await["error"].is_string());
    }
    let paused = app
        .request(
            Method::PATCH,
            &format!("/api/review/schedules/{schedule}/"),
            Some(&token),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(paused.status(), StatusCode::OK);
    assert_eq!(body(paused).await["is_active"], false);
    let response = app.complete(&token, schedule, json!({"result": "remembered"})).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body(response).await["error"].is_string());
    assert_eq!(
        body(app.get_auth("/api/review/schedules/today/", &token).await).await["count"],
        0,
        "paused cards are not due"
    );

    app.request(
        Method::PATCH,
        &format!("/api/review/schedules/{schedule}/"),
        Some(&token),
        Some(json!({"is_active": true})),
    )
    .await;
    assert_eq!(app.complete(&token, schedule, json!({"result": "remembered"})).await.status(), StatusCode::OK);
    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM review_history").fetch_one(&app.db).await.expect("count");
    assert_eq!(history, 1, "refused completions record nothing");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn partial_keeps_the_rung_and_forgot_keeps_the_card_due(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("pf@example.com").await;
    let schedule = app.schedule_of(app.note(&token, "Card").await["id"].as_i64().expect("id")).await;
    let first = body(app.complete(&token, schedule, json!({"result": "remembered"})).await).await;
    assert_eq!(first["interval_index"], 1);
    let partial = body(app.complete(&token, schedule, json!({"result": "partial"})).await).await;
    assert_eq!(partial["interval_index"], 1);
    assert!((days_from_now(&partial["next_review_date"]) - 3.0).abs() < 0.01);
    let forgot = body(app.complete(&token, schedule, json!({"result": "forgot"})).await).await;
    assert_eq!(forgot["interval_index"], 0);
    assert_eq!(forgot["next_review_date"], partial["next_review_date"], "forgot leaves the due date");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn multiple_choice_is_graded_by_the_selected_option(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("choice@example.com").await;
    let content = app
        .create_content(
            &token,
            json!({"title": "Ownership", "content": long_body(240), "review_mode": "multiple_choice"}),
        )
        .await;
    let schedule = app.schedule_of(content["id"].as_i64().expect("id")).await;

    let early = app.complete(&token, schedule, json!({"selected_choice": "Ownership"})).await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "options are not generated yet");
    assert!(early.headers().contains_key("retry-after"));
    assert!(body(early).await["error"].is_string());

    sqlx::query("UPDATE contents SET mc_choices = '{\"choices\": [\"Borrowing\", \"Ownership\", \"Traits\", \"Macros\"], \"correct_answer\": \"Ownership\"}'")
        .execute(&app.db)
        .await
        .expect("choices");
    let right = body(app.complete(&token, schedule, json!({"selected_choice": "Ownership"})).await).await;
    assert_eq!(right["final_result"], "remembered");
    assert_eq!(right["ai_evaluation"]["score"], 100.0);
    assert_eq!(right["ai_evaluation"]["is_correct"], true);
    let wrong =
        body(app.complete(&token, schedule, json!({"selected_choice": "Traits", "result": "remembered"})).await).await;
    assert_eq!(wrong["final_result"], "forgot", "the choice decides, not the client's result");
    assert_eq!(wrong["ai_evaluation"]["score"], 0.0);
    let missing = app.complete(&token, schedule, json!({})).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn descriptive_answers_use_the_clients_result_when_no_grade_arrives(db: PgPool) {
    // No worker runs: every grading request passes its deadline.
    let app = TestApp::spawn_with(db, |env| env.set("AI_REPLY_DEADLINE", "1s")).await;
    let token = app.signed_in("essay@example.com").await;
    let content = app
        .create_content(&token, json!({"title": "Lifetimes", "content": long_body(300), "review_mode": "descriptive"}))
        .await;
    let schedule = app.schedule_of(content["id"].as_i64().expect("id")).await;

    let short =
        body(app.complete(&token, schedule, json!({"descriptive_answer": "idk", "result": "remembered"})).await).await;
    assert_eq!(short["final_result"], "forgot", "answers under 10 characters score 0");
    assert_eq!(short["ai_evaluation"]["score"], 0.0);

    let long = body(
        app.complete(
            &token,
            schedule,
            json!({"descriptive_answer": "References must not outlive their referent.", "result": "partial"}),
        )
        .await,
    )
    .await;
    assert_eq!(long["final_result"], "partial");
    assert!(long["ai_evaluation"]["feedback"].as_str().is_some_and(|f| !f.is_empty()));
    let no_result = app.complete(&token, schedule, json!({"descriptive_answer": "A long enough answer here."})).await;
    assert_eq!(no_result.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_retried_completion_with_the_same_idempotency_key_counts_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("retry@example.com").await;
    let schedule = app.schedule_of(app.note(&token, "Card").await["id"].as_i64().expect("id")).await;
    let send = || {
        app.client
            .post(app.url(&format!("/api/review/schedules/{schedule}/completions/")))
            .bearer_auth(&token)
            .header("idempotency-key", "offline-42")
            .json(&json!({"result": "remembered"}))
            .send()
    };
    let first = body(send().await.expect("send")).await;
    let second = body(send().await.expect("send")).await;
    assert_eq!(first, second);
    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM review_history").fetch_one(&app.db).await.expect("count");
    assert_eq!(history, 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn concurrent_completions_of_one_card_all_count_and_leave_it_consistent(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("race@example.com").await;
    let schedule = app.schedule_of(app.note(&token, "Contended").await["id"].as_i64().expect("id")).await;

    let attempts = (0..8).map(|_| app.complete(&token, schedule, json!({"result": "remembered"})));
    let statuses: Vec<StatusCode> = futures_join_all(attempts).await.into_iter().map(|r| r.status()).collect();

    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM review_history").fetch_one(&app.db).await.expect("count");
    assert_eq!(history, 8);
    let index: i32 =
        sqlx::query_scalar("SELECT interval_index FROM review_schedules").fetch_one(&app.db).await.expect("index");
    assert_eq!(index, 6, "eight climbs on the basic ladder end on its top rung");
}

/// Runs the futures concurrently on this task (the requests overlap on the server).
async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    out.extend(results.into_iter().flatten());
    out
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn schedules_and_history_are_paginated_with_review_meta(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("pages@example.com").await;
    let mut schedules = Vec::new();
    for i in 0..27 {
        let content = app.note(&token, &format!("Card {i}")).await;
        schedules
            .push((content["id"].as_i64().expect("id"), app.schedule_of(content["id"].as_i64().expect("id")).await));
    }
    let (content_a, schedule_a) = schedules[0];
    for result in ["remembered", "partial", "forgot"] {
        app.complete(&token, schedule_a, json!({"result": result})).await;
    }
    app.complete(&token, schedules[1].1, json!({"result": "remembered"})).await;

    let page = body(app.get_auth("/api/review/schedules/", &token).await).await;
    assert_eq!(page["count"], 27);
    assert_eq!(page["page_size"], 25);
    assert_eq!(page["total_pages"], 2);
    assert_eq!(page["results"].as_array().map(Vec::len), Some(25));
    assert!(page.get("usage").is_none() && page.get("content_meta").is_none());
    let second = body(app.get_auth("/api/review/schedules/?page=2", &token).await).await;
    // The original's review_meta: the page's items, and a completion rate and count that were
    // always 0 there.
    assert_eq!(
        page["review_meta"],
        json!({"completion_rate": 0.0, "total_reviews_in_page": 25, "completed_reviews_in_page": 0})
    );
    assert_eq!(second["review_meta"]["total_reviews_in_page"], 2);
    assert_eq!(app.get_auth("/api/review/schedules/?page=3", &token).await.status(), StatusCode::NOT_FOUND);
    let one = body(app.get_auth(&format!("/api/review/schedules/{schedule_a}/"), &token).await).await;
    assert_eq!(one["content"]["id"], content_a);

    let history = body(app.get_auth("/api/review/history/", &token).await).await;
    assert_eq!(history["count"], 4);
    assert_eq!(history["review_meta"]["total_reviews_in_page"], 4);
    assert_eq!(history["results"][0]["content"]["id"], schedules[1].0, "newest first");
    let of_a = body(app.get_auth(&format!("/api/review/history/?content={content_a}"), &token).await).await;
    assert_eq!(of_a["count"], 3);
    assert_eq!(of_a["results"][0]["result"], "forgot");
    assert_eq!(of_a["results"][0]["content"]["review_count"], 3, "in history, review_count counts every review");
    let id = of_a["results"][2]["id"].as_i64().expect("id");
    let single = body(app.get_auth(&format!("/api/review/history/{id}/"), &token).await).await;
    assert_eq!(single["result"], "remembered");
    assert_eq!(single["user"], "pages@example.com");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_dashboard_matches_a_hand_count(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("dash@example.com").await;
    let rust = app.create_category(&token, "Rust").await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let category = if i < 4 { rust["id"].clone() } else { Value::Null };
        let content =
            app.create_content(&token, json!({"title": format!("C{i}"), "content": "x", "category": category})).await;
        ids.push(app.schedule_of(content["id"].as_i64().expect("id")).await);
    }
    // C0 remembered, C1 partial, C2 forgot (still due today), C3 remembered then overdue by 2 days,
    // C4 reviewed 40 days ago only (not in the 30-day numbers), C5 never reviewed.
    for (schedule, result) in [(ids[0], "remembered"), (ids[1], "partial"), (ids[2], "forgot"), (ids[3], "remembered")]
    {
        app.complete(&token, schedule, json!({"result": result})).await;
    }
    sqlx::query("UPDATE review_schedules SET next_review_date = now() - interval '2 days' WHERE id = $1")
        .bind(ids[3])
        .execute(&app.db)
        .await
        .expect("age");
    sqlx::query("INSERT INTO review_history (user_id, content_id, result, review_date) SELECT user_id, content_id, 'remembered', now() - interval '40 days' FROM review_schedules WHERE id = $1")
        .bind(ids[4])
        .execute(&app.db)
        .await
        .expect("old review");
    sqlx::query("UPDATE review_schedules SET initial_review_completed = TRUE, next_review_date = now() + interval '10 days' WHERE id = $1")
        .bind(ids[4])
        .execute(&app.db)
        .await
        .expect("future");

    let dashboard = body(app.get_auth("/api/review/dashboard/", &token).await).await;
    // Today: C2 (forgot, due date unchanged = created today), C3 (overdue 2 days), C5 (never reviewed).
    assert_eq!(dashboard["today_reviews"], 3, "{dashboard}");
    assert_eq!(dashboard["pending_reviews"], 1, "C3 is due before today");
    assert_eq!(dashboard["total_content"], 6);
    assert_eq!(dashboard["total_reviews_30_days"], 4);
    assert_eq!(dashboard["success_rate"], 50.0);

    let stats = body(app.get_auth("/api/review/category-stats/", &token).await).await;
    let rust_stats = &stats["rust"];
    assert_eq!(rust_stats["category"], "Rust");
    assert_eq!(rust_stats["total_content"], 4);
    assert_eq!(rust_stats["total_reviews_30_days"], 4);
    assert_eq!(rust_stats["success_rate"], 62.5, "(100 + 50 + 0 + 100) / 4");
    assert_eq!(rust_stats["today_reviews"], 1, "only C2 is due exactly today");
    assert_eq!(stats.as_object().map(|o| o.len()), Some(1));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn today_follows_the_users_local_midnight(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("tz@example.com").await;
    let now = Utc::now();
    // A zone whose date differs from UTC's right now, so a UTC "today" would be wrong.
    let zone = if now.format("%H").to_string().parse::<u32>().unwrap_or(0) >= 12 { "Etc/GMT-14" } else { "Etc/GMT+12" };
    app.request(Method::PUT, "/api/accounts/notification-preferences/", Some(&token), Some(json!({"timezone": zone})))
        .await;
    let tz: chrono_tz::Tz = zone.parse().expect("zone");
    let local_today = resee_core::review::local_date(tz, now);
    let midnight = resee_core::review::start_of_local_day(tz, local_today);
    let tomorrow = midnight + TimeDelta::days(1);

    let due_today = app.schedule_of(app.note(&token, "Due 00:00:30 local").await["id"].as_i64().expect("id")).await;
    let due_tomorrow = app.schedule_of(app.note(&token, "Due tomorrow 00:30").await["id"].as_i64().expect("id")).await;
    for (id, due) in [(due_today, midnight + TimeDelta::seconds(30)), (due_tomorrow, tomorrow + TimeDelta::minutes(30))]
    {
        sqlx::query("UPDATE review_schedules SET initial_review_completed = TRUE, next_review_date = $2 WHERE id = $1")
            .bind(id)
            .bind(due)
            .execute(&app.db)
            .await
            .expect("due");
    }
    let today = body(app.get_auth("/api/review/schedules/today/", &token).await).await;
    let ids: Vec<i64> = today["results"].as_array().expect("results").iter().filter_map(|c| c["id"].as_i64()).collect();
    assert_eq!(ids, vec![due_today]);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn activity_counts_local_days_and_streaks(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("streak@example.com").await;
    let schedule = app.schedule_of(app.note(&token, "Daily").await["id"].as_i64().expect("id")).await;
    app.complete(&token, schedule, json!({"result": "remembered"})).await;
    app.complete(&token, schedule, json!({"result": "forgot"})).await;
    for days_ago in [1, 3] {
        sqlx::query(
            "INSERT INTO review_history (user_id, content_id, result, review_date)
             SELECT user_id, content_id, 'remembered', now() - make_interval(days => $2) FROM review_schedules WHERE id = $1",
        )
        .bind(schedule)
        .bind(days_ago)
        .execute(&app.db)
        .await
        .expect("history");
    }

    let activity = body(app.get_auth("/api/review/activity/?days=7", &token).await).await;

    let days = activity["days"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    let seoul = chrono_tz::Asia::Seoul;
    let today = resee_core::review::local_date(seoul, Utc::now());
    assert_eq!(days[6]["date"], today.to_string());
    assert_eq!((days[6]["reviews"].as_i64(), days[6]["remembered"].as_i64()), (Some(2), Some(1)));
    assert_eq!(days[5]["reviews"], 1);
    assert_eq!(days[4]["reviews"], 0);
    assert_eq!(activity["streak"], 2);
    assert_eq!(activity["longest_streak"], 2);
    assert_eq!(activity["weekly_goal"], 7);
    let monday = today - TimeDelta::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let expected_week: i64 = days
        .iter()
        .filter(|d| d["date"].as_str().is_some_and(|s| s >= monday.to_string().as_str()))
        .filter_map(|d| d["reviews"].as_i64())
        .sum();
    assert_eq!(activity["this_week"], expected_week);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_forecast_counts_due_cards_per_day(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("forecast@example.com").await;
    app.note(&token, "New").await;
    let schedule = app.schedule_of(app.note(&token, "Learnt").await["id"].as_i64().expect("id")).await;
    app.complete(&token, schedule, json!({"result": "remembered"})).await;

    let forecast = body(app.get_auth("/api/review/forecast/?days=5", &token).await).await;

    let due: Vec<i64> = forecast["days"].as_array().expect("days").iter().filter_map(|d| d["due"].as_i64()).collect();
    assert_eq!(due.len(), 5);
    assert_eq!(due[0], 1, "the never-reviewed card is due today");
    assert_eq!(due.iter().sum::<i64>(), 2, "the learnt card falls due within the window: {due:?}");
    assert_eq!(due[3] + due[4], 1, "three days ahead in local time: {due:?}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn todays_list_and_the_dashboard_are_cached_until_a_write_changes_them(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let token = app.signed_in("cache@example.com").await;
    let first = app.note(&token, "First").await;
    let today = || async { body(app.get_auth("/api/review/schedules/today/", &token).await).await };
    let dashboard = || async { body(app.get_auth("/api/review/dashboard/", &token).await).await };
    assert_eq!(today().await["count"], 1);
    assert_eq!(dashboard().await["today_reviews"], 1);

    // A change behind the api's back is not seen: both views come from the cache.
    sqlx::query("UPDATE review_schedules SET is_active = FALSE WHERE content_id = $1")
        .bind(first["id"].as_i64().expect("id"))
        .execute(&db)
        .await
        .expect("update");
    assert_eq!(today().await["count"], 1, "cached");
    assert_eq!(dashboard().await["today_reviews"], 1, "cached");

    // A write through the api shows at once, with everything else that changed.
    app.note(&token, "Second").await;
    let fresh = today().await;
    assert_eq!(fresh["count"], 1, "{fresh}");
    assert_eq!(fresh["results"][0]["content"]["title"], "Second");
    let numbers = dashboard().await;
    assert_eq!((numbers["today_reviews"].as_i64(), numbers["total_content"].as_i64()), (Some(1), Some(2)));

    let schedule = fresh["results"][0]["id"].as_i64().expect("id");
    let done = app.complete(&token, schedule, json!({"result": "remembered"})).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(today().await["count"], 0, "a completion shows at once");
    let numbers = dashboard().await;
    assert_eq!(numbers["today_reviews"], 0);
    assert_eq!(numbers["total_reviews_30_days"], 1);
}
