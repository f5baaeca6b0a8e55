//! A local HTTP server speaking the Anthropic Messages API (`POST /v1/messages`) and the OpenAI
//! chat-completions API (`POST /v1/chat/completions`), standing in for the paid providers.
//!
//! It reads each prompt and answers what a cooperative model would (validation scores, a grade,
//! distractors, an exam question, difficulty ratings), unless a scripted fault is queued: the
//! next calls then get fenced JSON, garbage, a slow answer or an HTTP error. Every request is
//! recorded (path, headers, body) so tests can assert the wire format.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

/// What the next call gets instead of a cooperative answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// The right JSON inside a Markdown fence, after a sentence.
    Fenced,
    /// Text that holds no JSON object.
    Malformed,
    /// The right answer, after this long.
    Slow(Duration),
    /// An error status (429, 500...).
    Status(u16),
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Default)]
struct Inner {
    faults: VecDeque<Fault>,
    requests: Vec<Recorded>,
    /// The score every grading gets.
    grade: f64,
}

#[derive(Clone)]
pub struct AiStandIn {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl AiStandIn {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner { grade: 85.0, ..Inner::default() }));
        let app = Router::new()
            .route("/v1/messages", post(answer))
            .route("/v1/chat/completions", post(answer))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, inner }
    }

    /// Queues faults for the next calls, in order.
    pub fn script(&self, faults: &[Fault]) {
        self.inner.lock().expect("lock").faults.extend(faults.iter().cloned());
    }

    pub fn set_grade(&self, score: f64) {
        self.inner.lock().expect("lock").grade = score;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().expect("lock").requests.clone()
    }

    /// The environment that points a worker at this server as `provider`.
    pub fn env(&self, provider: &str) -> Vec<(&'static str, String)> {
        match provider {
            "anthropic" => vec![
                ("AI_PROVIDER", "anthropic".into()),
                ("ANTHROPIC_API_KEY", "sk-ant-test".into()),
                ("ANTHROPIC_BASE_URL", self.base.clone()),
                ("AI_MODEL", "claude-test".into()),
            ],
            _ => vec![
                ("AI_PROVIDER", "openai".into()),
                ("OPENAI_API_KEY", "sk-openai-test".into()),
                ("OPENAI_BASE_URL", format!("{}/v1", self.base)),
                ("AI_MODEL", "gpt-test".into()),
            ],
        }
    }
}

/// The user prompt of either wire format.
fn prompt_of(body: &Value) -> String {
    body["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// What a cooperative model says to `prompt`.
fn cooperative(prompt: &str, grade: f64) -> Value {
    if prompt.contains("Review this study note") {
        let dim = |score: u32| json!({ "score": score, "issues": [] });
        json!({ "factual_accuracy": dim(90), "logical_consistency": dim(85), "title_relevance": dim(80),
                "overall_feedback": "Clear and correct." })
    } else if prompt.contains("Score the answer") {
        json!({ "score": grade, "feedback": "Good grasp of the core idea. Add one example." })
    } else if prompt.contains("plausible but wrong titles") {
        json!({ "distractors": ["Decoy one", "Decoy two", "Decoy three"] })
    } else if prompt.contains("multiple-choice exam question") {
        json!({ "question": "What does the note explain?", "correct_answer": "The right idea",
                "distractors": ["A wrong idea", "Another wrong idea", "A third wrong idea"],
                "explanation": "The note says so." })
    } else if prompt.contains("Rate how hard") {
        let ids: Vec<i64> =
            prompt.split("<note id=\"").skip(1).filter_map(|rest| rest.split('"').next()?.parse().ok()).collect();
        let levels = ["easy", "medium", "hard"];
        let ratings: Vec<Value> =
            ids.iter().map(|id| json!({ "id": id, "difficulty": levels[id.rem_euclid(3) as usize] })).collect();
        json!({ "ratings": ratings })
    } else {
        json!({ "error": "the stand-in does not know this prompt" })
    }
}

fn wire(path: &str, text: &str) -> Value {
    if path.ends_with("/messages") {
        json!({ "id": "msg_test", "type": "message", "role": "assistant", "model": "claude-test",
                "content": [{ "type": "text", "text": text }], "stop_reason": "end_turn",
                "usage": { "input_tokens": 120, "output_tokens": 40 } })
    } else {
        json!({ "id": "chatcmpl-test", "object": "chat.completion", "model": "gpt-test",
                "choices": [{ "index": 0, "message": { "role": "assistant", "content": text }, "finish_reason": "stop" }],
                "usage": { "prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160 } })
    }
}

async fn answer(
    State(inner): State<Arc<Mutex<Inner>>>,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let path = uri.path().to_owned();
    let (fault, grade) = {
        let mut inner = inner.lock().expect("lock");
        inner.requests.push(Recorded { path: path.clone(), headers, body: body.clone() });
        (inner.faults.pop_front(), inner.grade)
    };
    let good = cooperative(&prompt_of(&body), grade).to_string();
    let text = match fault {
        None => good,
        Some(Fault::Fenced) => format!("Here is the JSON:\n```json\n{good}\n```"),
        Some(Fault::Malformed) => "I am sorry, I cannot help with that.".to_owned(),
        Some(Fault::Slow(pause)) => {
            tokio::time::sleep(pause).await;
            good
        }
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, Json(json!({ "error": { "type": "overloaded_error", "message": "scripted" } })))
                .into_response();
        }
    };
    Json(wire(&path, &text)).into_response()
}
