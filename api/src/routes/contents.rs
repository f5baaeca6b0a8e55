//! `/api/contents/`: notes, each with its review schedule.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use resee_core::ai::Validation;
use resee_core::jobs::GenerateMcChoices;
use resee_core::outbox;
use resee_core::review::ReviewMode;
use serde::Serialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::extract::{AuthUser, Id, Input, Params};
use crate::fields::{Bool, Choice, Fields, FromFields, Pk, Text, messages};
use crate::messages::Msg;
use crate::pagination::{Links, Page, PageQuery};
use crate::state::AppState;
use crate::validation::Errors;
use crate::views::{ContentView, Usage};
use resee_core::store::categories;
use resee_core::store::contents::{self, Created, Editable, ListQuery, NewContent};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, save, delete_one))
        .routes(routes!(validate_content))
        .routes(routes!(validate_and_save))
}

const REVIEW_MODES: [&str; 3] = ["objective", "descriptive", "multiple_choice"];
/// Review modes graded with the help of the AI need enough text to ask about.
const AI_MODE_MIN_CHARS: usize = 200;

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Documented by `PageQuery`.
    #[param(ignore)]
    page: PageQuery,
    category: Option<i64>,
    category_slug: Option<String>,
    /// Case-insensitive, in title and body.
    search: Option<String>,
    /// `created_at`, `updated_at` or `title`, `-` for descending (default `-created_at`);
    /// unknown fields are ignored.
    ordering: Option<String>,
    is_ai_validated: Option<bool>,
}

impl FromFields for ListParams {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self {
            page: PageQuery::read(f),
            category: f.optional("category", Pk),
            category_slug: f.optional("category_slug", Text::new()),
            search: f.optional("search", Text::new()),
            ordering: f.optional("ordering", Text::new().blank_allowed()),
            is_ai_validated: f.optional("is_ai_validated", Bool),
        })
    }
}

/// The first known term of `?ordering=` (DRF's `OrderingFilter` drops unknown ones), else the
/// newest first.
fn ordering(raw: Option<&str>) -> String {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .find(|term| ["created_at", "updated_at", "title"].contains(&term.strip_prefix('-').unwrap_or(term)))
        .unwrap_or("-created_at")
        .to_owned()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContentMeta {
    categories_in_page: Vec<String>,
    /// Always zeros: notes have no priority, but the original's clients read these keys.
    priority_distribution: PriorityDistribution,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct PriorityDistribution {
    high: u32,
    medium: u32,
    low: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContentPage {
    count: i64,
    next: Option<String>,
    previous: Option<String>,
    links: Links,
    page_size: i64,
    current_page: i64,
    total_pages: i64,
    results: Vec<ContentView>,
    usage: Usage,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_meta: Option<ContentMeta>,
}

/// Escapes `%`, `_` and `\` so a search term matches literally inside an ILIKE pattern.
fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The user's contents, 15 a page by default.
#[utoipa::path(get, path = "/api/contents/", tag = "contents", security(("bearer" = [])), params(PageQuery, ListParams),
    responses(
        (status = 200, description = "One page of contents with plan usage", body = ContentPage),
        (status = 400, description = "A filter that is not of its type (`?category=abc`)"),
        (status = 404, description = "`{\"detail\": \"Invalid page.\"}`: a page that is not a number or out of range"),
    ))]
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(params): Params<ListParams>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ContentPage>> {
    let query = ListQuery {
        category_id: params.category,
        category_slug: params.category_slug,
        search_pattern: params.search.as_deref().map(like_pattern),
        is_ai_validated: params.is_ai_validated,
        ordering: ordering(params.ordering.as_deref()),
    };
    let page = Page::sized(&params.page, 15, 100)?;
    let total = auth.content_count;
    let matching =
        if query.is_filtered() { contents::count_matching(&state.db, auth.user.id, &query).await? } else { total };
    page.check(matching)?;
    let rows = contents::list(&state.db, auth.user.id, &query, page.size, page.offset()).await?;
    let base = format!("{}/api/contents/", state.config.common.public_url);
    let links = page.links(&base, raw.as_deref(), matching);
    let tier = auth.effective_tier(Utc::now());
    let usage = Usage::new(total, tier.content_limit(), tier);
    Ok(Json(ContentPage::new(&page, matching, links, rows, usage)))
}

impl ContentPage {
    fn new(page: &Page, matching: i64, links: Links, rows: Vec<contents::ContentRow>, usage: Usage) -> Self {
        let mut categories_in_page: Vec<String> = rows.iter().filter_map(|r| r.category_name.clone()).collect();
        categories_in_page.sort();
        categories_in_page.dedup();
        Self {
            count: matching,
            next: links.next.clone(),
            previous: links.previous.clone(),
            links,
            page_size: page.size,
            current_page: page.number,
            total_pages: page.total_pages(matching),
            content_meta: (!rows.is_empty())
                .then_some(ContentMeta { categories_in_page, priority_distribution: PriorityDistribution::default() }),
            results: rows.into_iter().map(ContentView::from).collect(),
            usage,
        }
    }
}

#[derive(Debug, ToSchema)]
pub struct ContentInput {
    /// 1–30 characters.
    #[schema(min_length = 1, max_length = 30)]
    title: Option<String>,
    /// Markdown, 1–50 000 characters (at least 200 in the AI review modes).
    #[schema(min_length = 1, max_length = 50000)]
    content: Option<String>,
    /// A category id of your own; null or `""` for none.
    #[schema(value_type = Option<i64>)]
    category: Option<Option<i64>>,
    /// `objective` (default), `descriptive` or `multiple_choice`.
    #[schema(value_type = Option<String>, pattern = "^(objective|descriptive|multiple_choice)$")]
    review_mode: Option<&'static str>,
}

impl FromFields for ContentInput {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self {
            title: f.required_unless_patch("title", Text::new().max(30)),
            content: f.required_unless_patch("content", Text::new().max(50_000)),
            category: f.nullable("category", Pk),
            review_mode: f.optional("review_mode", Choice(&REVIEW_MODES)),
        })
    }
}

/// Applies `input` over `current` and checks what needs the whole note or the database.
async fn merged(state: &AppState, user_id: i64, current: Editable, input: ContentInput) -> ApiResult<Editable> {
    let mut errors = Errors::default();
    let title = input.title.unwrap_or(current.title);
    let body = input.content.unwrap_or(current.body);
    let review_mode = input.review_mode.and_then(|m| m.parse().ok()).unwrap_or(current.review_mode);
    if review_mode.uses_ai() && body.chars().count() < AI_MODE_MIN_CHARS {
        errors.add("content", Msg::ContentTooShortForMode(AI_MODE_MIN_CHARS).text());
    }
    let category_id = input.category.unwrap_or(current.category_id);
    if let Some(id) = category_id
        && categories::get(&state.db, user_id, id).await?.is_none()
    {
        errors.add("category", messages::pk_does_not_exist(id));
    }
    errors.into_result()?;
    Ok(Editable { title, body, category_id, review_mode })
}

/// Create a content; its review schedule is created with it, due now.
#[utoipa::path(post, path = "/api/contents/", tag = "contents", security(("bearer" = [])), request_body = ContentInput,
    responses(
        (status = 201, description = "Created", body = ContentView),
        (status = 400, description = "Field errors (checked before the plan limit)"),
        (status = 402, description = "The plan's content limit is reached"),
    ))]
async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(input): Input<ContentInput>,
) -> ApiResult<(StatusCode, Json<ContentView>)> {
    let empty =
        Editable { title: String::new(), body: String::new(), category_id: None, review_mode: ReviewMode::Objective };
    let fields = merged(&state, auth.user.id, empty, input).await?;
    let tier = auth.effective_tier(Utc::now());
    let new = NewContent {
        title: &fields.title,
        body: &fields.body,
        category_id: fields.category_id,
        review_mode: fields.review_mode,
    };
    let mut tx = state.db.begin().await?;
    let id = match contents::create(&mut tx, auth.user.id, &new, tier.content_limit().map(i64::from)).await? {
        Created::Id(id) => id,
        Created::LimitReached => {
            return Err(super::categories::plan_limit(
                &Usage::new(auth.content_count, tier.content_limit(), tier),
                Msg::ContentLimitReached.text(),
            ));
        }
    };
    let job = if fields.review_mode == ReviewMode::MultipleChoice {
        Some(outbox::add(&mut tx, &GenerateMcChoices { content_id: id }).await?)
    } else {
        None
    };
    outbox::commit(tx, &state.db, &state.redis, job).await?;
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One content.
#[utoipa::path(get, path = "/api/contents/{id}/", tag = "contents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 200, description = "The content", body = ContentView), (status = 404, description = "Not found (or not yours)")))]
async fn get_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<ContentView>> {
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(row.into()))
}

/// Change a content: PUT replaces (title and content required), PATCH changes what it is given.
#[utoipa::path(method(put, patch), path = "/api/contents/{id}/", tag = "contents", security(("bearer" = [])), request_body = ContentInput,
    params(("id" = i64, Path, description = "Content id")),
    responses(
        (status = 200, description = "Updated; a changed title or body clears the AI validation", body = ContentView),
        (status = 400, description = "Field errors"),
        (status = 404, description = "Not found (or not yours)"),
    ))]
async fn save(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    Input(input): Input<ContentInput>,
) -> ApiResult<Json<ContentView>> {
    let current = contents::editable(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    let (old_title, old_body, old_mode) = (current.title.clone(), current.body.clone(), current.review_mode);
    let fields = merged(&state, auth.user.id, current, input).await?;
    let text_changed = fields.title != old_title || fields.body != old_body;
    let multiple_choice = ReviewMode::MultipleChoice;
    let regenerate = fields.review_mode == multiple_choice && (text_changed || old_mode != multiple_choice);
    let clear_choices = regenerate || fields.review_mode != multiple_choice;
    let mut tx = state.db.begin().await?;
    if !contents::update(&mut *tx, auth.user.id, id, &fields, text_changed, clear_choices).await? {
        return Err(ApiError::not_found());
    }
    let job = if regenerate { Some(outbox::add(&mut tx, &GenerateMcChoices { content_id: id }).await?) } else { None };
    outbox::commit(tx, &state.db, &state.redis, job).await?;
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(row.into()))
}

/// Delete a content with its schedule and history.
#[utoipa::path(delete, path = "/api/contents/{id}/", tag = "contents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<StatusCode> {
    if contents::delete(&state.db, auth.user.id, id).await? {
        resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, ToSchema)]
pub struct ValidateInput {
    title: String,
    /// 200–50 000 characters.
    content: String,
}

impl FromFields for ValidateInput {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let title = f.required("title", Text::new());
        let content = f.required("content", Text::new().max(50_000));
        Some(Self { title: title?, content: content? })
    }

    fn reject(errors: FieldErrors) -> ApiError {
        ApiError::refused_fields(&errors)
    }
}

/// The `<ValidationResult>` of `POST /api/contents/validate/`: `is_valid`, the three criteria with `score` and `issues`,
/// `overall_feedback`, and `provider` (which AI answered).
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ValidationResult(Value);

fn too_short_for_ai() -> ApiError {
    ApiError::refused(Msg::ContentTooShortForAi(AI_MODE_MIN_CHARS))
}

/// Validate a text with the AI; nothing is stored.
#[utoipa::path(post, path = "/api/contents/validate/", tag = "contents", security(("bearer" = [])), request_body = ValidateInput,
    responses(
        (status = 200, description = "The validation (by the configured provider, or offline when it failed)", body = ValidationResult),
        (status = 400, description = "`{\"error\"}`: a missing title, or under 200 characters of content"),
    ))]
async fn validate_content(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(input): Input<ValidateInput>,
) -> ApiResult<Json<ValidationResult>> {
    if input.content.chars().count() < AI_MODE_MIN_CHARS {
        return Err(too_short_for_ai());
    }
    let validated = crate::ai::validate(&state, auth.user.id, None, &input.title, &input.content).await;
    Ok(Json(ValidationResult(validated.validation.to_result(&validated.provider))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValidatedAndSaved {
    message: String,
    is_valid: bool,
    ai_validation_score: Option<f64>,
    validated_at: Option<chrono::DateTime<Utc>>,
    #[schema(value_type = Option<Object>)]
    result: Option<Value>,
}

/// Validate a content with the AI and store the result (a validated content answers at once).
#[utoipa::path(post, path = "/api/contents/{id}/validate_and_save/", tag = "contents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Content id")),
    responses(
        (status = 200, description = "Validated and stored", body = ValidatedAndSaved),
        (status = 400, description = "`{\"error\"}`: under 200 characters of content"),
        (status = 404, description = "Not found (or not yours)"),
        (status = 409, description = "`{\"error\"}`: the content changed while it was validated"),
    ))]
async fn validate_and_save(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
) -> ApiResult<Json<ValidatedAndSaved>> {
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    if row.is_ai_validated {
        return Ok(Json(ValidatedAndSaved {
            message: Msg::ContentAlreadyValidated.text(),
            is_valid: true,
            ai_validation_score: row.ai_validation_score,
            validated_at: row.ai_validated_at,
            result: row.ai_validation_result,
        }));
    }
    if row.body.trim().chars().count() < AI_MODE_MIN_CHARS {
        return Err(too_short_for_ai());
    }
    let (validation, result, stored) = validate_row(&state, &auth, &row).await?;
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    let message = if validation.is_valid() { Msg::ContentPassedValidation } else { Msg::ContentFailedValidation };
    Ok(Json(ValidatedAndSaved {
        message: message.text(),
        is_valid: validation.is_valid(),
        ai_validation_score: Some(validation.score()),
        validated_at: Some(stored),
        result: Some(result),
    }))
}

/// Validates a note through the worker and stores the outcome, if the note is still the text
/// that was validated: the validation, its stored form and when it was stored.
async fn validate_row(
    state: &AppState,
    auth: &AuthUser,
    row: &contents::ContentRow,
) -> ApiResult<(Validation, Value, DateTime<Utc>)> {
    let validated = crate::ai::validate(state, auth.user.id, Some(row.id), &row.title, &row.body).await;
    let v = validated.validation;
    let result = v.to_result(&validated.provider);
    let stored = contents::store_validation(
        &state.db,
        auth.user.id,
        row.id,
        &row.title,
        &row.body,
        v.is_valid(),
        v.score(),
        &result,
    )
    .await?
    .ok_or_else(|| ApiError::Refused {
        status: StatusCode::CONFLICT,
        message: Msg::ContentChangedWhileValidating.text(),
        retry_after: None,
    })?;
    Ok((v, result, stored))
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_terms_match_literally() {
        assert_eq!(super::like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
