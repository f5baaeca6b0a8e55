//! The HTTP surface, one module per area, each with its own router. The OpenAPI document is
//! collected from the handlers' annotations, so it cannot drift from the routes.

mod accounts;
mod admin;
mod auth;
mod categories;
mod contents;
mod exams;
mod health;
mod review;

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Resee API", description = "Spaced-repetition learning: notes, reviews, exams. Compatible with existing Resee clients."),
    tags(
        (name = "auth", description = "Tokens and sessions"),
        (name = "accounts", description = "Registration, profile, preferences, passwords"),
        (name = "subscription", description = "Plans"),
        (name = "admin", description = "Staff only"),
        (name = "categories", description = "Categories of notes"),
        (name = "contents", description = "Notes"),
        (name = "review", description = "Reviews: today, completions, schedules, history, statistics"),
        (name = "exams", description = "Weekly exams"),
        (name = "operations", description = "Health and metrics"),
    )
)]
struct ApiDoc;

/// Every route with its OpenAPI description.
pub fn api() -> (axum::Router<AppState>, OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .merge(auth::router())
        .merge(accounts::router())
        .merge(categories::router())
        .merge(contents::router())
        .merge(review::router())
        .merge(exams::router())
        .merge(health::router())
        .merge(admin::router())
        .split_for_parts();
    let bearer = SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build());
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme("bearer", bearer);
    components.schemas.insert(TokenNotValid::name().into_owned(), TokenNotValid::schema());
    components.schemas.insert(TokenMessage::name().into_owned(), TokenMessage::schema());
    for (path, item) in &mut doc.paths.paths {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            describe_drop_in(operation, path != "/metrics");
        }
    }
    (router, doc)
}

/// simplejwt's 401 body for a bad access token (`ApiError::bad_access_token`).
#[derive(ToSchema)]
#[allow(dead_code)]
struct TokenNotValid {
    /// "Given token not valid for any token type" (or "Authentication credentials were not
    /// provided." without a token, then without `code` and `messages`).
    detail: String,
    /// `token_not_valid`.
    code: Option<String>,
    messages: Option<Vec<TokenMessage>>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct TokenMessage {
    /// `AccessToken`.
    token_class: String,
    /// `access`.
    token_type: String,
    /// `Token is invalid`, `Token is expired` or `Token has wrong type`.
    message: String,
}

/// What every operation shares with the original (Django REST Framework) API and the handler
/// annotations leave out: bodies may also come as forms (same fields, same rules; a repeated key
/// is a list), a signed-in endpoint answers a bad token with simplejwt's 401 body, a body can be
/// refused field by field (400), and any operation answers 503 while a service it needs is down.
fn describe_drop_in(operation: &mut Operation, may_be_unavailable: bool) {
    if let Some(RefOr::T(body)) = &mut operation.request_body
        && let Some(json) = body.content.get("application/json").cloned()
    {
        for form in ["application/x-www-form-urlencoded", "multipart/form-data"] {
            body.content.entry(form.to_owned()).or_insert_with(|| json.clone());
        }
    }
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        let unauthorized = ResponseBuilder::new()
            .description("Not signed in, or the token is invalid, expired or revoked")
            .content("application/json", Content::new(Some(Ref::from_schema_name(TokenNotValid::name()))))
            .build();
        operation.responses.responses.entry("401".to_owned()).or_insert_with(|| unauthorized.into());
    }
    let has_query =
        operation.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    if operation.request_body.is_some() || has_query {
        let refused = ResponseBuilder::new()
            .description("Field errors of the body or query: `{\"<field>\": [\"<message>\"]}` (see docs/API.md)")
            .build();
        operation.responses.responses.entry("400".to_owned()).or_insert_with(|| refused.into());
    }
    if may_be_unavailable {
        let unavailable = ResponseBuilder::new()
            .description("`{\"detail\"}`: PostgreSQL is down, or Redis for the flows that need it; retry after `Retry-After` seconds")
            .build();
        operation.responses.responses.entry("503".to_owned()).or_insert_with(|| unavailable.into());
    }
}
