//! Every body is read as Django REST Framework reads it (`api/src/fields`): for each endpoint
//! with a body, each kind of field is sent in each spelling DRF accepts (checked by reading the
//! stored value back through the API) and in a few it refuses (checked against DRF's words).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{Payload, TestApp, body};

/// Sends `payload` and returns (status, body).
async fn send(app: &TestApp, method: Method, path: &str, token: &str, payload: Payload) -> (StatusCode, Value) {
    let response = app.send(method, path, Some(token), payload).await;
    (response.status(), body(response).await)
}

async fn read(app: &TestApp, path: &str, token: &str) -> Value {
    body(app.get_auth(path, token).await).await
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn integers_read_like_drf_integer_fields(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("goal@example.com").await;
    let path = "/api/accounts/weekly-goal/";
    let accepted = [
        (Method::PUT, Payload::Json(json!({"weekly_goal": 7})), 7),
        (Method::PUT, Payload::Json(json!({"weekly_goal": 8.0})), 8),
        (Method::PUT, Payload::Json(json!({"weekly_goal": "9"})), 9),
        (Method::PATCH, Payload::Json(json!({"weekly_goal": " 10 "})), 10),
        (Method::PUT, Payload::Json(json!({"weekly_goal": "11.0"})), 11),
        (Method::PUT, Payload::Form(vec![("weekly_goal", "12".into())]), 12),
        (Method::PATCH, Payload::Multipart(vec![("weekly_goal", " 13".into())]), 13),
    ];
    for (method, payload, stored) in accepted {
        let (status, saved) = send(&app, method, path, &token, payload).await;
        assert_eq!((status, &saved["weekly_goal"]), (StatusCode::OK, &json!(stored)), "{saved}");
        assert_eq!(read(&app, path, &token).await["weekly_goal"], stored);
    }
    let refused = [
        (json!(true), "A valid integer is required."),
        (json!("7.5"), "A valid integer is required."),
        (json!(7.5), "A valid integer is required."),
        (json!("seven"), "A valid integer is required."),
        (json!([7]), "A valid integer is required."),
        (json!(""), "A valid integer is required."),
        (json!(null), "This field may not be null."),
        (json!(0), "Ensure this value is greater than or equal to 1."),
        (json!("101"), "Ensure this value is less than or equal to 100."),
    ];
    for (sent, message) in refused {
        let (status, refused) =
            send(&app, Method::PUT, path, &token, Payload::Json(json!({"weekly_goal": sent}))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{sent}");
        assert_eq!(refused["error"]["details"]["weekly_goal"], json!([message]), "{sent}: {refused}");
    }
    assert_eq!(read(&app, path, &token).await["weekly_goal"], 13, "refusals change nothing");
    // Profile: the same integer rule, and a username of digits is text.
    let (status, saved) = send(
        &app,
        Method::PUT,
        "/api/accounts/profile/",
        &token,
        Payload::Json(json!({"username": 2024, "weekly_goal": "5"})),
    )
    .await;
    assert_eq!(
        (status, saved["username"].clone(), saved["weekly_goal"].clone()),
        (StatusCode::OK, json!("2024"), json!(5))
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn relations_take_ids_as_text_and_blank_means_none(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("select@example.com").await;
    let id = app.create_category(&token, "Rust").await["id"].as_i64().expect("id");
    let spellings = [json!(id), json!(id.to_string()), json!(format!(" {id} ")), json!(id as f64), json!("")];
    for (n, sent) in spellings.into_iter().enumerate() {
        let note = json!({"title": format!("Note {n}"), "content": "Body", "category": sent});
        let (status, created) = send(&app, Method::POST, "/api/contents/", &token, Payload::Json(note)).await;
        assert_eq!(status, StatusCode::CREATED, "{sent}: {created}");
        let stored = read(&app, &format!("/api/contents/{}/", created["id"]), &token).await;
        let expected = if sent == "" { Value::Null } else { json!(id) };
        assert_eq!(stored["category"]["id"].clone(), expected, "{sent}");
    }
    // PATCH with "" or null clears; a PUT with the id as text sets it again.
    let note = app.create_content(&token, json!({"title": "Moves", "content": "Body", "category": id})).await;
    let path = format!("/api/contents/{}/", note["id"]);
    for clear in [json!(""), json!(null)] {
        send(&app, Method::PATCH, &path, &token, Payload::Json(json!({"category": id}))).await;
        let (status, saved) = send(&app, Method::PATCH, &path, &token, Payload::Json(json!({"category": clear}))).await;
        assert_eq!((status, saved["category"].clone()), (StatusCode::OK, Value::Null), "{clear}");
    }
    let put = json!({"title": "Moves", "content": "Body", "category": id.to_string(), "review_mode": "objective"});
    let (status, saved) = send(&app, Method::PUT, &path, &token, Payload::Json(put)).await;
    assert_eq!((status, saved["category"]["id"].clone()), (StatusCode::OK, json!(id)));

    let refused = [
        (json!([id]), "Incorrect type. Expected pk value, received list.".to_owned()),
        (json!({"id": id}), "Incorrect type. Expected pk value, received dict.".to_owned()),
        (json!(true), "Incorrect type. Expected pk value, received bool.".to_owned()),
        (json!("abc"), "Incorrect type. Expected pk value, received str.".to_owned()),
        (json!("999999"), "Invalid pk \"999999\" - object does not exist.".to_owned()),
    ];
    for (sent, message) in refused {
        let note = json!({"title": "Refused", "content": "Body", "category": sent});
        let (status, refused) = send(&app, Method::POST, "/api/contents/", &token, Payload::Json(note)).await;
        assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"category": [message]})), "{sent}");
    }
    // Every field's problem at once.
    let bad = json!({"title": ["x"], "category": [1], "review_mode": "oral"});
    let (status, refused) = send(&app, Method::POST, "/api/contents/", &token, Payload::Json(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused,
        json!({
            "title": ["Not a valid string."],
            "content": ["This field is required."],
            "category": ["Incorrect type. Expected pk value, received list."],
            "review_mode": ["\"oral\" is not a valid choice."],
        })
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn booleans_times_and_forms_on_notification_preferences(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("prefs@example.com").await;
    let path = "/api/accounts/notification-preferences/";
    let spellings = [
        (json!(false), false),
        (json!(1), true),
        (json!("false"), false),
        (json!("True"), true),
        (json!("off"), false),
        (json!("on"), true),
        (json!("no"), false),
        (json!("yes"), true),
        (json!("0"), false),
        (json!("1"), true),
    ];
    for (sent, stored) in spellings {
        let (status, _) =
            send(&app, Method::PUT, path, &token, Payload::Json(json!({"daily_reminder_enabled": sent}))).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        assert_eq!(read(&app, path, &token).await["daily_reminder_enabled"], stored, "{sent}");
    }
    for (sent, stored) in [("07:30", "07:30:00"), ("21:05:09", "21:05:09"), (" 06:00 ", "06:00:00")] {
        send(&app, Method::PUT, path, &token, Payload::Json(json!({"daily_reminder_time": sent}))).await;
        assert_eq!(read(&app, path, &token).await["daily_reminder_time"], stored, "{sent}");
    }
    let bad = json!({"email_notifications_enabled": "maybe", "daily_reminder_enabled": 2, "daily_reminder_time": "7h"});
    let (status, refused) = send(&app, Method::PUT, path, &token, Payload::Json(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused,
        json!({
            "email_notifications_enabled": ["Must be a valid boolean."],
            "daily_reminder_enabled": ["Must be a valid boolean."],
            "daily_reminder_time": ["Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."],
        })
    );
    // A form, as JSON: the keys it leaves out keep their values.
    let form = vec![("daily_reminder_enabled", "on".to_owned()), ("daily_reminder_time", "08:15".to_owned())];
    let (status, saved) = send(&app, Method::PUT, path, &token, Payload::Form(form)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["email_notifications_enabled"].clone(), saved["daily_reminder_enabled"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(read(&app, path, &token).await["daily_reminder_time"], "08:15:00");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn text_is_trimmed_numbers_become_text_and_blank_is_refused(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("text@example.com").await;
    for (sent, stored) in [(json!(2024), "2024"), (json!("  Verbs  "), "Verbs"), (json!(3.5), "3.5")] {
        let (status, created) = send(
            &app,
            Method::POST,
            "/api/categories/",
            &token,
            Payload::Json(json!({"name": sent, "description": ""})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{sent}: {created}");
        assert_eq!(read(&app, &format!("/api/categories/{}/", created["id"]), &token).await["name"], stored);
    }
    let refused = [
        (json!("   "), "This field may not be blank.".to_owned()),
        (json!(["a"]), "Not a valid string.".to_owned()),
        (json!(false), "Not a valid string.".to_owned()),
        (json!("n".repeat(101)), "Ensure this field has no more than 100 characters.".to_owned()),
    ];
    for (sent, message) in refused {
        let (status, refused) =
            send(&app, Method::POST, "/api/categories/", &token, Payload::Json(json!({"name": sent}))).await;
        assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"name": [message]})), "{sent}");
    }
    // Korean by default, in DRF's Korean words.
    let korean = app.request(Method::POST, "/api/categories/", Some(&token), Some(json!({"name": " "}))).await;
    assert_eq!(body(korean).await, json!({"name": ["이 필드는 blank일 수 없습니다."]}));
    // Choices are exact.
    let mode = json!({"title": "Mode", "content": "Body", "review_mode": "Objective"});
    let (_, refused) = send(&app, Method::POST, "/api/contents/", &token, Payload::Json(mode)).await;
    assert_eq!(refused, json!({"review_mode": ["\"Objective\" is not a valid choice."]}));
}

/// The notes an exam was made of, as stored.
async fn stored_content_ids(app: &TestApp, exam: &Value) -> Vec<i64> {
    sqlx::query_scalar("SELECT content_ids FROM exams WHERE id = $1")
        .bind(exam["id"].as_i64())
        .fetch_one(&app.db)
        .await
        .expect("content_ids")
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn id_lists_and_datetimes_on_exams(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("exam@example.com").await;
    let ids = app.validated_notes(&token, 7).await;
    let bad = json!({"content_ids": "5", "start_date": "yesterday", "title": ["x"]});
    let (status, refused) = send(&app, Method::POST, "/api/exams/", &token, Payload::Json(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused,
        json!({
            "content_ids": ["Expected a list of items but got type \"str\"."],
            "start_date": ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."],
            "title": ["Not a valid string."],
        })
    );
    let mut with_bad_items: Vec<Value> = ids.iter().map(|id| json!(id)).collect();
    with_bad_items.extend([json!("x"), json!(true)]);
    let (_, refused) =
        send(&app, Method::POST, "/api/exams/", &token, Payload::Json(json!({"content_ids": with_bad_items}))).await;
    assert_eq!(
        refused,
        json!({"content_ids": {
            "7": ["Incorrect type. Expected pk value, received str."],
            "8": ["Incorrect type. Expected pk value, received bool."],
        }})
    );
    // Ids as text, as floats and padded; a datetime without an offset is Seoul time.
    let spelled: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| match i % 3 {
            0 => json!(id.to_string()),
            1 => json!(*id as f64),
            _ => json!(format!(" {id} ")),
        })
        .collect();
    let exam = json!({"content_ids": spelled, "start_date": "2026-03-02T18:00:00", "end_date": "2026-03-09T09:00:00Z"});
    let (status, created) = send(&app, Method::POST, "/api/exams/", &token, Payload::Json(exam)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(stored_content_ids(&app, &created).await, ids);
    let read_back = read(&app, &format!("/api/exams/{}/", created["id"]), &token).await;
    assert_eq!(
        (read_back["start_date"].as_str(), read_back["end_date"].as_str()),
        (Some("2026-03-02T09:00:00Z"), Some("2026-03-09T09:00:00Z"))
    );

    // A form sends a list as repeated keys.
    let other = app.signed_in("exam-form@example.com").await;
    let theirs = app.validated_notes(&other, 7).await;
    let form = theirs.iter().map(|id| ("content_ids", id.to_string())).collect();
    let (status, created) = send(&app, Method::POST, "/api/exams/", &other, Payload::Form(form)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(stored_content_ids(&app, &created).await, theirs);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn completion_bodies_keep_the_error_shape_of_the_api(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("complete@example.com").await;
    let note = app.note(&token, "Lifetimes").await;
    let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
    let path = format!("/api/review/schedules/{schedule}/completions/");
    let refused = [
        (json!({"result": "remembered", "time_spent": "abc"}), "time_spent must be a valid integer (seconds)"),
        (json!({"result": "remembered", "time_spent": -1}), "time_spent cannot be negative"),
        (json!({"result": "remembered", "time_spent": "86401"}), "time_spent cannot exceed 24 hours (86400 seconds)"),
        (json!({"result": "Remembered"}), "result must be one of: remembered, partial, forgot"),
        (json!({}), "result is required for objective mode"),
        (json!({"result": "forgot", "notes": "n".repeat(5001)}), "notes cannot exceed 5000 characters"),
    ];
    for (sent, message) in refused {
        let (status, refused) = send(&app, Method::POST, &path, &token, Payload::Json(sent.clone())).await;
        assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"error": message})), "{sent}");
    }
    for (sent, stored) in [(json!("30"), 30), (json!(45.0), 45), (json!(" 12 "), 12)] {
        let (status, done) =
            send(&app, Method::POST, &path, &token, Payload::Json(json!({"result": "partial", "time_spent": sent})))
                .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        let history = read(&app, "/api/review/history/", &token).await;
        assert_eq!(history["results"][0]["time_spent"], stored, "{sent}");
    }
    let form = vec![("result", "remembered".to_owned()), ("notes", "from a form".to_owned())];
    let (status, _) = send(&app, Method::POST, &path, &token, Payload::Form(form)).await;
    assert_eq!(status, StatusCode::OK);
    let latest = &read(&app, "/api/review/history/", &token).await["results"][0];
    assert_eq!((latest["notes"].as_str(), latest["time_spent"].as_i64()), (Some("from a form"), Some(0)));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn nul_characters_are_refused_by_field_and_never_stored(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("nul@example.com").await;
    let nul = "Null characters are not allowed.";
    let register =
        json!({"email": "a\u{0}b@example.com", "password": "Quiet-River-2941", "password_confirm": "Quiet-River-2941"});
    let (status, refused) =
        send(&app, Method::POST, "/api/accounts/users/register/", &token, Payload::Json(register)).await;
    assert_eq!((status, &refused["error"]["details"]["email"]), (StatusCode::BAD_REQUEST, &json!([nul])));
    for (method, path, sent, field) in [
        (Method::POST, "/api/auth/token/", json!({"email": "x\u{0}", "password": "p"}), "email"),
        (Method::POST, "/api/categories/", json!({"name": "a\u{0}"}), "name"),
        (Method::POST, "/api/contents/", json!({"title": "t", "content": "b\u{0}"}), "content"),
        (Method::POST, "/api/accounts/password-reset/", json!({"email": "\u{0}"}), "email"),
        (Method::POST, "/api/accounts/unsubscribe/", json!({"token": "\u{0}"}), "token"),
        (Method::POST, "/api/accounts/resend-verification/", json!({"email": "a\u{0}@example.com"}), "email"),
        (Method::POST, "/api/accounts/verify-email/", json!({"email": "a@example.com", "token": "\u{0}"}), "token"),
    ] {
        let (status, refused) = send(&app, method, path, &token, Payload::Json(sent)).await;
        assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({field: [nul]})), "{path}");
    }
    for query in ["search=a%00b", "category_slug=%00"] {
        let response = app.get_auth(&format!("/api/contents/?{query}"), &token).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body(response).await.as_object().map(|o| o.len()), Some(1), "{query}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM categories").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn forms_sign_in_only_from_this_site(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("form@example.com").await;
    let login = || vec![("email", "form@example.com".to_owned()), ("password", crate::support::PASSWORD.to_owned())];
    let signed_in = app.client.post(app.url("/api/auth/token/")).form(&login()).send().await.expect("send");
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert!(body(signed_in).await["access"].is_string());
    let same_site =
        app.client.post(app.url("/api/auth/token/")).header("origin", "http://resee.test").form(&login()).send().await;
    assert_eq!(same_site.expect("send").status(), StatusCode::OK);
    // Login CSRF: another site's form must not sign the visitor in.
    let foreign =
        app.client.post(app.url("/api/auth/token/")).header("origin", "http://evil.test").form(&login()).send().await;
    let foreign = foreign.expect("send");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert!(crate::support::set_cookie(&foreign).is_none());
    // Unknown media types are 415 in DRF's words.
    let text = app.client.post(app.url("/api/auth/token/")).header("content-type", "text/plain").body("x").send().await;
    let text = text.expect("send");
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body(text).await["detail"].as_str().is_some_and(|d| d.contains("text/plain")));
}

/// What a row of the table below must come to.
enum Expect {
    /// Accepted, and reading `path` back shows `value` at `pointer`.
    Stored { path: String, pointer: &'static str, value: Value },
    /// Accepted (the effect is checked by a later row).
    Accepted,
    /// Refused with exactly this 400 body.
    Refused(Value),
}

fn stored(path: &str, pointer: &'static str, value: Value) -> Expect {
    Expect::Stored { path: path.to_owned(), pointer, value }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_other_body_reads_its_fields_like_drf(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("table@example.com").await;
    let staff = app.signed_in("staff@example.com").await;
    app.make_staff("staff@example.com").await;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'table@example.com'")
        .fetch_one(&app.db)
        .await
        .expect("id");
    let note = app.note(&token, "Table").await;
    let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
    app.validated_notes(&token, 7).await;
    let exam = app.request(Method::POST, "/api/exams/", Some(&token), Some(json!({}))).await;
    let exam_id = body(exam).await["id"].as_i64().expect("exam");
    let questions = app.prepare_exam(exam_id).await;
    let category = app.create_category(&token, "Table").await["id"].as_i64().expect("category");
    let (user, sched, ex, cat) = (
        format!("/api/accounts/users/{user_id}/"),
        format!("/api/review/schedules/{schedule}/"),
        format!("/api/exams/{exam_id}/"),
        format!("/api/categories/{category}/"),
    );
    let not_a_string = json!(["Not a valid string."]);
    let required = json!(["This field is required."]);
    let rows = [
        // Staff edits: booleans and integers as text.
        (
            &staff,
            Method::PATCH,
            user.as_str(),
            json!({"is_email_verified": "false", "weekly_goal": "5"}),
            stored(&user, "/weekly_goal", json!(5)),
        ),
        (
            &staff,
            Method::PATCH,
            &user,
            json!({"is_active": "maybe"}),
            Expect::Refused(json!({"is_active": ["Must be a valid boolean."]})),
        ),
        (&staff, Method::PATCH, &user, json!({"username": ["x"]}), Expect::Refused(json!({"username": not_a_string}))),
        // Pausing a card: DRF's boolean spellings.
        (&token, Method::PATCH, &sched, json!({"is_active": "0"}), stored(&sched, "/is_active", json!(false))),
        (&token, Method::PATCH, &sched, json!({"is_active": "On"}), stored(&sched, "/is_active", json!(true))),
        (
            &token,
            Method::PATCH,
            &sched,
            json!({"is_active": "nope"}),
            Expect::Refused(json!({"is_active": ["Must be a valid boolean."]})),
        ),
        // Categories and exams: numbers become text.
        (&token, Method::PUT, &cat, json!({"name": 42, "description": 7}), stored(&cat, "/description", json!("7"))),
        (&token, Method::PATCH, &cat, json!({"description": ""}), stored(&cat, "/name", json!("42"))),
        (&token, Method::PUT, &cat, json!({"description": "x"}), Expect::Refused(json!({"name": required}))),
        (&token, Method::PATCH, &ex, json!({"title": 2024}), stored(&ex, "/title", json!("2024"))),
        (&token, Method::PATCH, &ex, json!({"title": {"a": 1}}), Expect::Refused(json!({"title": not_a_string}))),
        // Plans: choices are exact.
        (
            &token,
            Method::PATCH,
            "/api/accounts/subscriptions/me/",
            json!({"tier": "PRO"}),
            Expect::Refused(json!({"tier": ["\"PRO\" is not a valid choice."]})),
        ),
        (
            &token,
            Method::PATCH,
            "/api/accounts/subscriptions/me/",
            json!({"tier": "pro", "billing_cycle": "yearly"}),
            stored("/api/accounts/subscription/", "/tier", json!("pro")),
        ),
        // Exams: ids as text or floats.
        (
            &token,
            Method::POST,
            "/api/exams/test-sessions/",
            json!({"test_id": "abc"}),
            Expect::Refused(json!({"test_id": ["Incorrect type. Expected pk value, received str."]})),
        ),
        (
            &token,
            Method::POST,
            "/api/exams/test-sessions/",
            json!({"test_id": exam_id.to_string()}),
            stored(&ex, "/status", json!("in_progress")),
        ),
        (
            &token,
            Method::POST,
            "/api/exams/submit-answer/",
            json!({"question_id": format!(" {} ", questions[0]), "user_answer": " o "}),
            Expect::Accepted,
        ),
        (
            &token,
            Method::POST,
            "/api/exams/submit-answer/",
            json!({"question_id": null, "user_answer": ""}),
            Expect::Refused(
                json!({"question_id": ["This field may not be null."], "user_answer": ["This field may not be blank."]}),
            ),
        ),
        (
            &token,
            Method::POST,
            "/api/exams/complete/",
            json!({"test_id": exam_id as f64}),
            stored(&ex, "/status", json!("completed")),
        ),
        // Accounts: every missing field at once; text fields refuse lists and booleans.
        (
            &token,
            Method::POST,
            "/api/accounts/password-reset/confirm/",
            json!({}),
            Expect::Refused(
                json!({"email": required, "token": required, "new_password": required, "new_password_confirm": required}),
            ),
        ),
        (
            &token,
            Method::POST,
            "/api/accounts/verify-email/",
            json!({"email": ["a"]}),
            Expect::Refused(json!({"email": not_a_string, "token": required})),
        ),
        (
            &token,
            Method::POST,
            "/api/accounts/resend-verification/",
            json!({"email": false}),
            Expect::Refused(json!({"email": not_a_string})),
        ),
        (
            &token,
            Method::POST,
            "/api/accounts/password-reset/",
            json!({"email": ["a"]}),
            Expect::Refused(json!({"email": not_a_string})),
        ),
        (
            &token,
            Method::POST,
            "/api/auth/token/verify/",
            json!({"token": [1]}),
            Expect::Refused(json!({"token": not_a_string})),
        ),
        (
            &token,
            Method::POST,
            "/api/accounts/google-oauth/",
            json!({"token": []}),
            Expect::Refused(json!({"token": not_a_string})),
        ),
        (
            &token,
            Method::PUT,
            "/api/accounts/users/me/password/",
            json!({"current_password": 1}),
            Expect::Refused(json!({"new_password": required, "new_password_confirm": required})),
        ),
    ];
    for (who, method, path, sent, expect) in rows {
        let response = app.send(method.clone(), path, Some(who), Payload::Json(sent.clone())).await;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        match expect {
            Expect::Stored { path: read_path, pointer, value } => {
                assert!(status.is_success(), "{method} {path} {sent}: {status} {answer}");
                let stored = read(&app, &read_path, who).await;
                assert_eq!(stored.pointer(pointer), Some(&value), "{method} {path} {sent}: {stored}");
            }
            Expect::Accepted => assert!(status.is_success(), "{method} {path} {sent}: {status} {answer}"),
            Expect::Refused(refused) => {
                assert_eq!((status, answer), (StatusCode::BAD_REQUEST, refused), "{method} {path} {sent}");
            }
        }
    }
}
