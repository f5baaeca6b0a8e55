//! `/api/contents/`: notes, each with its review schedule.

use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{Method, StatusCode};
use chrono::Utc;
use resee_core::jobs::{self, GenerateMcChoices};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, AuthUser};
use crate::i18n::t;
use crate::pagination::{Links, Page};
use crate::state::AppState;
use crate::store::categories;
use crate::store::contents::{self, Created, Editable, ListQuery, NewContent};
use crate::validation::{self, Errors};
use crate::views::{ContentView, Usage};

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

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    page: Option<i64>,
    /// 1–100 (default 15).
    page_size: Option<i64>,
    category: Option<i64>,
    category_slug: Option<String>,
    /// Case-insensitive, in title and body.
    search: Option<String>,
    /// `created_at`, `updated_at` or `title`, `-` for descending (default `-created_at`).
    ordering: Option<String>,
    is_ai_validated: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContentMeta {
    categories_in_page: Vec<String>,
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
#[utoipa::path(get, path = "/api/contents/", tag = "contents", security(("bearer" = [])), params(ListParams),
    responses(
        (status = 200, description = "One page of contents with plan usage", body = ContentPage),
        (status = 400, description = "Unknown ordering"),
        (status = 404, description = "Page out of range"),
    ))]
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(params): Query<ListParams>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ContentPage>> {
    let ordering = params.ordering.unwrap_or_else(|| "-created_at".into());
    if !["created_at", "updated_at", "title"].contains(&ordering.trim_start_matches('-')) {
        return Err(ApiError::field("ordering", t("정렬 기준이 올바르지 않습니다.", "Unknown ordering.")));
    }
    let query = ListQuery {
        category_id: params.category,
        category_slug: params.category_slug.filter(|s| !s.is_empty()),
        search_pattern: params.search.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).map(|s| like_pattern(&s)),
        is_ai_validated: params.is_ai_validated,
        ordering,
    };
    let page = Page::sized(params.page, params.page_size, 15, 100)?;
    let total = auth.content_count;
    let matching =
        if query.is_filtered() { contents::count_matching(&state.db, auth.user.id, &query).await? } else { total };
    page.check(matching)?;
    let rows = contents::list(&state.db, auth.user.id, &query, page.size, page.offset()).await?;
    let mut categories_in_page: Vec<String> = rows.iter().filter_map(|r| r.category_name.clone()).collect();
    categories_in_page.sort();
    categories_in_page.dedup();
    let base = format!("{}/api/contents/", state.config.common.public_url);
    let links = page.links(&base, raw.as_deref(), matching);
    let tier = auth.effective_tier(Utc::now());
    Ok(Json(ContentPage {
        count: matching,
        next: links.next.clone(),
        previous: links.previous.clone(),
        links,
        page_size: page.size,
        current_page: page.number,
        total_pages: page.total_pages(matching),
        content_meta: (!rows.is_empty()).then_some(ContentMeta { categories_in_page }),
        results: rows.into_iter().map(ContentView::from).collect(),
        usage: Usage::new(total, tier.content_limit(), tier),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContentInput {
    /// 1–30 characters.
    title: Option<String>,
    /// Markdown, 1–50 000 characters.
    content: Option<String>,
    /// A category id of your own, or null.
    #[serde(default, deserialize_with = "validation::present")]
    #[schema(value_type = Option<i64>)]
    category: Option<Option<i64>>,
    /// `objective` (default), `descriptive` or `multiple_choice`.
    review_mode: Option<String>,
}

/// Creation and PUT need both title and content.
fn required(input: &ContentInput) -> ApiResult<()> {
    let mut errors = Errors::default();
    for (field, missing) in [("title", input.title.is_none()), ("content", input.content.is_none())] {
        if missing {
            errors.add(field, t("이 필드는 필수 항목입니다.", "This field is required."));
        }
    }
    errors.into_result()
}

/// Applies `input` over `current` and checks the result.
async fn merged(state: &AppState, user_id: i64, current: Editable, input: ContentInput) -> ApiResult<Editable> {
    let mut errors = Errors::default();
    let title = input.title.map_or(current.title, |t| t.trim().to_owned());
    if title.is_empty() || title.chars().count() > 30 {
        errors.add("title", t("제목은 1자 이상 30자 이하여야 합니다.", "The title must be 1 to 30 characters long."));
    }
    let body = input.content.unwrap_or(current.body);
    let body_chars = body.chars().count();
    if body.trim().is_empty() || body_chars > 50_000 {
        errors.add(
            "content",
            t("내용은 1자 이상 50,000자 이하여야 합니다.", "The content must be 1 to 50,000 characters long."),
        );
    }
    let review_mode = input.review_mode.unwrap_or(current.review_mode);
    if !REVIEW_MODES.contains(&review_mode.as_str()) {
        errors.add(
            "review_mode",
            t(
                "objective, descriptive, multiple_choice 중 하나여야 합니다.",
                "Must be objective, descriptive or multiple_choice.",
            ),
        );
    } else if review_mode != "objective" && body_chars < AI_MODE_MIN_CHARS {
        errors.add(
            "content",
            t(
                &format!("이 복습 방식은 내용이 {AI_MODE_MIN_CHARS}자 이상이어야 합니다."),
                &format!("This review mode needs at least {AI_MODE_MIN_CHARS} characters of content."),
            ),
        );
    }
    let category_id = input.category.unwrap_or(current.category_id);
    if let Some(id) = category_id
        && categories::get(&state.db, user_id, id).await?.is_none()
    {
        errors.add("category", t("존재하지 않는 카테고리입니다.", "This category does not exist."));
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
    ApiJson(input): ApiJson<ContentInput>,
) -> ApiResult<(StatusCode, Json<ContentView>)> {
    required(&input)?;
    let empty =
        Editable { title: String::new(), body: String::new(), category_id: None, review_mode: "objective".into() };
    let fields = merged(&state, auth.user.id, empty, input).await?;
    let tier = auth.effective_tier(Utc::now());
    let new = NewContent {
        title: &fields.title,
        body: &fields.body,
        category_id: fields.category_id,
        review_mode: &fields.review_mode,
    };
    let id = match contents::create(&state.db, auth.user.id, &new, tier.content_limit().map(i64::from)).await? {
        Created::Id(id) => {
            resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
            id
        }
        Created::LimitReached => {
            return Err(super::categories::plan_limit(
                &Usage::new(auth.content_count, tier.content_limit(), tier),
                t("콘텐츠 개수 한도에 도달했습니다.", "You have reached your plan's content limit."),
            ));
        }
    };
    if fields.review_mode == "multiple_choice" {
        jobs::enqueue(&state.redis, &GenerateMcChoices { content_id: id }).await?;
    }
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One content.
#[utoipa::path(get, path = "/api/contents/{id}/", tag = "contents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 200, description = "The content", body = ContentView), (status = 404, description = "Not found (or not yours)")))]
async fn get_one(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i64>) -> ApiResult<Json<ContentView>> {
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
    method: Method,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContentInput>,
) -> ApiResult<Json<ContentView>> {
    if method == Method::PUT {
        required(&input)?;
    }
    let current = contents::editable(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    let (old_title, old_body, old_mode) = (current.title.clone(), current.body.clone(), current.review_mode.clone());
    let fields = merged(&state, auth.user.id, current, input).await?;
    let text_changed = fields.title != old_title || fields.body != old_body;
    let regenerate = fields.review_mode == "multiple_choice" && (text_changed || old_mode != "multiple_choice");
    let clear_choices = regenerate || fields.review_mode != "multiple_choice";
    if !contents::update(&state.db, auth.user.id, id, &fields, text_changed, clear_choices).await? {
        return Err(ApiError::not_found());
    }
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    if regenerate {
        jobs::enqueue(&state.redis, &GenerateMcChoices { content_id: id }).await?;
    }
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(row.into()))
}

/// Delete a content with its schedule and history.
#[utoipa::path(delete, path = "/api/contents/{id}/", tag = "contents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_one(State(state): State<AppState>, auth: AuthUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    if contents::delete(&state.db, auth.user.id, id).await? {
        resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ValidateInput {
    title: Option<String>,
    content: Option<String>,
}

/// api.md's `<ValidationResult>`: `is_valid`, the three criteria with `score` and `issues`,
/// `overall_feedback`, and `provider` (which AI answered).
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ValidationResult(Value);

fn too_short_for_ai() -> ApiError {
    ApiError::refused(t(
        &format!("AI 검증에는 {AI_MODE_MIN_CHARS}자 이상의 내용이 필요합니다."),
        &format!("AI validation needs at least {AI_MODE_MIN_CHARS} characters of content."),
    ))
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
    ApiJson(input): ApiJson<ValidateInput>,
) -> ApiResult<Json<ValidationResult>> {
    let title = input.title.as_deref().map(str::trim).unwrap_or_default();
    if title.is_empty() {
        return Err(ApiError::refused(t("제목이 필요합니다.", "A title is required.")));
    }
    let body = input.content.unwrap_or_default();
    if body.trim().chars().count() < AI_MODE_MIN_CHARS {
        return Err(too_short_for_ai());
    }
    if body.chars().count() > 50_000 {
        return Err(ApiError::refused(t(
            "내용은 50,000자 이하여야 합니다.",
            "The content must be at most 50,000 characters long.",
        )));
    }
    let validated = crate::ai::validate(&state, auth.user.id, None, title, &body).await;
    Ok(Json(ValidationResult(validated.validation.to_result(&validated.provider))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValidatedAndSaved {
    message: String,
    is_valid: bool,
    ai_validation_score: Option<f64>,
    validated_at: Option<chrono::DateTime<Utc>>,
    #[schema(value_type = Object)]
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
    Path(id): Path<i64>,
) -> ApiResult<Json<ValidatedAndSaved>> {
    let row = contents::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    if row.is_ai_validated {
        return Ok(Json(ValidatedAndSaved {
            message: t("이미 검증된 콘텐츠입니다.", "This content is already validated."),
            is_valid: true,
            ai_validation_score: row.ai_validation_score,
            validated_at: row.ai_validated_at,
            result: row.ai_validation_result,
        }));
    }
    if row.body.trim().chars().count() < AI_MODE_MIN_CHARS {
        return Err(too_short_for_ai());
    }
    let validated = crate::ai::validate(&state, auth.user.id, Some(id), &row.title, &row.body).await;
    let v = &validated.validation;
    let result = v.to_result(&validated.provider);
    let stored = contents::store_validation(
        &state.db,
        auth.user.id,
        id,
        &row.title,
        &row.body,
        v.is_valid(),
        v.score(),
        &result,
    )
    .await?
    .ok_or_else(|| ApiError::Refused {
        status: StatusCode::CONFLICT,
        message: t(
            "검증하는 동안 콘텐츠가 바뀌었습니다. 다시 시도하세요.",
            "The content changed while it was being validated; try again.",
        ),
        retry_after: None,
    })?;
    resee_core::learning_cache::invalidate(&state.redis, auth.user.id).await;
    let message = if v.is_valid() {
        t("AI 검증을 통과했습니다.", "The content passed the AI validation.")
    } else {
        t(
            "AI 검증을 통과하지 못했습니다. 지적된 내용을 확인하세요.",
            "The content did not pass the AI validation; see the issues.",
        )
    };
    Ok(Json(ValidatedAndSaved {
        message,
        is_valid: v.is_valid(),
        ai_validation_score: Some(v.score()),
        validated_at: Some(stored),
        result: Some(result),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_terms_match_literally() {
        assert_eq!(super::like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
