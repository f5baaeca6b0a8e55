use reqwest::{Method, StatusCode};
use resee_core::jobs::Email;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{PASSWORD, TestApp, body};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn registration_creates_an_unverified_user_and_queues_the_verification_email(db: PgPool) {
    let app = TestApp::spawn(db).await;

    let response = app.register("Hana@Example.COM", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let body = body(response).await;
    assert_eq!(body["success"], true);
    assert!(body["message"].is_string());
    assert_eq!(body["data"]["requires_email_verification"], true);
    let user = &body["data"]["user"];
    assert_eq!(user["email"], "Hana@example.com");
    assert_eq!(user["is_email_verified"], false);
    assert_eq!(user["weekly_goal"], 7);
    assert_eq!(user["username"], Value::Null);
    assert_eq!(user["subscription"]["tier"], "basic");
    assert_eq!(user["subscription"]["max_interval_days"], 90);
    for key in ["id", "is_staff", "is_superuser", "date_joined"] {
        assert!(!user[key].is_null(), "{key}");
    }
    let emails = app.emails_to("Hana@example.com").await;
    assert_eq!(emails.len(), 1);
    let Email::Verification { token, link } = &emails[0].email else { panic!("expected a verification email") };
    assert_eq!(link, &format!("http://resee.test/verify-email?token={token}&email=Hana%40example.com"));
    // Only the digest is stored.
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT email_verification_token_hash FROM users").fetch_one(&app.db).await.expect("hash");
    assert_eq!(stored, resee_core::crypto::token_digest(token));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_legacy_register_path_works_too(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response = app
        .post(
            "/api/accounts/users/",
            json!({"email": "legacy@example.com", "password": PASSWORD, "password_confirm": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn without_enforced_verification_users_start_verified_and_get_no_email(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("ENFORCE_EMAIL_VERIFICATION", "false")).await;
    let response = app.register("quick@example.com", PASSWORD).await;
    let body = body(response).await;
    assert_eq!(body["data"]["requires_email_verification"], false);
    assert_eq!(body["data"]["user"]["is_email_verified"], true);
    assert!(app.emails_to("quick@example.com").await.is_empty());
    app.login("quick@example.com", PASSWORD).await;
}

async fn validation_error(app: &TestApp, email: &str, password: &str, confirm: &str) -> Value {
    let response = app
        .post(
            "/api/accounts/users/register/",
            json!({"email": email, "password": password, "password_confirm": confirm}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = body(response).await;
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR", "{body}");
    assert!(body["error"]["message"].is_string(), "message must be a string: {body}");
    body["error"]["details"].clone()
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn registration_refuses_bad_input_with_validation_error_bodies(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("taken@example.com", PASSWORD).await;

    assert!(validation_error(&app, "TAKEN@example.com", PASSWORD, PASSWORD).await["email"].is_array());
    assert!(validation_error(&app, "not-an-email", PASSWORD, PASSWORD).await["email"].is_array());
    assert!(validation_error(&app, "a@example.com", PASSWORD, "Other-pass-999").await["password_confirm"].is_array());
    assert!(validation_error(&app, "b@example.com", "short1", "short1").await["password"].is_array());
    assert!(validation_error(&app, "c@example.com", "12345678901", "12345678901").await["password"].is_array());
    assert!(validation_error(&app, "d@example.com", "password123", "password123").await["password"].is_array());
    assert!(
        validation_error(&app, "sungmin.park@example.com", "sungmin.park", "sungmin.park").await["password"].is_array()
    );
    assert!(validation_error(&app, "", "", "").await["email"].is_array());
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 1, "nothing but the first registration was stored");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn registration_with_missing_fields_names_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let response = app.post("/api/accounts/users/register/", json!({"email": "x@example.com"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = body(response).await;
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    assert!(body["error"]["details"]["password"].is_array(), "{body}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn verification_marks_the_email_verified_once_and_queues_a_welcome(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("v@example.com", PASSWORD).await;
    let token = app.verification_token("v@example.com").await;

    let wrong = app.post("/api/accounts/verify-email/", json!({"email": "v@example.com", "token": "nope"})).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(body(wrong).await["error"].is_string());

    let ok = app.post("/api/accounts/verify-email/", json!({"email": "V@example.com", "token": token})).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let body_ok = body(ok).await;
    assert!(body_ok["message"].is_string());
    assert_eq!(body_ok["user"]["is_email_verified"], true);
    assert!(app.emails_to("v@example.com").await.iter().any(|e| e.email == Email::Welcome));

    let reused = app.post("/api/accounts/verify-email/", json!({"email": "v@example.com", "token": token})).await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn verification_tokens_expire_after_24_hours(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("late@example.com", PASSWORD).await;
    let token = app.verification_token("late@example.com").await;
    sqlx::query("UPDATE users SET email_verification_sent_at = now() - interval '25 hours'")
        .execute(&app.db)
        .await
        .expect("age");

    let response = app.post("/api/accounts/verify-email/", json!({"email": "late@example.com", "token": token})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn resend_answers_alike_for_every_address_and_waits_five_minutes_per_address(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("again@example.com", PASSWORD).await;
    app.verified_user("done@example.com").await;
    let resend = |email: &'static str| app.post("/api/accounts/resend-verification/", json!({"email": email}));

    // Registration started the address's wait.
    let too_soon = resend("again@example.com").await;
    assert_eq!(too_soon.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(too_soon.headers().get("retry-after").is_some());
    assert!(body(too_soon).await["error"].is_string());

    // The wait over, known, verified and unknown addresses get the same answer; only the
    // unverified account gets an email.
    let key = format!("{}:verify-mail:*", app.redis.prefix());
    let mut conn = app.redis.conn.clone();
    let keys: Vec<String> = redis::cmd("KEYS").arg(&key).query_async(&mut conn).await.expect("keys");
    let _: () = redis::cmd("DEL").arg(keys).query_async(&mut conn).await.expect("del");
    let mut answers = Vec::new();
    for email in ["again@example.com", "done@example.com", "ghost@example.com"] {
        let response = resend(email).await;
        answers.push((response.status(), body(response).await));
    }
    assert!(answers.iter().all(|answer| *answer == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::OK);
    assert_eq!(app.emails_to("again@example.com").await.len(), 2);
    assert_eq!(app.emails_to("ghost@example.com").await.len(), 0);
    // Each address waits, account or not.
    assert_eq!(resend("ghost@example.com").await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The new link works; the old one was replaced.
    let token = app.verification_token("again@example.com").await;
    let verified = app.post("/api/accounts/verify-email/", json!({"email": "again@example.com", "token": token})).await;
    assert_eq!(verified.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn profile_shows_and_updates_username_and_weekly_goal(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("p@example.com").await;
    let other = app.signed_in("q@example.com").await;
    app.request(Method::PUT, "/api/accounts/profile/", Some(&other), Some(json!({"username": "Taken"}))).await;

    let profile = body(app.get_auth("/api/accounts/profile/", &token).await).await;
    assert_eq!(profile["email"], "p@example.com");

    let saved = app
        .request(
            Method::PUT,
            "/api/accounts/profile/",
            Some(&token),
            Some(json!({"username": "jiwoo", "weekly_goal": 12})),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(
        body(saved).await,
        json!({"email": "p@example.com", "username": "jiwoo", "is_email_verified": true, "weekly_goal": 12})
    );

    let clash =
        app.request(Method::PUT, "/api/accounts/profile/", Some(&token), Some(json!({"username": "TAKEN"}))).await;
    assert_eq!(clash.status(), StatusCode::BAD_REQUEST);
    let clash = body(clash).await;
    assert_eq!(clash["error"]["code"], "VALIDATION_ERROR");
    assert!(clash["error"]["message"].is_string());
    assert!(clash["error"]["details"]["username"].is_array());

    let goal =
        body(app.request(Method::PUT, "/api/accounts/profile/", Some(&token), Some(json!({"weekly_goal": 0}))).await)
            .await;
    assert!(goal["error"]["details"]["weekly_goal"].is_array(), "{goal}");
    assert!(goal["error"]["message"].is_string());

    let me = body(app.get_auth("/api/accounts/users/me/", &token).await).await;
    assert_eq!(me["username"], "jiwoo");
    assert_eq!(me["weekly_goal"], 12);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn weekly_goal_reads_and_writes_with_put_and_patch(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("goal@example.com").await;
    assert_eq!(body(app.get_auth("/api/accounts/weekly-goal/", &token).await).await, json!({"weekly_goal": 7}));

    for (method, goal) in [(Method::PUT, 20), (Method::PATCH, 100)] {
        let response =
            app.request(method, "/api/accounts/weekly-goal/", Some(&token), Some(json!({"weekly_goal": goal}))).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = body(response).await;
        assert_eq!(body["weekly_goal"], goal);
        assert!(body["message"].is_string());
    }
    for bad in [json!({"weekly_goal": 101}), json!({"weekly_goal": "ten"}), json!({})] {
        let response = app.request(Method::PATCH, "/api/accounts/weekly-goal/", Some(&token), Some(bad)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = body(response).await;
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR", "{body}");
        assert!(body["error"]["message"].is_string());
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn notification_preferences_round_trip_with_timezone_and_language(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("n@example.com").await;
    let defaults = body(app.get_auth("/api/accounts/notification-preferences/", &token).await).await;
    assert_eq!(
        defaults,
        json!({"email_notifications_enabled": true, "daily_reminder_enabled": true, "daily_reminder_time": "09:00:00", "timezone": "Asia/Seoul", "language": "ko"})
    );

    let update = json!({"daily_reminder_enabled": false, "daily_reminder_time": "21:30:00", "timezone": "Europe/Berlin", "language": "en", "extra": 1});
    let saved = app.request(Method::PUT, "/api/accounts/notification-preferences/", Some(&token), Some(update)).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = body(saved).await;
    assert_eq!(saved["daily_reminder_time"], "21:30:00");
    assert_eq!(saved["timezone"], "Europe/Berlin");
    assert_eq!(saved["email_notifications_enabled"], true, "omitted keys keep their value");

    let bad = json!({"timezone": "Mars/Olympus", "daily_reminder_time": "25:00", "language": "fr"});
    let refused = app.request(Method::PUT, "/api/accounts/notification-preferences/", Some(&token), Some(bad)).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let refused = body(refused).await;
    for field in ["timezone", "daily_reminder_time", "language"] {
        assert!(refused[field].is_array(), "{field}: {refused}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn one_click_unsubscribe_turns_reminders_off(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("u@example.com").await;
    let unsubscribe: String = sqlx::query_scalar("SELECT unsubscribe_token FROM notification_preferences")
        .fetch_one(&app.db)
        .await
        .expect("token");

    // RFC 8058: the mail client posts a form body to the URL that carries the token.
    let response = app
        .client
        .post(app.url(&format!("/api/accounts/unsubscribe/?token={unsubscribe}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let prefs = body(app.get_auth("/api/accounts/notification-preferences/", &token).await).await;
    assert_eq!(prefs["daily_reminder_enabled"], false);

    // With the token in the link, whatever the body is does not matter.
    let odd_body = app
        .client
        .post(app.url(&format!("/api/accounts/unsubscribe/?token={unsubscribe}")))
        .header("content-type", "text/plain")
        .body("unsubscribe me")
        .send()
        .await
        .expect("send");
    assert_eq!(odd_body.status(), StatusCode::OK);
    let json_body = app.post("/api/accounts/unsubscribe/", json!({"token": unsubscribe})).await;
    assert_eq!(json_body.status(), StatusCode::OK);
    let unknown = app.post("/api/accounts/unsubscribe/", json!({"token": "unknown"})).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(body(unknown).await["error"].is_string());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn deleting_the_account_needs_password_and_confirmation_and_ends_every_session(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("gone@example.com").await;
    let (token, refresh) = app.login("gone@example.com", PASSWORD).await;

    let refused = app
        .request(
            Method::DELETE,
            "/api/accounts/users/me/",
            Some(&token),
            Some(json!({"password": "Wrong-pass-1", "confirmation": "delete"})),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let refused = body(refused).await;
    assert!(refused["password"].is_array() && refused["confirmation"].is_array(), "{refused}");

    let deleted = app
        .request(
            Method::DELETE,
            "/api/accounts/users/me/",
            Some(&token),
            Some(json!({"password": PASSWORD, "confirmation": "DELETE"})),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(body(deleted).await["message"].is_string());
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.db).await.expect("count");
    assert_eq!(left, 0);
    let subs: i64 = sqlx::query_scalar("SELECT count(*) FROM subscriptions").fetch_one(&app.db).await.expect("count");
    assert_eq!(subs, 0, "owned rows cascade");
    assert_eq!(app.get_auth("/api/accounts/profile/", &token).await.status(), StatusCode::UNAUTHORIZED);
    // The old backend answered a deleted user's refresh cookie with 500.
    assert_eq!(
        app.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn english_is_spoken_on_request(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let korean = body(app.post("/api/auth/token/", json!({"email": "x@example.com", "password": "y"})).await).await;
    let english = app
        .client
        .post(app.url("/api/auth/token/"))
        .header("accept-language", "en-US,en;q=0.9")
        .json(&json!({"email": "x@example.com", "password": "y"}))
        .send()
        .await
        .expect("send");
    let english = body(english).await;
    assert_ne!(korean["non_field_errors"], english["non_field_errors"]);
    assert!(english["non_field_errors"][0].as_str().expect("message").is_ascii());
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_taken_address_is_refused_as_slowly_as_a_new_one_registers(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.register("taken@example.com", PASSWORD).await;
    let timed = |email: String| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let status = app.register(&email, PASSWORD).await.status();
            (status, started.elapsed())
        }
    };
    let (mut taken, mut new) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let (status, spent) = timed("taken@example.com".to_owned()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        taken.push(spent);
        let (status, spent) = timed(format!("new{i}@example.com")).await;
        assert_eq!(status, StatusCode::CREATED);
        new.push(spent);
    }
    taken.sort();
    new.sort();
    // Both hash the password: the medians are of one order (without the hash, a refusal took
    // a tenth of a registration).
    assert!(taken[2] * 2 >= new[2], "taken {taken:?} against new {new:?}");
}
