//! Weekly exams end to end: create → preparing → pending → start → answer → complete → results,
//! through real api and worker processes, offline and with an OpenAI-compatible provider.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::ai::create_note;
use crate::ai_standin::{AiStandIn, Fault};
use crate::support::{ApiUser, World, eventually};

const WAIT: Duration = Duration::from_secs(30);

/// `n` notes, each validated through the api; returns their ids.
async fn validated_notes(user: &ApiUser, prefix: &str, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = create_note(user, &format!("{prefix} topic {i}"), "objective").await;
        let (status, saved) = user.post(&format!("/api/contents/{id}/validate_and_save/"), json!({})).await;
        assert_eq!((status, saved["is_valid"].as_bool()), (StatusCode::OK, Some(true)), "{saved}");
        ids.push(id);
    }
    ids
}

/// Waits until the exam leaves `preparing`; returns it.
async fn ready(user: &ApiUser, id: i64) -> Value {
    eventually(WAIT, "the exam's questions", || async move {
        let (_, exam) = user.get(&format!("/api/exams/{id}/")).await;
        (exam["status"] == "pending").then_some(exam)
    })
    .await
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn weekly_exam_offline_from_creation_to_results(db: PgPool) {
    let world = World::new(db).await;
    let (_api, base) = world.api(&[("ENFORCE_EMAIL_VERIFICATION", "false".into())]).await;
    let _worker = world.worker("worker", &[]);
    let learner = ApiUser::sign_up(&base, "learner@example.com").await;
    let other = ApiUser::sign_up(&base, "other@example.com").await;
    let mine = validated_notes(&learner, "Mine", 8).await;
    let unvalidated = create_note(&learner, "Draft idea", "objective").await;
    let theirs = validated_notes(&other, "Theirs", 7).await;

    // Chosen ids must be 7–10 distinct, own and validated.
    let mut foreign = mine[..6].to_vec();
    foreign.push(theirs[0]);
    let mut not_validated = mine[..6].to_vec();
    not_validated.push(unvalidated);
    let mut repeated = mine[..6].to_vec();
    repeated.push(mine[0]);
    for ids in [mine[..6].to_vec(), foreign, not_validated, repeated] {
        let (status, body) = learner.post("/api/exams/", json!({"content_ids": ids})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{ids:?}: {body}");
        assert!(body["content_ids"].is_array(), "{body}");
    }
    // Automatic picking needs 7 validated contents.
    let newcomer = ApiUser::sign_up(&base, "newcomer@example.com").await;
    validated_notes(&newcomer, "New", 3).await;
    let (status, body) = newcomer.post("/api/exams/", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().is_some_and(|e| e.contains('4')), "{body}");

    // Created automatically: preparing, then pending with one question per picked content.
    let (status, created) = learner.post("/api/exams/", json!({"title": "Week 48"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!((created["status"].as_str(), created["title"].as_str()), (Some("preparing"), Some("Week 48")));
    let exam_id = created["id"].as_i64().expect("exam id");
    let (status, body) = learner.post("/api/exams/", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "one exam per week");
    assert!(body["detail"].is_string(), "{body}");
    let exam = ready(&learner, exam_id).await;
    let questions = exam["questions"].as_array().expect("questions").clone();
    assert_eq!((questions.len(), exam["total_questions"].as_u64()), (8, Some(8)));
    for q in &questions {
        assert_eq!(q["question_type"], "true_false");
        assert!(q.get("correct_answer").is_none() && q.get("explanation").is_none(), "answers leak: {q}");
        assert!(mine.contains(&q["content"]["id"].as_i64().expect("content")));
    }

    // Not yet started: no answers, no results.
    let session = format!("/api/exams/test-sessions/{exam_id}");
    let first = questions[0]["id"].as_i64().expect("question id");
    let (status, _) =
        learner.post(&format!("{session}/answers/"), json!({"question_id": first, "user_answer": "O"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = learner.get(&format!("{session}/results/")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (status, started) = learner.post("/api/exams/test-sessions/", json!({"test_id": exam_id})).await;
    assert_eq!((status, started["test"]["status"].as_str()), (StatusCode::OK, Some("in_progress")), "{started}");
    let (status, resumed) = learner.post("/api/exams/start/", json!({"test_id": exam_id})).await;
    assert_eq!(
        (status, resumed["test"]["started_at"].clone()),
        (StatusCode::OK, started["test"]["started_at"].clone())
    );
    let (status, _) = learner.post("/api/exams/test-sessions/", json!({"test_id": 999_999})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A question of another test is refused, in either route.
    let (_, their_exam) = other.post("/api/exams/", json!({})).await;
    let their_exam = ready(&other, their_exam["id"].as_i64().expect("id")).await;
    let their_question = their_exam["questions"][0]["id"].as_i64().expect("question");
    let (status, body) =
        learner.post(&format!("{session}/answers/"), json!({"question_id": their_question, "user_answer": "O"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) =
        learner.post("/api/exams/submit-answer/", json!({"question_id": their_question, "user_answer": "O"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = learner.get(&format!("/api/exams/{}/", their_exam["id"])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Answer all ("o" counts as "O"); answering again replaces the answer.
    let mut said_true = 0;
    for q in &questions {
        let id = q["id"].as_i64().expect("id");
        let (status, saved) =
            learner.post(&format!("{session}/answers/"), json!({"question_id": id, "user_answer": " x "})).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        let (status, saved) =
            learner.post("/api/exams/submit-answer/", json!({"question_id": id, "user_answer": "o"})).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        assert_eq!(saved["points_earned"].as_i64(), Some(if saved["is_correct"] == true { 10 } else { 0 }));
        said_true += usize::from(saved["is_correct"] == true);
    }
    assert!(said_true > 0 && said_true < questions.len(), "true and false statements are mixed: {said_true}");

    let (status, done) = learner.call(Method::PATCH, &format!("{session}/"), None).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["correct_answers"].as_u64(), Some(said_true as u64));
    let expected = (1000.0 * said_true as f64 / questions.len() as f64).round() / 10.0;
    assert_eq!(done["score_percentage"].as_f64(), Some(expected));
    let spent = done["time_spent"].as_str().expect("time_spent");
    assert!(spent.len() == 15 && spent.as_bytes()[2] == b':' && spent.as_bytes()[8] == b'.', "{spent}");
    let (status, _) =
        learner.post(&format!("{session}/answers/"), json!({"question_id": first, "user_answer": "O"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no answers after completion");

    for path in [format!("{session}/results/"), format!("/api/exams/{exam_id}/results/")] {
        let (status, results) = learner.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{results}");
        let answers = results["answers"].as_array().expect("answers");
        assert_eq!(answers.len(), 8);
        for a in answers {
            assert!(["O", "X"].contains(&a["question"]["correct_answer"].as_str().expect("revealed")));
            assert!(a["question"]["explanation"].is_string() && a["question"]["content_title"].is_string());
            assert_eq!(a["user_answer"], "o");
        }
        assert_eq!(results["test"]["status"], "completed");
    }
    let (_, list) = learner.get("/api/exams/").await;
    assert_eq!((list["count"].as_u64(), list["results"][0]["status"].as_str()), (Some(1), Some("completed")));
    let (status, _) = learner.call(Method::DELETE, &format!("/api/exams/{exam_id}/"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn exam_questions_come_from_the_provider(db: PgPool) {
    let world = World::new(db).await;
    let ai = AiStandIn::start().await;
    let (_api, base) = world.api(&[("ENFORCE_EMAIL_VERIFICATION", "false".into())]).await;
    let _worker = world.worker("worker", &ai.env("openai"));
    let learner = ApiUser::sign_up(&base, "chooser@example.com").await;
    let ids = validated_notes(&learner, "Chosen", 7).await;

    // The provider fails on the first question: that one falls back to true/false.
    ai.script(&[Fault::Status(500), Fault::Status(500)]);
    let (status, created) = learner.post("/api/exams/", json!({"content_ids": ids})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let exam_id = created["id"].as_i64().expect("id");
    let exam = ready(&learner, exam_id).await;
    let questions = exam["questions"].as_array().expect("questions").clone();
    assert_eq!(questions.len(), 7);
    let order: Vec<i64> = questions.iter().filter_map(|q| q["content"]["id"].as_i64()).collect();
    assert_eq!(order, ids, "one question per chosen content, in order");
    learner.post("/api/exams/test-sessions/", json!({"test_id": exam_id})).await;
    assert_eq!((questions[0]["question_type"].as_str(), questions[0]["choices"].is_null()), (Some("true_false"), true));
    let (status, saved) =
        learner.post("/api/exams/submit-answer/", json!({"question_id": questions[0]["id"], "user_answer": "O"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let first_right = saved["is_correct"] == true;
    for q in &questions[1..] {
        assert_eq!(q["question_type"], "multiple_choice");
        let choices = q["choices"].as_array().expect("four choices");
        assert_eq!(choices.len(), 4);
        assert!(choices.contains(&json!("The right idea")));
        let (status, saved) = learner
            .post("/api/exams/submit-answer/", json!({"question_id": q["id"], "user_answer": " the RIGHT idea"}))
            .await;
        assert_eq!((status, saved["is_correct"].as_bool()), (StatusCode::CREATED, Some(true)), "{saved}");
    }
    let (status, done) = learner.post("/api/exams/complete/", json!({"test_id": exam_id})).await;
    let expected = if first_right { 100.0 } else { (1000.0 * 6.0 / 7.0_f64).round() / 10.0 };
    assert_eq!((status, done["score_percentage"].as_f64()), (StatusCode::OK, Some(expected)), "{done}");
    let prompts = ai.requests().iter().filter(|r| r.body.to_string().contains("multiple-choice exam question")).count();
    assert_eq!(prompts, 8, "seven questions, the first asked twice");

    // An automatic exam asks the provider to rate the candidates, then balances them.
    let picker = ApiUser::sign_up(&base, "picker@example.com").await;
    let candidates = validated_notes(&picker, "Auto", 9).await;
    let (status, created) = picker.post("/api/exams/", json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let exam = ready(&picker, created["id"].as_i64().expect("id")).await;
    let picked: Vec<i64> =
        exam["questions"].as_array().expect("questions").iter().filter_map(|q| q["content"]["id"].as_i64()).collect();
    assert_eq!(picked.len(), 9, "min(10, max(7, 9)) contents");
    assert!(picked.iter().all(|id| candidates.contains(id)));
    let rating =
        ai.requests().into_iter().find(|r| r.body.to_string().contains("Rate how hard")).expect("a rating request");
    let prompt = rating.body["messages"][1]["content"].as_str().unwrap_or_default().to_owned();
    assert!(candidates.iter().all(|id| prompt.contains(&format!("<note id=\"{id}\">"))), "{prompt}");
}
