//! The AI features through real api and worker processes: offline, and against a local server
//! speaking the Anthropic and OpenAI wire formats (with scripted faults).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::ai_standin::{AiStandIn, Fault};
use crate::support::{ApiUser, World, eventually, sum_metric};

const WAIT: Duration = Duration::from_secs(30);

/// A body of more than 200 characters that names its title in two sentences.
pub fn note_body(title: &str) -> String {
    format!(
        "{title} is the subject of this note. {title} describes how a system behaves under load. \
         It is measured in experiments and explained with models. Learners review {title} to remember \
         its main idea and its examples. The note ends with a summary of {title}."
    )
}

/// Creates a note and returns its content id.
pub async fn create_note(user: &ApiUser, title: &str, mode: &str) -> i64 {
    let (status, body) =
        user.post("/api/contents/", json!({"title": title, "content": note_body(title), "review_mode": mode})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("content id")
}

/// The schedule id of a content.
async fn schedule_of(db: &PgPool, content_id: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM review_schedules WHERE content_id = $1")
        .bind(content_id)
        .fetch_one(db)
        .await
        .expect("schedule")
}

async fn complete(user: &ApiUser, schedule: i64, body: Value) -> (StatusCode, Value) {
    user.post(&format!("/api/review/schedules/{schedule}/completions/"), body).await
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_feature_works_offline_without_a_key(db: PgPool) {
    let world = World::new(db).await;
    let (_api, base) = world.api(&[("ENFORCE_EMAIL_VERIFICATION", "false".into())]).await;
    let user = ApiUser::sign_up(&base, "offline@example.com").await;

    // Before any worker runs, a multiple-choice card has no options yet: 409 with a retry hint.
    let quiz = create_note(&user, "Load balancing", "multiple_choice").await;
    for title in ["Caching", "Sharding data", "Replication"] {
        create_note(&user, title, "objective").await;
    }
    let quiz_schedule = schedule_of(&world.db, quiz).await;
    let (status, body) = complete(&user, quiz_schedule, json!({"selected_choice": "Load balancing"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].is_string());
    // Today's list is cached now, choices still missing; their arrival must not wait for the TTL.
    let (_, today) = user.get("/api/review/schedules/today/").await;
    let quiz_card =
        |today: &Value| today["results"].as_array().and_then(|r| r.iter().find(|c| c["id"] == quiz_schedule).cloned());
    assert!(quiz_card(&today).is_some_and(|card| card["content"]["mc_choices"].is_null()), "{today}");

    let _worker = world.worker("worker", &[]);
    let (status, v) =
        user.post("/api/contents/validate/", json!({"title": "Caching", "content": note_body("Caching")})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["provider"], "offline");
    assert_eq!(v["is_valid"], true);
    for key in ["factual_accuracy", "logical_consistency", "title_relevance"] {
        assert!(v[key]["score"].is_number() && v[key]["issues"].is_array(), "{key}: {v}");
    }
    assert!(v["overall_feedback"].is_string());
    let (status, short) =
        user.post("/api/contents/validate/", json!({"title": "Caching", "content": "Too short."})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(short["error"].is_string(), "{short}");

    // Options arrive from the worker: four distinct, the title among them.
    let options = eventually(WAIT, "multiple-choice options", || {
        let user = &user;
        async move {
            let (_, content) = user.get(&format!("/api/contents/{quiz}/")).await;
            content["mc_choices"]["choices"].as_array().cloned()
        }
    })
    .await;
    let mut distinct: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{options:?}");
    assert!(distinct.contains(&"Load balancing"));
    // Well inside the cache's 60 s TTL: only the invalidation on save can make this pass.
    let listed = eventually(Duration::from_secs(5), "the options in today's list", || {
        let user = &user;
        async move {
            let (_, today) = user.get("/api/review/schedules/today/").await;
            quiz_card(&today).and_then(|card| card["content"]["mc_choices"]["choices"].as_array().cloned())
        }
    })
    .await;
    assert_eq!(listed, options);
    let (status, done) = complete(&user, quiz_schedule, json!({"selected_choice": "Load balancing"})).await;
    assert_eq!((status, done["final_result"].as_str()), (StatusCode::OK, Some("remembered")), "{done}");

    // Written answers are graded by the offline provider; under 10 characters scores 0 unasked.
    let essay = create_note(&user, "Consistent hashing", "descriptive").await;
    let essay_schedule = schedule_of(&world.db, essay).await;
    let answer = "Consistent hashing describes how a system behaves under load; it is measured in experiments \
                  and explained with models, and the summary gives its main idea and examples.";
    let (status, graded) = complete(&user, essay_schedule, json!({"descriptive_answer": answer})).await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(graded["ai_evaluation"]["provider"], "offline");
    assert!(graded["ai_evaluation"]["score"].as_f64().is_some_and(|s| s >= 80.0), "{graded}");
    assert_eq!(graded["final_result"], "remembered");
    let (status, short) = complete(&user, essay_schedule, json!({"descriptive_answer": "no idea"})).await;
    assert_eq!((status, short["ai_evaluation"]["score"].as_f64()), (StatusCode::OK, Some(0.0)));
    assert_eq!(short["final_result"], "forgot");

    // validate_and_save stores the result; a validated content answers at once.
    let (status, saved) = user.post(&format!("/api/contents/{essay}/validate_and_save/"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["is_valid"].as_bool(), saved["result"]["provider"].as_str()), (Some(true), Some("offline")));
    let (_, content) = user.get(&format!("/api/contents/{essay}/")).await;
    assert_eq!(content["is_ai_validated"], true);
    assert_eq!(content["ai_validation_score"], saved["ai_validation_score"]);
    let (status, again) = user.post(&format!("/api/contents/{essay}/validate_and_save/"), json!({})).await;
    assert_eq!((status, again["is_valid"].as_bool()), (StatusCode::OK, Some(true)));
    assert_eq!(again["validated_at"], saved["validated_at"]);
    let (status, _) = user.post("/api/contents/999999/validate_and_save/", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn anthropic_wire_format_retries_and_every_fallback(db: PgPool) {
    let world = World::new(db).await;
    let ai = AiStandIn::start().await;
    let (_api, base) =
        world.api(&[("ENFORCE_EMAIL_VERIFICATION", "false".into()), ("AI_REPLY_DEADLINE", "4s".into())]).await;
    let mut env = ai.env("anthropic");
    env.push(("AI_TIMEOUT", "1s".into()));
    let mut worker = world.worker("worker", &env);
    let user = ApiUser::sign_up(&base, "anthropic@example.com").await;
    let validate =
        || user.post("/api/contents/validate/", json!({"title": "Caching", "content": note_body("Caching")}));

    // Fenced JSON is read; the request has Anthropic's shape.
    ai.script(&[Fault::Fenced]);
    let (status, v) = validate().await;
    assert_eq!((status, v["provider"].as_str()), (StatusCode::OK, Some("anthropic")), "{v}");
    assert_eq!(v["factual_accuracy"]["score"].as_f64(), Some(90.0));
    let first = ai.requests().pop().expect("a request");
    assert_eq!(first.path, "/v1/messages");
    assert_eq!(first.headers["x-api-key"], "sk-ant-test");
    assert_eq!(first.headers["anthropic-version"], "2023-06-01");
    assert!(first.headers["content-type"].to_str().is_ok_and(|c| c.starts_with("application/json")));
    assert_eq!(first.body["model"], "claude-test");
    assert!(first.body["max_tokens"].as_u64().is_some_and(|n| n > 0));
    assert!(first.body["system"].as_str().is_some_and(|s| s.contains("JSON")));
    let messages = first.body["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["role"], "user");
    assert!(messages[0]["content"].as_str().is_some_and(|c| c.contains("<title>Caching</title>")));

    // One malformed reply is asked again; two fall back to the offline checks, as do 500s and
    // a reply slower than AI_TIMEOUT.
    let count = || ai.requests().len();
    let before = count();
    ai.script(&[Fault::Malformed]);
    assert_eq!(validate().await.1["provider"], "anthropic");
    assert_eq!(count() - before, 2);
    for faults in [
        vec![Fault::Malformed, Fault::Malformed],
        vec![Fault::Status(500), Fault::Status(503)],
        vec![Fault::Slow(Duration::from_secs(3))],
    ] {
        ai.script(&faults);
        let (status, v) = validate().await;
        assert_eq!((status, v["provider"].as_str()), (StatusCode::OK, Some("offline")), "{faults:?}: {v}");
        assert_eq!(v["is_valid"], true);
    }

    // Grading: the provider's score decides the result.
    let essay = create_note(&user, "Consistent hashing", "descriptive").await;
    let schedule = schedule_of(&world.db, essay).await;
    let answer = json!({"descriptive_answer": "Keys map onto a ring so that few move when nodes change."});
    let (status, graded) = complete(&user, schedule, answer.clone()).await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(graded["ai_evaluation"]["provider"], "anthropic");
    assert_eq!(
        (graded["ai_evaluation"]["score"].as_f64(), graded["final_result"].as_str()),
        (Some(85.0), Some("remembered"))
    );
    ai.set_grade(60.0);
    assert_eq!(complete(&user, schedule, answer.clone()).await.1["final_result"], "partial");
    let grading = ai.requests().pop().expect("grading request");
    let prompt = grading.body["messages"][0]["content"].as_str().unwrap_or_default().to_owned();
    assert!(prompt.contains("core understanding 40") && prompt.contains("Keys map onto a ring"), "{prompt}");

    // The provider fails: the learner's own result counts; without one, 400 (never 500).
    ai.script(&[Fault::Status(429), Fault::Status(429)]);
    let mut with_result = answer.clone();
    with_result["result"] = json!("partial");
    let (status, fallback) = complete(&user, schedule, with_result.clone()).await;
    assert_eq!((status, fallback["final_result"].as_str()), (StatusCode::OK, Some("partial")), "{fallback}");
    assert!(fallback["ai_evaluation"]["score"].is_null());
    ai.script(&[Fault::Status(500), Fault::Status(500)]);
    let (status, refused) = complete(&user, schedule, answer.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused["error"].is_string());

    // Tokens, latency and outcomes are counted; no note body or answer reaches the log.
    let metrics = worker.metrics_text().await;
    assert!(sum_metric(&metrics, "resee_ai_tokens_total", &["provider=\"anthropic\""]) > 0.0, "{metrics}");
    assert!(sum_metric(&metrics, "resee_ai_requests_total", &["outcome=\"timeout\""]) >= 1.0);
    assert!(sum_metric(&metrics, "resee_ai_malformed_replies_total", &["feature=\"validate\""]) >= 3.0);
    assert!(sum_metric(&metrics, "resee_ai_request_duration_seconds_count", &["feature=\"grade\""]) >= 2.0);
    let log = worker.log();
    assert!(!log.contains("is the subject of this note") && !log.contains("Keys map onto a ring"));
    assert!(!log.contains("sk-ant-test"));

    // No worker: past AI_REPLY_DEADLINE validation answers offline and grading takes the result.
    worker.terminate();
    worker.wait_exit(WAIT).await;
    let (status, v) = validate().await;
    assert_eq!((status, v["provider"].as_str()), (StatusCode::OK, Some("offline")), "{v}");
    let (status, fallback) = complete(&user, schedule, with_result).await;
    assert_eq!((status, fallback["final_result"].as_str()), (StatusCode::OK, Some("partial")), "{fallback}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn openai_compatible_endpoint_makes_choices_and_grades(db: PgPool) {
    let world = World::new(db).await;
    let ai = AiStandIn::start().await;
    let (_api, base) = world.api(&[("ENFORCE_EMAIL_VERIFICATION", "false".into())]).await;
    let _worker = world.worker("worker", &ai.env("openai"));
    let user = ApiUser::sign_up(&base, "openai@example.com").await;

    let quiz = create_note(&user, "Load balancing", "multiple_choice").await;
    let choices = eventually(WAIT, "options from the provider", || {
        let user = &user;
        async move { user.get(&format!("/api/contents/{quiz}/")).await.1["mc_choices"].as_object().cloned() }
    })
    .await;
    assert_eq!(choices["provider"], "openai");
    let mut options: Vec<&str> =
        choices["choices"].as_array().expect("choices").iter().filter_map(Value::as_str).collect();
    options.sort_unstable();
    assert_eq!(options, ["Decoy one", "Decoy three", "Decoy two", "Load balancing"]);

    let request = ai.requests().pop().expect("a request");
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(request.headers["authorization"], "Bearer sk-openai-test");
    assert_eq!(request.body["model"], "gpt-test");
    let messages = request.body["messages"].as_array().expect("messages");
    assert_eq!((messages[0]["role"].as_str(), messages[1]["role"].as_str()), (Some("system"), Some("user")));
    assert!(messages[1]["content"].as_str().is_some_and(|c| c.contains("<title>Load balancing</title>")));

    // Two unusable replies: the options come from the offline provider instead.
    create_note(&user, "Caching", "objective").await;
    // One at a time, so each job meets its own scripted replies.
    for (faults, title, provider) in [
        ([Fault::Malformed, Fault::Fenced], "Sharding data", "openai"),
        ([Fault::Status(500), Fault::Malformed], "Replication", "offline"),
    ] {
        ai.script(&faults);
        let id = create_note(&user, title, "multiple_choice").await;
        let choices = eventually(WAIT, "options", || {
            let user = &user;
            async move { user.get(&format!("/api/contents/{id}/")).await.1["mc_choices"].as_object().cloned() }
        })
        .await;
        assert_eq!(choices["provider"], provider, "{choices:?}");
        assert_eq!(choices["choices"].as_array().map(Vec::len), Some(4));
    }

    let essay = create_note(&user, "Consistent hashing", "descriptive").await;
    let schedule = schedule_of(&world.db, essay).await;
    ai.script(&[Fault::Malformed]);
    let (status, graded) = user
        .call(
            Method::POST,
            &format!("/api/review/schedules/{schedule}/completions/"),
            Some(json!({"descriptive_answer": "Keys map onto a ring so that few move when nodes change."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(
        (graded["ai_evaluation"]["provider"].as_str(), graded["final_result"].as_str()),
        (Some("openai"), Some("remembered"))
    );
}
