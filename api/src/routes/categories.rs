//! `/api/categories/`: the user's own categories.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Id, Input};
use crate::fields::{Fields, FromFields, Text};
use crate::messages::Msg;
use crate::state::AppState;
use crate::views::{CategoryView, Usage};
use resee_core::store::categories;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, save, delete_one))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    results: Vec<CategoryView>,
    usage: Usage,
    count: usize,
    next: Option<String>,
    previous: Option<String>,
}

fn usage(auth: &AuthUser, current: i64) -> Usage {
    let tier = auth.effective_tier(Utc::now());
    Usage::new(current, tier.category_limit(), tier)
}

/// The user's categories with their plan usage.
#[utoipa::path(get, path = "/api/categories/", tag = "categories", security(("bearer" = [])),
    responses((status = 200, description = "Every own category", body = CategoryList)))]
async fn list(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<CategoryList>> {
    let rows = categories::list(&state.db, auth.user.id).await?;
    let usage = usage(&auth, i64::try_from(rows.len()).unwrap_or(i64::MAX));
    Ok(Json(CategoryList {
        count: rows.len(),
        results: rows.iter().map(CategoryView::from).collect(),
        usage,
        next: None,
        previous: None,
    }))
}

#[derive(Debug, ToSchema)]
pub struct CategoryInput {
    /// 1–100 characters with at least one letter or digit; unique per user.
    #[schema(min_length = 1, max_length = 100)]
    name: Option<String>,
    /// Up to 500 characters.
    #[schema(max_length = 500)]
    description: Option<String>,
}

impl FromFields for CategoryInput {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let name = f.required_unless_patch("name", Text::new().max(100));
        let description = f.optional("description", Text::new().max(500).blank_allowed());
        if name.as_deref().is_some_and(|name| !name.chars().any(char::is_alphanumeric)) {
            f.add("name", Msg::CategoryNameNeedsLetterOrDigit.text());
        }
        Some(Self { name, description })
    }
}

/// Checks that the name is free (`except`: the category being changed).
async fn check_name(state: &AppState, user_id: i64, input: &CategoryInput, except: Option<i64>) -> ApiResult<()> {
    if let Some(name) = &input.name
        && categories::name_taken(&state.db, user_id, name, except).await?
    {
        return Err(ApiError::field("name", Msg::CategoryNameTaken.text()));
    }
    Ok(())
}

/// The slug of a name: lower case, letters and digits (any script) joined by single dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(100).collect();
    slug.trim_end_matches('-').to_owned()
}

/// Create a category (402 at the plan limit).
#[utoipa::path(post, path = "/api/categories/", tag = "categories", security(("bearer" = [])), request_body = CategoryInput,
    responses(
        (status = 201, description = "Created", body = CategoryView),
        (status = 400, description = "Missing, duplicate or letterless name; description too long"),
        (status = 402, description = "The plan's category limit is reached"),
    ))]
async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(input): Input<CategoryInput>,
) -> ApiResult<(StatusCode, Json<CategoryView>)> {
    check_name(&state, auth.user.id, &input, None).await?;
    let CategoryInput { name, description } = input;
    let name = name.unwrap_or_default();
    let mut tx = state.db.begin().await?;
    resee_core::store::users::lock(&mut tx, auth.user.id).await?;
    let current = categories::count(&mut *tx, auth.user.id).await?;
    let usage = usage(&auth, current);
    if !usage.can_create {
        return Err(plan_limit(&usage, Msg::CategoryLimitReached.text()));
    }
    let category =
        categories::create(&mut tx, auth.user.id, &name, description.as_deref().unwrap_or(""), &slugify(&name)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CategoryView::from(&category))))
}

/// The 402 body: what was refused, the usage, and how to get more.
pub fn plan_limit(usage: &Usage, message: String) -> ApiError {
    ApiError::PlanLimit {
        message,
        usage: serde_json::to_value(usage).unwrap_or_default(),
        hint: Msg::UpgradeToCreateMore.text(),
    }
}

/// One category.
#[utoipa::path(get, path = "/api/categories/{id}/", tag = "categories", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Category id")),
    responses((status = 200, description = "The category", body = CategoryView), (status = 404, description = "Not found (or not yours)")))]
async fn get_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<CategoryView>> {
    let category = categories::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(CategoryView::from(&category)))
}

/// Change a category: PUT replaces (the name is required), PATCH changes what it is given.
#[utoipa::path(method(put, patch), path = "/api/categories/{id}/", tag = "categories", security(("bearer" = [])), request_body = CategoryInput,
    params(("id" = i64, Path, description = "Category id")),
    responses(
        (status = 200, description = "Updated (the slug stays)", body = CategoryView),
        (status = 400, description = "Field errors"),
        (status = 404, description = "Not found (or not yours)"),
    ))]
async fn save(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    Input(input): Input<CategoryInput>,
) -> ApiResult<Json<CategoryView>> {
    categories::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    check_name(&state, auth.user.id, &input, Some(id)).await?;
    let category = categories::update(&state.db, auth.user.id, id, input.name.as_deref(), input.description.as_deref())
        .await?
        .ok_or_else(ApiError::not_found)?;
    // Today's cards show their category.
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    Ok(Json(CategoryView::from(&category)))
}

/// Delete a category; its contents become uncategorised.
#[utoipa::path(delete, path = "/api/categories/{id}/", tag = "categories", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Category id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<StatusCode> {
    if categories::delete(&state.db, auth.user.id, id).await? {
        resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(slugify("Rust Basics!"), "rust-basics");
        assert_eq!(slugify("  운영체제 / OS  "), "운영체제-os");
        assert_eq!(slugify("a--b__c"), "a-b-c");
    }
}
