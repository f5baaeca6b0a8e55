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

use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
    doc.components.get_or_insert_with(Default::default).add_security_scheme("bearer", bearer);
    (router, doc)
}
