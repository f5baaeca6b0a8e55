//! The shapes a client written for the original (Django) Resee API reads, each pinned as the
//! original answers it: docs/API.md → "Compatibility with the original API" lists where this API
//! differs on purpose.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{JWT_SECRET, PASSWORD, TestApp, body, refresh_cookie};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_field_error_comes_at_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let refused = app.post("/api/accounts/users/register/", json!({})).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let details = body(refused).await["error"]["details"].clone();
    let fields: Vec<&String> = details.as_object().expect("details").keys().collect();
    assert_eq!(fields, ["email", "password", "password_confirm"]);
    // A body that is not an object, in the endpoint's own shape too.
    let list = body(app.post("/api/accounts/users/register/", json!(["a"])).await).await;
    assert_eq!(list["error"]["code"], "VALIDATION_ERROR", "{list}");

    let token = app.signed_in("exams@example.com").await;
    let (status, refused) = app
        .call(Method::POST, "/api/exams/", Some(&token), Some(json!({"title": {"x": 1}, "content_ids": "1,2"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused["title"].is_array() && refused["content_ids"].is_array(), "{refused}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn bad_tokens_get_simplejwts_401_body(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("jwt@example.com").await;
    let (_, refresh) = app.login("jwt@example.com", PASSWORD).await;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.db).await.expect("id");
    let now = chrono::Utc::now().timestamp();
    let claims =
        json!({"token_type": "access", "exp": now - 60, "iat": now - 3660, "jti": "x", "user_id": user_id, "ver": 0});
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("token");
    for (token, reason) in [
        ("not-a-token", "Token is invalid"),
        (expired.as_str(), "Token is expired"),
        (refresh.as_str(), "Token has wrong type"),
    ] {
        let request =
            app.client.get(app.url("/api/accounts/users/me/")).bearer_auth(token).header("accept-language", "en");
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{reason}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"api\"");
        assert_eq!(
            body(response).await,
            json!({
                "detail": "Given token not valid for any token type",
                "code": "token_not_valid",
                "messages": [{"token_class": "AccessToken", "token_type": "access", "message": reason}],
            })
        );
    }
    let korean = body(app.get_auth("/api/accounts/users/me/", "not-a-token").await).await;
    assert_eq!(korean["detail"], "이 토큰은 모든 타입의 토큰에 대해 유효하지 않습니다");
    let anonymous = body(app.get("/api/accounts/users/me/").await).await;
    assert_eq!(anonymous, json!({"detail": "자격 인증데이터(authentication credentials)가 제공되지 않았습니다."}));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn ids_and_query_values_that_are_not_numbers_answer_in_json(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("paths@example.com").await;
    app.note(&token, "One").await;
    for path in ["/api/categories/abc/", "/api/contents/1e3/", "/api/exams/-/", "/api/review/history/1.0/"] {
        let (status, answer) = app.call(Method::GET, path, Some(&token), None).await;
        assert_eq!((status, answer), (StatusCode::NOT_FOUND, json!({"detail": "찾을 수 없습니다."})), "{path}");
    }
    let (status, answer) =
        app.call(Method::POST, "/api/review/schedules/abc/completions/", Some(&token), Some(json!({}))).await;
    assert_eq!((status, answer), (StatusCode::NOT_FOUND, json!({"detail": "찾을 수 없습니다."})));
    for page in ["abc", "0", "2", "1.5"] {
        let (status, answer) = app.call(Method::GET, &format!("/api/contents/?page={page}"), Some(&token), None).await;
        assert_eq!(
            (status, answer),
            (StatusCode::NOT_FOUND, json!({"detail": "페이지가 유효하지 않습니다."})),
            "{page}"
        );
    }
    let (status, answer) = app.call(Method::GET, "/api/review/history/?page=x", Some(&token), None).await;
    assert_eq!((status, answer["detail"].as_str()), (StatusCode::NOT_FOUND, Some("페이지가 유효하지 않습니다.")));
    let (status, first) = app.call(Method::GET, "/api/contents/?page=&page_size=many", Some(&token), None).await;
    assert_eq!((status, first["count"].as_i64(), first["page_size"].as_i64()), (StatusCode::OK, Some(1), Some(15)));
    for (path, field) in [("/api/contents/?category=abc", "category"), ("/api/review/activity/?days=many", "days")] {
        let (status, answer) = app.call(Method::GET, path, Some(&token), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(answer[field].is_array(), "{path}: {answer}");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn methods_the_original_allowed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("methods@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let note = app.note(&token, "Kept").await;
    let content_id = note["id"].as_i64().expect("id");
    let schedule = app.schedule_of(content_id).await;
    for _ in 0..2 {
        assert_eq!(app.complete(&token, schedule, json!({"result": "remembered"})).await.status(), StatusCode::OK);
    }
    let before = app.call(Method::GET, &format!("/api/review/schedules/{schedule}/"), Some(&token), None).await.1;
    let history = app.call(Method::GET, "/api/review/history/", Some(&token), None).await.1;
    let review = history["results"][0]["id"].as_i64().expect("review id");
    let path = format!("/api/review/history/{review}/");
    assert_eq!(app.call(Method::DELETE, &path, Some(&other), None).await.0, StatusCode::NOT_FOUND, "not theirs");
    assert_eq!(app.call(Method::DELETE, &path, Some(&token), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.call(Method::GET, "/api/review/history/", Some(&token), None).await.1["count"], 1);
    let after = app.call(Method::GET, &format!("/api/review/schedules/{schedule}/"), Some(&token), None).await.1;
    assert_eq!(after, before, "deleting a review leaves the schedule");

    // Deleting a schedule stops the note's reviews; the note and its history stay.
    let path = format!("/api/review/schedules/{schedule}/");
    assert_eq!(app.call(Method::DELETE, &path, Some(&other), None).await.0, StatusCode::NOT_FOUND, "not theirs");
    assert_eq!(app.call(Method::DELETE, &path, Some(&token), None).await.0, StatusCode::NO_CONTENT);
    let (status, kept) = app.call(Method::GET, &format!("/api/contents/{content_id}/"), Some(&token), None).await;
    assert_eq!((status, kept["next_review_date"].clone()), (StatusCode::OK, Value::Null));
    assert_eq!(app.call(Method::GET, "/api/review/history/", Some(&token), None).await.1["count"], 1);
    assert_eq!(app.call(Method::GET, "/api/review/schedules/today/", Some(&token), None).await.1["count"], 0);
    for method in [Method::POST, Method::PUT] {
        let detail = format!("메소드(Method) \"{method}\"는 허용되지 않습니다.");
        let (status, refused) = app.call(method, "/api/review/schedules/", Some(&token), Some(json!({}))).await;
        assert_eq!((status, refused), (StatusCode::METHOD_NOT_ALLOWED, json!({ "detail": detail })));
    }

    app.validated_notes(&token, 7).await;
    let exam = app.call(Method::POST, "/api/exams/", Some(&token), Some(json!({}))).await.1;
    let path = format!("/api/exams/{}/", exam["id"]);
    let (status, renamed) = app
        .call(Method::PATCH, &path, Some(&token), Some(json!({"title": "Week 10", "description": "Ownership"})))
        .await;
    assert_eq!(
        (status, renamed["title"].as_str(), renamed["description"].as_str()),
        (StatusCode::OK, Some("Week 10"), Some("Ownership"))
    );
    assert_eq!(
        app.call(Method::PATCH, &path, Some(&other), Some(json!({"title": "x"}))).await.0,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn values_and_metadata_as_the_original_gave_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("values@example.com").await;
    let note = app.note(&token, "Values").await;
    let list = app.call(Method::GET, "/api/contents/", Some(&token), None).await.1;
    assert_eq!(list["content_meta"]["priority_distribution"], json!({"high": 0, "medium": 0, "low": 0}));
    let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
    app.complete(&token, schedule, json!({"result": "remembered"})).await;
    let history = app.call(Method::GET, "/api/review/history/", Some(&token), None).await.1;
    assert_eq!(history["results"][0]["time_spent"], 0, "a review that did not say took 0 s");

    for language in ["ko", "en"] {
        let response = app
            .client
            .get(app.url("/api/accounts/subscription/"))
            .bearer_auth(&token)
            .header("accept-language", language)
            .send()
            .await;
        let subscription = body(response.expect("send")).await;
        assert_eq!(
            (&subscription["tier_display"], &subscription["payment_method"], &subscription["auto_renewal"]),
            (&json!("Basic (90일)"), &json!(""), &json!(true)),
            "{language}"
        );
    }

    app.validated_notes(&token, 7).await;
    let exam = app.call(Method::POST, "/api/exams/", Some(&token), Some(json!({}))).await.1;
    assert_eq!(exam["score_percentage"], Value::Null, "not taken yet");
    let exam_id = exam["id"].as_i64().expect("id");
    let questions = app.prepare_exam(exam_id).await;
    app.call(Method::POST, "/api/exams/test-sessions/", Some(&token), Some(json!({"test_id": exam_id}))).await;
    let answer = json!({"question_id": questions[0], "user_answer": "O"});
    app.call(Method::POST, "/api/exams/submit-answer/", Some(&token), Some(answer)).await;
    let listed = app.call(Method::GET, "/api/exams/", Some(&token), None).await.1;
    assert_eq!(listed["results"][0]["score_percentage"], Value::Null, "in progress");
    let done = app.call(Method::PATCH, &format!("/api/exams/test-sessions/{exam_id}/"), Some(&token), None).await.1;
    assert_eq!(done["score_percentage"], 50.0);
    let listed = app.call(Method::GET, "/api/exams/", Some(&token), None).await.1;
    assert_eq!(listed["results"][0]["score_percentage"], 50.0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn error_shapes_per_endpoint(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("shapes@example.com").await;
    let other = app.signed_in("shapes-other@example.com").await;
    let theirs = app.schedule_of(app.note(&other, "Theirs").await["id"].as_i64().expect("id")).await;
    for schedule in [theirs, 987_654] {
        let (status, answer) = app
            .call(
                Method::POST,
                &format!("/api/review/schedules/{schedule}/completions/"),
                Some(&token),
                Some(json!({"result": "forgot"})),
            )
            .await;
        assert_eq!((status, answer), (StatusCode::NOT_FOUND, json!({"detail": "찾을 수 없습니다."})));
    }
    let paused = app.schedule_of(app.note(&token, "Paused").await["id"].as_i64().expect("id")).await;
    app.call(
        Method::PATCH,
        &format!("/api/review/schedules/{paused}/"),
        Some(&token),
        Some(json!({"is_active": false})),
    )
    .await;
    let (status, answer) = app
        .call(
            Method::POST,
            &format!("/api/review/schedules/{paused}/completions/"),
            Some(&token),
            Some(json!({"result": "forgot"})),
        )
        .await;
    assert_eq!((status, answer["error"].is_string()), (StatusCode::NOT_FOUND, true));

    let (status, answer) =
        app.call(Method::POST, "/api/exams/test-sessions/", Some(&token), Some(json!({"test_id": 987_654}))).await;
    assert_eq!((status, answer), (StatusCode::BAD_REQUEST, json!({"test_id": ["존재하지 않는 시험입니다."]})));
    app.validated_notes(&token, 7).await;
    let exam_id =
        app.call(Method::POST, "/api/exams/", Some(&token), Some(json!({}))).await.1["id"].as_i64().expect("id");
    let questions = app.prepare_exam(exam_id).await;
    let session = format!("/api/exams/test-sessions/{exam_id}");
    let answer = json!({"question_id": questions[0], "user_answer": "O"});
    let (status, refused) =
        app.call(Method::POST, &format!("{session}/answers/"), Some(&token), Some(answer.clone())).await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"error": "진행 중인 시험이 아닙니다."})));
    let (status, refused) = app.call(Method::PATCH, &format!("{session}/"), Some(&token), None).await;
    assert_eq!(
        (status, refused),
        (StatusCode::BAD_REQUEST, json!({"error": "진행 중인 시험이 아닙니다."})),
        "not started"
    );
    app.call(Method::POST, "/api/exams/start/", Some(&token), Some(json!({"test_id": exam_id}))).await;
    let unknown = json!({"question_id": 987_654, "user_answer": "O"});
    let (status, refused) = app.call(Method::POST, "/api/exams/submit-answer/", Some(&token), Some(unknown)).await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"question_id": ["존재하지 않는 문제입니다."]})));
    let (status, refused) = app.call(Method::POST, "/api/exams/submit-answer/", Some(&token), Some(json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused["question_id"].is_array() && refused["user_answer"].is_array(), "{refused}");
    assert_eq!(app.call(Method::PATCH, &format!("{session}/"), Some(&token), None).await.0, StatusCode::OK);
    // Completing again is refused, in each route's shape (it used to answer 200).
    let (status, refused) = app.call(Method::PATCH, &format!("{session}/"), Some(&token), None).await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"error": "진행 중인 시험이 아닙니다."})));
    let (status, refused) =
        app.call(Method::POST, "/api/exams/complete/", Some(&token), Some(json!({"test_id": exam_id}))).await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"test_id": ["진행 중인 시험이 아닙니다."]})));
    let (status, refused) =
        app.call(Method::POST, "/api/exams/start/", Some(&token), Some(json!({"test_id": exam_id}))).await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"test_id": ["이미 완료된 시험입니다."]})));
    let (status, refused) = app.call(Method::GET, "/api/exams/test-sessions/987654/results/", Some(&token), None).await;
    assert_eq!((status, refused), (StatusCode::NOT_FOUND, json!({"error": "존재하지 않는 시험입니다."})));
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn stricter_and_looser_where_the_original_is(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("strict@example.com").await;
    let note = app.note(&token, "Loose").await;
    let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
    let path = format!("/api/review/schedules/{schedule}/");
    let before = app.call(Method::GET, &path, Some(&token), None).await.1;
    let (status, unchanged) = app.call(Method::PATCH, &path, Some(&token), Some(json!({}))).await;
    assert_eq!((status, unchanged), (StatusCode::OK, before));
    // A PATCH may leave a required field out, but not null it.
    let (status, refused) = app
        .call(Method::PATCH, &format!("/api/contents/{}/", note["id"]), Some(&token), Some(json!({"title": null})))
        .await;
    assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"title": ["이 필드는 null일 수 없습니다."]})));

    let long = crate::support::long_body(300);
    for (mode, message) in [
        ("descriptive", "서술형 모드에서는 답변을 작성해야 합니다."),
        ("multiple_choice", "객관식 모드에서는 답변을 선택해야 합니다."),
    ] {
        let note = app.create_content(&token, json!({"title": mode, "content": long, "review_mode": mode})).await;
        let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
        if mode == "multiple_choice" {
            sqlx::query("UPDATE contents SET mc_choices = '{\"choices\": [\"a\", \"b\", \"c\", \"d\"], \"correct_answer\": \"a\"}' WHERE id = $1")
                .bind(note["id"].as_i64())
                .execute(&app.db)
                .await
                .expect("choices");
        }
        let (status, refused) = app
            .call(
                Method::POST,
                &format!("/api/review/schedules/{schedule}/completions/"),
                Some(&token),
                Some(json!({})),
            )
            .await;
        assert_eq!((status, refused), (StatusCode::BAD_REQUEST, json!({"error": message})), "{mode}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM review_history").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 0, "nothing was recorded");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn messages_the_original_web_app_shows(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.verified_user("words@example.com").await;
    let wrong = json!({"email": "words@example.com", "password": "Not-The-One-123"});
    for (language, message) in
        [("ko", "이메일 또는 비밀번호가 올바르지 않습니다."), ("en", "The email or password is incorrect.")]
    {
        let response =
            app.client.post(app.url("/api/auth/token/")).header("accept-language", language).json(&wrong).send().await;
        let response = response.expect("send");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body(response).await, json!({"non_field_errors": [message]}));
    }
    let again = json!({"email": "words@example.com", "password": PASSWORD, "password_confirm": PASSWORD});
    for (language, message) in
        [("ko", "이미 사용 중인 이메일 주소입니다."), ("en", "This email address is already in use.")]
    {
        let response = app
            .client
            .post(app.url("/api/accounts/users/register/"))
            .header("accept-language", language)
            .json(&again)
            .send()
            .await;
        let refused = body(response.expect("send")).await;
        assert_eq!(refused["error"]["details"]["email"], json!([message]), "{language}");
    }
    // A password sent with surrounding spaces is trimmed, as DRF trims it.
    let (access, _) = app.login("words@example.com", &format!("  {PASSWORD} ")).await;
    assert!(!access.is_empty());
    assert!(
        refresh_cookie(
            &app.post("/api/auth/token/", json!({"email": "words@example.com", "password": PASSWORD})).await
        )
        .is_some()
    );
}
