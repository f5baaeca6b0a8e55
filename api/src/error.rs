//! The api's one error type and how each variant is answered.
//!
//! Error policy (docs/API.md → Conventions; clients read these keys, so they never change):
//!
//! | variant         | status          | body                                                        |
//! |-----------------|-----------------|-------------------------------------------------------------|
//! | `Fields`        | 400             | `{"<field>": ["msg"], "non_field_errors": ["msg"]}`         |
//! | `Validation`    | 400             | `{"error": {"code": "VALIDATION_ERROR", "message", "details"}}` |
//! | `Refused`       | 400/404/409/429 | `{"error": "msg"}`                                          |
//! | `Detail`        | 401/403/404/... | `{"detail": "msg"}` (+ `"code"` for bad tokens)             |
//! | `PlanLimit`     | 402             | `{"error", "usage", "message"}`                             |
//! | `Body`          | any             | a hand-made body a documented case needs                    |
//! | `Internal`      | 500             | `{"error": "Internal server error", "message"}`, logged once |
//!
//! A 429 always carries `Retry-After`. Internal details are logged here and never sent.
//! Database constraint violations are client errors: they become 400 field errors.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::messages::Msg;
use crate::tokens::TokenError;

/// Field name → what is wrong with it, in a stable order.
pub type FieldErrors = BTreeMap<String, Problems>;

/// What is wrong with one field: its messages, or for a list the messages of each bad item
/// (`{"content_ids": {"1": ["..."]}}`, as Django REST Framework reports list items).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Problems {
    Messages(Vec<String>),
    Items(BTreeMap<usize, Vec<String>>),
}

/// Adds `message` to the problems of `field`.
pub fn add_message(errors: &mut FieldErrors, field: &str, message: String) {
    errors.entry(field.to_owned()).or_insert_with(|| Problems::Messages(Vec::new())).push(message);
}

impl Problems {
    /// The first message, for one-line summaries.
    pub fn first(&self) -> Option<&String> {
        match self {
            Self::Messages(messages) => messages.first(),
            Self::Items(items) => items.values().flatten().next(),
        }
    }

    /// Adds a message; a message about a whole list replaces the errors of its items.
    pub fn push(&mut self, message: String) {
        match self {
            Self::Messages(messages) => messages.push(message),
            Self::Items(_) => *self = Self::Messages(vec![message]),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid fields: {0:?}")]
    Fields(FieldErrors),
    #[error("validation error: {message}")]
    Validation { message: String, details: FieldErrors },
    #[error("refused ({status}): {message}")]
    Refused { status: StatusCode, message: String, retry_after: Option<u64> },
    #[error("{status}: {message}")]
    Detail { status: StatusCode, message: String, code: Option<&'static str>, retry_after: Option<u64> },
    #[error("plan limit reached: {message}")]
    PlanLimit { message: String, usage: Value, hint: String },
    #[error("{status}: {body}")]
    Body { status: StatusCode, body: Value },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// One field error: `{"<field>": ["<message>"]}`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Fields(BTreeMap::from([(field.to_owned(), Problems::Messages(vec![message.into()]))]))
    }

    /// `{"non_field_errors": ["<message>"]}`.
    pub fn non_field(message: impl Into<String>) -> Self {
        Self::field("non_field_errors", message)
    }

    /// 400 `{"error": "<message>"}`.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::Refused { status: StatusCode::BAD_REQUEST, message: message.into(), retry_after: None }
    }

    pub fn detail(status: StatusCode, message: impl Into<String>) -> Self {
        Self::Detail { status, message: message.into(), code: None, retry_after: None }
    }

    pub fn not_found() -> Self {
        Self::detail(StatusCode::NOT_FOUND, Msg::NotFound.text())
    }

    pub fn forbidden() -> Self {
        Self::detail(StatusCode::FORBIDDEN, Msg::PermissionDenied.text())
    }

    pub fn unauthenticated() -> Self {
        Self::detail(StatusCode::UNAUTHORIZED, Msg::NotAuthenticated.text())
    }

    /// 401 for a token presented to the refresh or verify endpoint that is malformed, expired,
    /// of the wrong type or revoked: simplejwt's `{"detail": "<reason>", "code": "token_not_valid"}`.
    pub fn bad_token(reason: TokenError) -> Self {
        Self::Detail {
            status: StatusCode::UNAUTHORIZED,
            message: reason.message(),
            code: Some("token_not_valid"),
            retry_after: None,
        }
    }

    /// 401 for a bad access token on any other endpoint: simplejwt's body with the reason per
    /// token class, `{"detail", "code": "token_not_valid", "messages": [{"token_class",
    /// "token_type", "message"}]}`.
    pub fn bad_access_token(reason: TokenError) -> Self {
        Self::Body {
            status: StatusCode::UNAUTHORIZED,
            body: json!({
                "detail": Msg::TokenNotValidForAnyType.text(),
                "code": "token_not_valid",
                "messages": [{"token_class": "AccessToken", "token_type": "access", "message": reason.message()}],
            }),
        }
    }

    /// 503 `{"detail"}` with `Retry-After`: PostgreSQL cannot be reached right now. Answered at
    /// once (the database probe says so) instead of after a pool wait.
    pub fn unavailable() -> Self {
        Self::Detail {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: Msg::ServiceUnavailable.text(),
            code: None,
            retry_after: Some(5),
        }
    }

    /// 429 `{"detail"}` with `Retry-After`.
    pub fn throttled(retry_after: u64) -> Self {
        Self::Detail {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: Msg::Throttled(retry_after).text(),
            code: None,
            retry_after: Some(retry_after),
        }
    }

    /// A `VALIDATION_ERROR` body whose summary is the first message.
    pub fn validation(details: FieldErrors) -> Self {
        let message = details.values().find_map(Problems::first).cloned().unwrap_or_else(|| Msg::InvalidInput.text());
        Self::Validation { message, details }
    }

    /// 400 `{"error": "<field>: <message>"}` for endpoints whose body errors have that shape.
    pub fn refused_fields(details: &FieldErrors) -> Self {
        let (field, message) = details
            .iter()
            .find_map(|(field, problems)| problems.first().map(|m| (field.as_str(), m.as_str())))
            .unwrap_or(("non_field_errors", ""));
        Self::refused(if field == "non_field_errors" { message.to_owned() } else { format!("{field}: {message}") })
    }

    /// Turns a field-error body into the `VALIDATION_ERROR` shape (registration, profile).
    pub fn into_validation(self) -> Self {
        match self {
            Self::Fields(details) => Self::validation(details),
            other => other,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body, retry_after) = match self {
            Self::Fields(fields) => (StatusCode::BAD_REQUEST, json!(fields), None),
            Self::Validation { message, details } => (
                StatusCode::BAD_REQUEST,
                json!({"error": {"code": "VALIDATION_ERROR", "message": message, "details": details}}),
                None,
            ),
            Self::Refused { status, message, retry_after } => (status, json!({"error": message}), retry_after),
            Self::Detail { status, message, code, retry_after } => {
                let body = match code {
                    Some(code) => json!({"detail": message, "code": code}),
                    None => json!({"detail": message}),
                };
                (status, body, retry_after)
            }
            Self::PlanLimit { message, usage, hint } => {
                (StatusCode::PAYMENT_REQUIRED, json!({"error": message, "usage": usage, "message": hint}), None)
            }
            Self::Body { status, body } => (status, body, None),
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                metrics::counter!("resee_api_internal_errors_total").increment(1);
                let body = json!({
                    "error": "Internal server error",
                    "message": Msg::ServerError.text(),
                });
                (StatusCode::INTERNAL_SERVER_ERROR, body, None)
            }
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"api\""));
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && let Some(field) = constraint_field(db.as_ref())
        {
            return Self::field(field, constraint_message(db.as_ref()));
        }
        if database_unreachable(&error) {
            tracing::warn!(error = %error, "PostgreSQL unreachable");
            return Self::unavailable();
        }
        Self::Internal(error.into())
    }
}

/// Errors that say PostgreSQL is not there (a pool that waited in vain, a broken connection, a
/// server shutting down or starting up), as opposed to a bad statement.
fn database_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        // Class 08: connection exceptions; 57P01–57P03: shutdown, crash shutdown, cannot connect now.
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P0")),
        _ => false,
    }
}

/// Redis unreachable (an outage, logged once by `resee_core::redis`) is 503 + `Retry-After` for
/// whatever needs it; a bad command stays an internal error.
impl From<redis::RedisError> for ApiError {
    fn from(error: redis::RedisError) -> Self {
        if resee_core::redis::is_outage(&error) { Self::unavailable() } else { Self::Internal(error.into()) }
    }
}

/// The request field a violated constraint is about, for the errors a client can cause:
/// unique (23505), check (23514), foreign key (23503), too long (22001), not null (23502).
fn constraint_field(db: &dyn sqlx::error::DatabaseError) -> Option<&'static str> {
    let code = db.code()?;
    if !matches!(code.as_ref(), "23505" | "23514" | "23503" | "22001" | "23502") {
        return None;
    }
    let constraint = db.constraint().unwrap_or_default();
    Some(
        FIELD_OF_CONSTRAINT
            .iter()
            .find(|(prefix, _)| constraint.starts_with(prefix))
            .map_or("non_field_errors", |(_, f)| f),
    )
}

/// Constraint-name prefixes (see the migrations) and the request field each guards.
const FIELD_OF_CONSTRAINT: &[(&str, &str)] = &[
    ("users_email", "email"),
    ("users_username", "username"),
    ("users_weekly_goal", "weekly_goal"),
    ("categories_user_name", "name"),
    ("categories_name", "name"),
    ("categories_slug", "name"),
    ("categories_user_slug", "name"),
    ("categories_description", "description"),
    ("contents_title", "title"),
    ("contents_body", "content"),
    ("contents_category", "category"),
    ("contents_review_mode", "review_mode"),
    ("review_history_time_spent", "time_spent"),
    ("review_history_notes", "notes"),
    ("review_history_answer", "descriptive_answer"),
    ("notification_preferences_timezone", "timezone"),
    ("notification_preferences_language", "language"),
    ("exams_user_week", "non_field_errors"),
    ("exams_title", "title"),
    ("exams_description", "description"),
    ("exam_answers_length", "user_answer"),
];

fn constraint_message(db: &dyn sqlx::error::DatabaseError) -> String {
    match db.code().as_deref() {
        Some("23505") => Msg::ValueAlreadyExists.text(),
        Some("23503") => Msg::ReferencedObjectMissing.text(),
        _ => Msg::ValueNotAllowed.text(),
    }
}
