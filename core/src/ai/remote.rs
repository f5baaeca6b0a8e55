//! Providers reached over HTTP: the Anthropic Messages API and OpenAI-compatible chat
//! completions. Both get the same prompts; only the wire format differs.
//!
//! Each call runs under the per-process concurrency cap and the `AI_TIMEOUT`; a malformed reply
//! (or a 429/5xx) is asked once more, then the error goes back to [`super::Ai`], which applies
//! the feature's fallback. Metrics: `resee_ai_requests_total{provider,feature,outcome}`,
//! `resee_ai_request_duration_seconds{provider,feature}`, `resee_ai_tokens_total{provider,direction}`.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use super::parse::{self, json_object};
use super::{
    AiError, BoxFuture, Difficulty, Dimension, Grade, Note, Provider, Question, QuestionType, Validation,
    distractors_ok, place_answer,
};
use crate::config::Secret;
use crate::config::ai::{AiConfig, ProviderKind};

/// Anthropic's API version header.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
/// How much of a note a prompt carries (validation, questions).
const PROMPT_BODY_CHARS: usize = 12_000;
/// How much of each note the difficulty prompt carries, and for how many notes.
const RATING_BODY_CHARS: usize = 600;

const SYSTEM: &str = "You help learners of a spaced-repetition app. You answer with one JSON object \
    and nothing else: no prose, no Markdown. Write every text field in the language of the note.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wire {
    Anthropic,
    OpenAi,
}

/// A chat model behind HTTP.
#[derive(Debug)]
pub struct Llm {
    wire: Wire,
    http: reqwest::Client,
    url: String,
    key: Option<Secret>,
    model: String,
    timeout: Duration,
    permits: Semaphore,
}

/// One reply's text and token counts.
struct Reply {
    text: String,
    input_tokens: u64,
    output_tokens: u64,
}

impl Llm {
    pub fn new(config: &AiConfig) -> Self {
        let (wire, url) = match config.kind {
            ProviderKind::Anthropic => (Wire::Anthropic, format!("{}/v1/messages", config.base_url)),
            _ => (Wire::OpenAi, format!("{}/chat/completions", config.base_url)),
        };
        Self {
            wire,
            http: reqwest::Client::builder().user_agent("resee").build().unwrap_or_default(),
            url,
            key: config.api_key.clone(),
            model: config.model.clone(),
            timeout: config.timeout,
            permits: Semaphore::new(config.max_concurrency),
        }
    }

    fn request(&self, prompt: &str, max_tokens: u32) -> reqwest::RequestBuilder {
        let builder = self.http.post(&self.url).timeout(self.timeout);
        match self.wire {
            Wire::Anthropic => builder
                .header("x-api-key", self.key.as_ref().map(Secret::expose).unwrap_or_default())
                .header("anthropic-version", ANTHROPIC_VERSION)
                .json(&json!({
                    "model": self.model,
                    "max_tokens": max_tokens,
                    "temperature": 0.2,
                    "system": SYSTEM,
                    "messages": [{ "role": "user", "content": prompt }],
                })),
            Wire::OpenAi => {
                let builder = match &self.key {
                    Some(key) => builder.bearer_auth(key.expose()),
                    None => builder,
                };
                builder.json(&json!({
                    "model": self.model,
                    "max_tokens": max_tokens,
                    "temperature": 0.2,
                    "messages": [
                        { "role": "system", "content": SYSTEM },
                        { "role": "user", "content": prompt },
                    ],
                }))
            }
        }
    }

    fn read_reply(&self, body: &Value) -> Option<Reply> {
        let tokens = |key: &str| body["usage"][key].as_u64().unwrap_or(0);
        match self.wire {
            Wire::Anthropic => {
                let text = body["content"]
                    .as_array()?
                    .iter()
                    .filter(|block| block["type"] == "text")
                    .filter_map(|block| block["text"].as_str())
                    .collect::<String>();
                Some(Reply { text, input_tokens: tokens("input_tokens"), output_tokens: tokens("output_tokens") })
            }
            Wire::OpenAi => Some(Reply {
                text: body["choices"][0]["message"]["content"].as_str()?.to_owned(),
                input_tokens: tokens("prompt_tokens"),
                output_tokens: tokens("completion_tokens"),
            }),
        }
    }

    /// One call: the reply's text, or why there is none.
    async fn call(&self, feature: &'static str, prompt: &str, max_tokens: u32) -> Result<String, AiError> {
        let started = Instant::now();
        let outcome = async {
            let _permit = self.permits.acquire().await.map_err(|e| AiError::Transport(e.to_string()))?;
            let response = self.request(prompt, max_tokens).send().await.map_err(transport)?;
            let status = response.status();
            if !status.is_success() {
                return Err(AiError::Status(status.as_u16()));
            }
            let body: Value = response.json().await.map_err(transport)?;
            self.read_reply(&body).ok_or_else(|| AiError::Malformed("the reply has no text".into()))
        }
        .await;
        let provider = self.name();
        metrics::histogram!("resee_ai_request_duration_seconds", "provider" => provider, "feature" => feature)
            .record(started.elapsed().as_secs_f64());
        let label = match &outcome {
            Ok(_) => "ok",
            Err(AiError::Timeout) => "timeout",
            Err(AiError::Status(_)) => "http_error",
            Err(AiError::Transport(_)) => "transport_error",
            Err(AiError::Malformed(_)) => "malformed",
        };
        metrics::counter!("resee_ai_requests_total", "provider" => provider, "feature" => feature, "outcome" => label)
            .increment(1);
        match &outcome {
            Ok(reply) => {
                metrics::counter!("resee_ai_tokens_total", "provider" => provider, "direction" => "input")
                    .increment(reply.input_tokens);
                metrics::counter!("resee_ai_tokens_total", "provider" => provider, "direction" => "output")
                    .increment(reply.output_tokens);
                tracing::debug!(
                    provider,
                    feature,
                    input_tokens = reply.input_tokens,
                    output_tokens = reply.output_tokens,
                    took_ms = started.elapsed().as_millis(),
                    "AI call answered"
                );
            }
            Err(error) => {
                tracing::warn!(provider, feature, %error, took_ms = started.elapsed().as_millis(), "AI call failed");
            }
        }
        outcome.map(|reply| reply.text)
    }

    /// Asks for a JSON object and reads it with `read`; a malformed reply or a 429/5xx is asked
    /// once more.
    async fn ask<T>(
        &self,
        feature: &'static str,
        prompt: &str,
        max_tokens: u32,
        read: impl Fn(&Map<String, Value>) -> Result<T, String>,
    ) -> Result<T, AiError> {
        let mut last = AiError::Malformed("no attempt".into());
        for attempt in 0..2 {
            let error = match self.call(feature, prompt, max_tokens).await {
                Ok(text) => {
                    match json_object(&text).ok_or_else(|| "no JSON object".to_owned()).and_then(|m| read(&m)) {
                        Ok(value) => return Ok(value),
                        Err(why) => {
                            tracing::warn!(provider = self.name(), feature, attempt, reason = %why, "malformed AI reply");
                            metrics::counter!("resee_ai_malformed_replies_total", "provider" => self.name(), "feature" => feature)
                            .increment(1);
                            AiError::Malformed(why)
                        }
                    }
                }
                Err(AiError::Status(code)) if code == 429 || code >= 500 => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    AiError::Status(code)
                }
                Err(other) => return Err(other),
            };
            last = error;
        }
        Err(last)
    }
}

fn transport(e: reqwest::Error) -> AiError {
    if e.is_timeout() {
        AiError::Timeout
    } else if e.is_decode() {
        AiError::Malformed("the reply is not JSON".into())
    } else {
        AiError::Transport(e.without_url().to_string())
    }
}

fn excerpt(body: &str, chars: usize) -> String {
    body.chars().take(chars).collect()
}

fn read_dimension(map: &Map<String, Value>, key: &str) -> Result<Dimension, String> {
    let part = map.get(key).and_then(Value::as_object).ok_or_else(|| format!("`{key}` is missing"))?;
    Ok(Dimension { score: parse::score(part.get("score"))?, issues: parse::strings(part.get("issues"))? })
}

fn read_difficulty(value: &Value) -> Result<Difficulty, String> {
    serde_json::from_value(value.clone()).map_err(|_| format!("unknown difficulty {value}"))
}

impl Provider for Llm {
    fn name(&self) -> &'static str {
        match self.wire {
            Wire::Anthropic => "anthropic",
            Wire::OpenAi => "openai",
        }
    }

    fn validate<'a>(&'a self, title: &'a str, body: &'a str) -> BoxFuture<'a, Validation> {
        Box::pin(async move {
            let prompt = format!(
                "Review this study note. Score each criterion from 0 to 100:\n\
                 - factual_accuracy: are its statements correct?\n\
                 - logical_consistency: do its parts follow from each other without contradiction?\n\
                 - title_relevance: does the body cover what the title names?\n\
                 List concrete issues per criterion (an empty list when there are none) and give a short overall comment.\n\
                 Answer as {{\"factual_accuracy\": {{\"score\": 0, \"issues\": []}}, \"logical_consistency\": {{\"score\": 0, \"issues\": []}}, \
                 \"title_relevance\": {{\"score\": 0, \"issues\": []}}, \"overall_feedback\": \"\"}}\n\n\
                 <title>{title}</title>\n<note>\n{}\n</note>",
                excerpt(body, PROMPT_BODY_CHARS)
            );
            self.ask("validate", &prompt, 1200, |m| {
                Ok(Validation {
                    factual_accuracy: read_dimension(m, "factual_accuracy")?,
                    logical_consistency: read_dimension(m, "logical_consistency")?,
                    title_relevance: read_dimension(m, "title_relevance")?,
                    overall_feedback: parse::text(m, "overall_feedback")?,
                })
            })
            .await
        })
    }

    fn grade<'a>(&'a self, title: &'a str, body: &'a str, answer: &'a str) -> BoxFuture<'a, Grade> {
        Box::pin(async move {
            let prompt = format!(
                "A learner wrote what they remember of a note. Score the answer from 0 to 100 with this rubric: \
                 core understanding 40, clarity 30, details 20, completeness 10. An answer that is junk, \
                 off-topic or copies the question scores 0. Give 2-3 sentences of feedback addressed to the learner.\n\
                 Answer as {{\"score\": 0, \"feedback\": \"\"}}\n\n\
                 <title>{title}</title>\n<note>\n{body}\n</note>\n<answer>\n{answer}\n</answer>"
            );
            self.ask("grade", &prompt, 600, |m| {
                Ok(Grade { score: parse::score(m.get("score"))?, feedback: parse::text(m, "feedback")? })
            })
            .await
        })
    }

    fn distractors<'a>(&'a self, note: &'a Note, others: &'a [String]) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let hints = others.iter().take(20).map(|t| format!("- {t}")).collect::<Vec<_>>().join("\n");
            let prompt = format!(
                "Write 3 plausible but wrong titles for this note, each of similar length to the real title, \
                 so that a learner must know the note to pick the real one. None may equal the real title.\n\
                 The learner's other note titles, for inspiration:\n{hints}\n\
                 Answer as {{\"distractors\": [\"\", \"\", \"\"]}}\n\n\
                 <title>{}</title>\n<note>\n{}\n</note>",
                note.title,
                excerpt(&note.body, 2000)
            );
            self.ask("distractors", &prompt, 300, |m| {
                let list = parse::strings(m.get("distractors"))?;
                if distractors_ok(&note.title, &list) { Ok(list) } else { Err("not 3 distinct wrong titles".into()) }
            })
            .await
        })
    }

    fn exam_question<'a>(&'a self, note: &'a Note, _all: &'a [Note]) -> BoxFuture<'a, Question> {
        Box::pin(async move {
            let prompt = format!(
                "Write one multiple-choice exam question that tests understanding of this note (not recall of its \
                 wording), its correct answer, 3 wrong answers of similar length, and a one-sentence explanation.\n\
                 Answer as {{\"question\": \"\", \"correct_answer\": \"\", \"distractors\": [\"\", \"\", \"\"], \"explanation\": \"\"}}\n\n\
                 <title>{}</title>\n<note>\n{}\n</note>",
                note.title,
                excerpt(&note.body, PROMPT_BODY_CHARS)
            );
            self.ask("exam_question", &prompt, 800, |m| {
                let correct = parse::text(m, "correct_answer")?;
                let wrong = parse::strings(m.get("distractors"))?;
                if !distractors_ok(&correct, &wrong) {
                    return Err("not 3 distinct wrong answers".into());
                }
                Ok(Question {
                    content_id: note.id,
                    question_type: QuestionType::MultipleChoice,
                    text: parse::text(m, "question")?,
                    choices: Some(place_answer(note.id, &correct, wrong)),
                    correct_answer: correct,
                    explanation: parse::text(m, "explanation")?,
                })
            })
            .await
        })
    }

    fn difficulty<'a>(&'a self, notes: &'a [Note]) -> BoxFuture<'a, Vec<Difficulty>> {
        Box::pin(async move {
            let listed = notes
                .iter()
                .map(|n| {
                    format!(
                        "<note id=\"{}\">\n<title>{}</title>\n{}\n</note>",
                        n.id,
                        n.title,
                        excerpt(&n.body, RATING_BODY_CHARS)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            let prompt = format!(
                "Rate how hard each note is to learn: easy, medium or hard.\n\
                 Answer as {{\"ratings\": [{{\"id\": 0, \"difficulty\": \"easy\"}}]}} with one entry per note.\n\n{listed}"
            );
            self.ask("difficulty", &prompt, 40 + 30 * u32::try_from(notes.len()).unwrap_or(u32::MAX / 64), |m| {
                let ratings = m.get("ratings").and_then(Value::as_array).ok_or("`ratings` is missing")?;
                notes
                    .iter()
                    .map(|n| {
                        let entry = ratings
                            .iter()
                            .find(|r| r["id"].as_i64() == Some(n.id))
                            .ok_or_else(|| format!("note {} is not rated", n.id))?;
                        read_difficulty(&entry["difficulty"])
                    })
                    .collect()
            })
            .await
        })
    }
}
