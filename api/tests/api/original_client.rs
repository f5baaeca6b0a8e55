//! The original Resee web client's requests, replayed byte for byte as it builds them (React
//! Hook Form values through axios: a category from a `<select>` is `"15"`, none is `""`, unused
//! answer fields are `""`, the notification form echoes every key it was given), from sign-up
//! to an exam's results.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{TestApp, long_body, refresh_cookie};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_original_web_client_works_from_sign_up_to_exam_results(db: PgPool) {
    let app = TestApp::spawn_with(db, |env| env.set("ENFORCE_EMAIL_VERIFICATION", "false")).await;
    let email = "original@example.com";

    // Register, then the client signs in with the same values.
    let register = json!({"email": email, "password": "secret-Pass-2941", "password_confirm": "secret-Pass-2941"});
    let (status, registered) = app.call(Method::POST, "/api/accounts/users/register/", None, Some(register)).await;
    assert_eq!((status, registered["success"].clone()), (StatusCode::CREATED, json!(true)), "{registered}");
    assert_eq!(registered["data"]["requires_email_verification"], false);
    let login = app.post("/api/auth/token/", json!({"email": email, "password": "secret-Pass-2941"})).await;
    assert_eq!(login.status(), StatusCode::OK);
    let refresh = refresh_cookie(&login).expect("refresh cookie");
    let mut token = login.json::<Value>().await.expect("json")["access"].as_str().expect("access").to_owned();
    let page_load = app.post_with_refresh("/api/auth/token/refresh/", &refresh, None).await;
    assert_eq!(page_load.status(), StatusCode::OK);
    let t = token.as_str();

    // Categories: the manager sends the name, the inline form a description too.
    let (status, rust) = app.call(Method::POST, "/api/categories/", Some(t), Some(json!({"name": "Rust"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{rust}");
    let inline = json!({"name": "Korean", "description": "개인 커스텀 카테고리: Korean"});
    let (status, korean) = app.call(Method::POST, "/api/categories/", Some(t), Some(inline)).await;
    assert_eq!(status, StatusCode::CREATED, "{korean}");

    // Notes: a category picked in the <select> (text), none (""), and one made inline (number).
    let picked = rust["id"].as_i64().expect("id").to_string();
    let bodies = [
        json!({"title": "Ownership", "category": picked, "content": "# Ownership\nEach value has one owner.", "review_mode": "objective"}),
        json!({"title": "Borrowing", "category": "", "content": long_body(240), "review_mode": "descriptive"}),
        json!({"title": "Particles", "category": korean["id"], "content": long_body(220), "review_mode": "multiple_choice"}),
    ];
    let mut notes = Vec::new();
    for note in bodies {
        let (status, created) = app.call(Method::POST, "/api/contents/", Some(t), Some(note.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{note}: {created}");
        notes.push(created);
    }
    assert_eq!(notes[0]["category"]["name"], "Rust");
    assert_eq!(notes[1]["category"], Value::Null);
    assert_eq!(notes[2]["category"]["name"], "Korean");
    // Editing is a PUT of the whole form: an untouched category is the number it was loaded as.
    let edit =
        json!({"title": "Ownership 2", "content": "Moved values.", "category": rust["id"], "review_mode": "objective"});
    let (status, edited) =
        app.call(Method::PUT, &format!("/api/contents/{}/", notes[0]["id"]), Some(t), Some(edit)).await;
    assert_eq!(
        (status, edited["title"].as_str(), edited["category"]["id"].clone()),
        (StatusCode::OK, Some("Ownership 2"), rust["id"].clone())
    );
    let moved = json!({"title": "Ownership 2", "content": "Moved values.", "category": korean["id"].to_string(), "review_mode": "objective"});
    let (_, edited) = app.call(Method::PUT, &format!("/api/contents/{}/", notes[0]["id"]), Some(t), Some(moved)).await;
    assert_eq!(edited["category"]["name"], "Korean");

    // Reviews in each mode, with the client's unused fields as "".
    let grader = app.grade_like_the_worker();
    let objective = json!({"result": "remembered", "time_spent": 7, "descriptive_answer": "", "selected_choice": "", "user_title": ""});
    let written = json!({"time_spent": 45, "descriptive_answer": "Borrowing lends a reference without moving the value; the owner keeps it.", "selected_choice": "", "user_title": ""});
    sqlx::query("UPDATE contents SET mc_choices = '{\"choices\": [\"을\", \"를\", \"이\", \"가\"], \"correct_answer\": \"를\"}' WHERE id = $1")
        .bind(notes[2]["id"].as_i64())
        .execute(&app.db)
        .await
        .expect("choices");
    let chosen = json!({"time_spent": 12, "descriptive_answer": "", "selected_choice": "를", "user_title": ""});
    for (note, sent) in notes.iter().zip([objective, written, chosen]) {
        let schedule = app.schedule_of(note["id"].as_i64().expect("id")).await;
        let path = format!("/api/review/schedules/{schedule}/completions/");
        let (status, done) = app.call(Method::POST, &path, Some(t), Some(sent.clone())).await;
        assert_eq!(status, StatusCode::OK, "{sent}: {done}");
        assert!(done["next_review_date"].is_string(), "{done}");
        // The written and the chosen answer are graded (the objective card is not).
        assert_eq!(done["ai_evaluation"]["score"].is_number(), sent.get("result").is_none(), "{done}");
    }
    grader.abort();
    let history = app.call(Method::GET, "/api/review/history/", Some(t), None).await.1;
    assert_eq!(history["count"], 3);
    let spent: Vec<i64> =
        history["results"].as_array().expect("results").iter().filter_map(|h| h["time_spent"].as_i64()).collect();
    assert_eq!(spent, [12, 45, 7]);

    // Settings: the notification form echoes what GET gave it, with its own keys and "HH:00:00".
    let (_, mut prefs) = app.call(Method::GET, "/api/accounts/notification-preferences/", Some(t), None).await;
    prefs["daily_reminder_time"] = json!("21:00:00");
    prefs["daily_reminder_enabled"] = json!(false);
    prefs["evening_reminder_enabled"] = json!(false);
    prefs["evening_reminder_time"] = json!("20:00:00");
    prefs["weekly_summary_day"] = json!(1);
    let (status, saved) = app.call(Method::PUT, "/api/accounts/notification-preferences/", Some(t), Some(prefs)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["daily_reminder_time"].as_str(), saved["daily_reminder_enabled"].as_bool()),
        (Some("21:00:00"), Some(false))
    );
    let (status, goal) =
        app.call(Method::PATCH, "/api/accounts/weekly-goal/", Some(t), Some(json!({"weekly_goal": 10}))).await;
    assert_eq!((status, goal["weekly_goal"].clone()), (StatusCode::OK, json!(10)));
    let profile = json!({"email": email, "username": ""});
    let (status, saved) = app.call(Method::PUT, "/api/accounts/profile/", Some(t), Some(profile)).await;
    assert_eq!((status, saved["username"].clone()), (StatusCode::OK, Value::Null));

    // An exam of seven chosen notes (numbers): start, answer, complete (PATCH, no body), results.
    let ids = app.validated_notes(t, 7).await;
    let (status, exam) = app.call(Method::POST, "/api/exams/", Some(t), Some(json!({"content_ids": ids}))).await;
    assert_eq!((status, exam["status"].as_str()), (StatusCode::CREATED, Some("preparing")), "{exam}");
    let exam_id = exam["id"].as_i64().expect("id");
    let questions = app.prepare_exam(exam_id).await;
    for _ in 0..2 {
        let (status, started) =
            app.call(Method::POST, "/api/exams/test-sessions/", Some(t), Some(json!({"test_id": exam_id}))).await;
        assert_eq!(
            (status, started["test"]["status"].as_str()),
            (StatusCode::OK, Some("in_progress")),
            "start is resumed on reload"
        );
    }
    for (question, answer) in questions.iter().zip(["O", "X"]) {
        let path = format!("/api/exams/test-sessions/{exam_id}/answers/");
        let (status, saved) =
            app.call(Method::POST, &path, Some(t), Some(json!({"question_id": question, "user_answer": answer}))).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
    }
    let (status, done) = app.call(Method::PATCH, &format!("/api/exams/test-sessions/{exam_id}/"), Some(t), None).await;
    assert_eq!((status, done["score_percentage"].clone()), (StatusCode::OK, json!(50.0)), "{done}");
    let (status, results) =
        app.call(Method::GET, &format!("/api/exams/test-sessions/{exam_id}/results/"), Some(t), None).await;
    assert_eq!((status, results["answers"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));

    // Change the password, sign in again, delete the account (DELETE with a JSON body).
    let change = json!({"current_password": "secret-Pass-2941", "new_password": "Other-Lake-5832", "new_password_confirm": "Other-Lake-5832"});
    let (status, changed) = app.call(Method::PUT, "/api/accounts/users/me/password/", Some(t), Some(change)).await;
    assert_eq!((status, changed["action_required"].as_str()), (StatusCode::OK, Some("relogin")));
    token = app.login(email, "Other-Lake-5832").await.0;
    let (status, _) = app.call(Method::POST, "/api/auth/logout/", Some(&token), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    token = app.login(email, "Other-Lake-5832").await.0;
    let delete = json!({"password": "Other-Lake-5832", "confirmation": "DELETE"});
    let (status, _) = app.call(Method::DELETE, "/api/accounts/users/me/", Some(&token), Some(delete)).await;
    assert_eq!(status, StatusCode::OK);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.db).await.expect("count");
    assert_eq!(users, 0);
}
