//! Slack alerts for unexpected server errors.
//!
//! A storm of 500s must not become a storm of messages: the first 500 opens a one-minute window
//! (a Redis key shared by every replica) and sends one alert; later 500s in the window are only
//! counted, and the next alert reports how many there were.

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use resee_core::slack::Level;

use crate::state::AppState;

/// Middleware: watches responses for 500s.
pub async fn on_server_error(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let method = request.method().to_string();
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && state.slack.enabled() {
        tokio::spawn(async move {
            if let Err(e) = alert(&state, &format!("{method} {route}"), &request_id).await {
                tracing::warn!(error = %e, "could not send the Slack alert");
            }
        });
    }
    response
}

async fn alert(state: &AppState, what: &str, request_id: &str) -> anyhow::Result<()> {
    let text = format!("Latest: {what} (request id {request_id}). Details are in the api's logs.");
    state
        .slack
        .send_throttled(&state.redis, "api-500", Level::Error, "resee-api: internal server error", &text)
        .await?;
    Ok(())
}
