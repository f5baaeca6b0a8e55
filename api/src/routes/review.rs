//! `/api/review/*`: today's cards, completing a review, schedules, history and statistics.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound as _, TimeDelta, Utc};
use resee_core::ai::MIN_ANSWER_CHARS;
use resee_core::learning_cache;
use resee_core::schedule::{self, ReviewResult, ScheduleState, TodayWindow};
use resee_core::tiers::Tier;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::extract::{AuthUser, Id, Input, Params};
use crate::fields::{Bool, Choice, Fields, FromFields, Int, Pk, Text, messages};
use crate::i18n::t;
use crate::pagination::{Links, Page, PageQuery};
use crate::state::AppState;
use crate::views::{ContentView, SizedJson};
use resee_core::store::reviews::{self, HistoryRow, Review, ScheduleRow};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(today))
        .routes(routes!(complete))
        .routes(routes!(list_schedules))
        .routes(routes!(get_schedule, patch_schedule, delete_schedule))
        .routes(routes!(list_history))
        .routes(routes!(get_history, delete_history))
        .routes(routes!(dashboard))
        .routes(routes!(category_stats))
        .routes(routes!(activity))
        .routes(routes!(forecast))
}

const PAGE_SIZE: i64 = 25;

/// How often a completion reads a card again after concurrent changes beat it to the write;
/// each round lets at least one of the contenders through.
const MAX_COMPLETION_ATTEMPTS: u32 = 20;

/// `<Schedule>`'s content summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleContent {
    id: i64,
    title: String,
    content: String,
    author: String,
    category_name: Option<String>,
    review_mode: String,
    #[schema(value_type = Option<Object>)]
    mc_choices: Option<Value>,
    is_ai_validated: bool,
    ai_validation_score: Option<f64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// `<Schedule>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    id: i64,
    content: ScheduleContent,
    /// The owner's email.
    user: String,
    next_review_date: DateTime<Utc>,
    interval_index: i32,
    is_active: bool,
    initial_review_completed: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ScheduleRow> for ScheduleView {
    fn from(r: ScheduleRow) -> Self {
        Self {
            id: r.id,
            content: ScheduleContent {
                id: r.content_id,
                title: r.title,
                content: r.body,
                author: r.user_email.clone(),
                category_name: r.category_name,
                review_mode: r.review_mode,
                mc_choices: r.mc_choices,
                is_ai_validated: r.is_ai_validated,
                ai_validation_score: r.ai_validation_score,
                created_at: r.content_created_at,
                updated_at: r.content_updated_at,
            },
            user: r.user_email,
            next_review_date: r.next_review_date,
            interval_index: r.interval_index,
            is_active: r.is_active,
            initial_review_completed: r.initial_review_completed,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The window of today's list in the user's time zone.
fn window(auth: &AuthUser, now: DateTime<Utc>) -> TodayWindow {
    TodayWindow::new(schedule::zone(&auth.timezone), now, auth.effective_tier(now).max_interval_days())
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TodayParams {
    category_slug: Option<String>,
}

impl FromFields for TodayParams {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { category_slug: f.optional("category_slug", Text::new()) })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TodayList {
    results: Vec<ScheduleView>,
    count: usize,
    total_count: i64,
    subscription_tier: String,
    max_interval_days: u32,
}

/// Cards to review today, in the user's time zone, soonest due first.
#[utoipa::path(get, path = "/api/review/schedules/today/", tag = "review", security(("bearer" = [])), params(TodayParams),
    responses((status = 200, description = "Today's cards", body = TodayList)))]
async fn today(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(params): Params<TodayParams>,
) -> ApiResult<Response> {
    let now = Utc::now();
    let window = window(&auth, now);
    let slug = params.category_slug.as_deref();
    let tier = auth.effective_tier(now);
    // The local day, the tier's window and the filter make the view.
    let view = format!("today:{}:{}:{}", window.today_start.timestamp(), tier.code(), slug.unwrap_or_default());
    cached(&state, auth.user.id, &view, || today_list(&state, &auth, &window, slug, tier)).await
}

async fn today_list(
    state: &AppState,
    auth: &AuthUser,
    window: &TodayWindow,
    slug: Option<&str>,
    tier: Tier,
) -> ApiResult<SizedJson<TodayList>> {
    let rows = reviews::today(&state.db, auth.user.id, window, slug).await?;
    let total_count = reviews::count_active(&state.db, auth.user.id, slug).await?;
    // A card is ~1 KB of note plus ~0.5 KB of fields.
    let size_hint = rows.iter().map(|r| r.body.len() + r.title.len() + 600).sum::<usize>() + 256;
    Ok(SizedJson(
        TodayList {
            count: rows.len(),
            results: rows.into_iter().map(ScheduleView::from).collect(),
            total_count,
            subscription_tier: tier.code().into(),
            max_interval_days: tier.max_interval_days(),
        },
        size_hint,
    ))
}

#[derive(Debug, ToSchema)]
pub struct Completion {
    /// Required for objective cards; for descriptive ones it counts when the AI grading fails.
    #[schema(value_type = Option<String>, pattern = "^(remembered|partial|forgot)$")]
    result: Option<&'static str>,
    /// Seconds, 0–86400.
    #[schema(minimum = 0, maximum = 86400)]
    time_spent: Option<i32>,
    #[schema(max_length = 5000)]
    notes: Option<String>,
    /// Required for descriptive cards.
    #[schema(max_length = 10000)]
    descriptive_answer: Option<String>,
    /// Required for multiple-choice cards: the chosen option's text.
    #[schema(max_length = 2000)]
    selected_choice: Option<String>,
}

const RESULTS: [&str; 3] = ["remembered", "partial", "forgot"];
const NOTES_MAX: usize = 5_000;
const ANSWER_MAX: usize = 10_000;

impl FromFields for Completion {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let time_spent = f.optional("time_spent", Int::<i32>::any());
        match time_spent {
            Some(s) if s < 0 => f.add("time_spent", "time_spent cannot be negative".into()),
            Some(s) if s > 86_400 => f.add("time_spent", "time_spent cannot exceed 24 hours (86400 seconds)".into()),
            _ => {}
        }
        Some(Self {
            result: f.optional("result", Choice(&RESULTS)),
            time_spent,
            notes: f.optional("notes", Text::new().blank_allowed().max(NOTES_MAX)),
            descriptive_answer: f.optional("descriptive_answer", Text::new().blank_allowed().max(ANSWER_MAX)),
            selected_choice: f.optional("selected_choice", Text::new().blank_allowed().max(2_000)),
        })
    }

    /// A completion's bad body is `{"error": "..."}` (docs/API.md), in the original's words
    /// where it had its own.
    fn reject(errors: FieldErrors) -> ApiError {
        let Some((field, message)) =
            errors.iter().find_map(|(field, problems)| problems.first().map(|m| (field.as_str(), m.clone())))
        else {
            return ApiError::refused_fields(&errors);
        };
        let original = match field {
            "time_spent" if message == messages::invalid_integer() => {
                "time_spent must be a valid integer (seconds)".to_owned()
            }
            "result" if message != messages::null_characters() => result_must_be_one_of(),
            "notes" if message == messages::max_length(NOTES_MAX) => {
                format!("notes cannot exceed {NOTES_MAX} characters")
            }
            "descriptive_answer" if message == messages::max_length(ANSWER_MAX) => {
                format!("descriptive_answer cannot exceed {ANSWER_MAX} characters")
            }
            // The range checks above already speak the original's words.
            "time_spent" => message,
            _ => format!("{field}: {message}"),
        };
        ApiError::refused(original)
    }
}

fn result_must_be_one_of() -> String {
    "result must be one of: remembered, partial, forgot".to_owned()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AiEvaluation {
    score: Option<f64>,
    feedback: String,
    auto_result: String,
    is_correct: Option<bool>,
    /// The AI provider that graded the answer (`offline`, `anthropic`, `openai`).
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Completed {
    message: String,
    next_review_date: DateTime<Utc>,
    interval_index: i32,
    final_result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ai_evaluation: Option<AiEvaluation>,
}

/// Whether a written answer is long enough to be graded by the AI.
fn needs_ai(mode: &str, body: &Completion) -> bool {
    mode == "descriptive"
        && body.descriptive_answer.as_deref().unwrap_or_default().trim().chars().count() >= MIN_ANSWER_CHARS
}

/// The result a completion stands for, by review mode (domain.md → Scheduling). `written` is
/// the AI's grade of a descriptive answer (`None`: the AI failed or was not asked).
fn grade(
    mode: &str,
    mc_choices: Option<&Value>,
    body: &Completion,
    written: Option<crate::ai::Graded>,
) -> ApiResult<(ReviewResult, Option<AiEvaluation>)> {
    let client_result = || -> ApiResult<ReviewResult> {
        let raw = body.result.ok_or_else(|| ApiError::refused("result is required for objective mode"))?;
        raw.parse().map_err(|_| ApiError::refused(result_must_be_one_of()))
    };
    match mode {
        "multiple_choice" => {
            let correct = mc_choices.and_then(|c| c["correct_answer"].as_str()).ok_or_else(|| ApiError::Refused {
                status: StatusCode::CONFLICT,
                message: t(
                    "객관식 보기를 아직 만드는 중입니다. 잠시 후 다시 시도하세요.",
                    "The multiple-choice options are still being generated; try again in a moment.",
                ),
                retry_after: Some(5),
            })?;
            let selected = body.selected_choice.as_deref().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                ApiError::refused(t(
                    "객관식 모드에서는 답변을 선택해야 합니다.",
                    "Choose an answer: this card is multiple choice.",
                ))
            })?;
            let is_correct = selected.trim() == correct.trim();
            let result = if is_correct { ReviewResult::Remembered } else { ReviewResult::Forgot };
            let feedback = if is_correct {
                t("정답입니다.", "Correct.")
            } else {
                t(&format!("정답은 \"{correct}\" 입니다."), &format!("The answer is \"{correct}\"."))
            };
            Ok((
                result,
                Some(AiEvaluation {
                    score: Some(if is_correct { 100.0 } else { 0.0 }),
                    feedback,
                    auto_result: result.code().into(),
                    is_correct: Some(is_correct),
                    provider: None,
                }),
            ))
        }
        "descriptive" if body.descriptive_answer.as_deref().is_none_or(|a| a.trim().is_empty()) => {
            Err(ApiError::refused(t(
                "서술형 모드에서는 답변을 작성해야 합니다.",
                "Write an answer: this card is graded on a written answer.",
            )))
        }
        "descriptive" if !needs_ai(mode, body) => {
            let evaluation = AiEvaluation {
                score: Some(0.0),
                feedback: t("답변이 너무 짧아 0점으로 처리했습니다.", "The answer is too short to grade; it scores 0."),
                auto_result: ReviewResult::Forgot.code().into(),
                is_correct: Some(false),
                provider: None,
            };
            Ok((ReviewResult::Forgot, Some(evaluation)))
        }
        "descriptive" => match written {
            Some(graded) => {
                let result = ReviewResult::from_score(graded.grade.score);
                let evaluation = AiEvaluation {
                    score: Some(graded.grade.score),
                    feedback: graded.grade.feedback,
                    auto_result: result.code().into(),
                    is_correct: Some(result == ReviewResult::Remembered),
                    provider: Some(graded.provider),
                };
                Ok((result, Some(evaluation)))
            }
            // The AI failed: the learner's own judgement counts, and without one there is nothing to record.
            None => {
                let result = client_result().map_err(|_| {
                    ApiError::refused(t(
                        "AI 채점에 실패했습니다. result 값(remembered, partial, forgot)을 보내 주세요.",
                        "AI grading failed; send your own result (remembered, partial or forgot).",
                    ))
                })?;
                let evaluation = AiEvaluation {
                    score: None,
                    feedback: t(
                        "AI 채점을 할 수 없어 직접 고른 결과를 사용했습니다.",
                        "AI grading was not available, so your own assessment was used.",
                    ),
                    auto_result: result.code().into(),
                    is_correct: None,
                    provider: None,
                };
                Ok((result, Some(evaluation)))
            }
        },
        _ => Ok((client_result()?, None)),
    }
}

/// Record a review of one card and move it on its ladder.
#[utoipa::path(post, path = "/api/review/schedules/{id}/completions/", tag = "review", security(("bearer" = [])), request_body = Completion,
    params(("id" = i64, Path, description = "Schedule id"), ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result (24 h)")),
    responses(
        (status = 200, description = "Recorded", body = Completed),
        (status = 400, description = "`{\"error\"}`: missing or invalid result, time_spent or choice"),
        (status = 404, description = "`{\"detail\"}`: no such card (or not yours); `{\"error\"}`: it is paused"),
        (status = 409, description = "`{\"error\"}`: multiple-choice options not generated yet, or the same Idempotency-Key is in flight"),
    ))]
async fn complete(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    headers: HeaderMap,
    Input(body): Input<Completion>,
) -> ApiResult<Json<Value>> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).filter(|k| !k.is_empty() && k.len() <= 200);
    let Some(key) = key else { return Ok(Json(record_completion(&state, &auth, id, &body).await?)) };
    crate::idempotency::once(&state.redis, auth.user.id, key, || record_completion(&state, &auth, id, &body))
        .await
        .map(Json)
}

async fn record_completion(state: &AppState, auth: &AuthUser, id: i64, body: &Completion) -> ApiResult<Value> {
    // Optimistic concurrency: read the card, compute its next state, and write only if nobody
    // moved it meanwhile; otherwise read again. No row lock is held while grading (the AI may
    // take seconds), and a completion costs two statements.
    let mut written = None;
    let mut attempts = 0;
    let (result, evaluation, interval_index, after) = loop {
        attempts += 1;
        // An unknown or foreign card is a 404 `{"detail"}` (DRF's lookup); a paused one `{"error"}`.
        let card = reviews::card(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
        if !card.is_active {
            return Err(ApiError::Refused {
                status: StatusCode::NOT_FOUND,
                message: t("일시 중지된 복습 일정입니다.", "This review schedule is paused."),
                retry_after: None,
            });
        }
        if written.is_none() && needs_ai(&card.review_mode, body) {
            let answer = body.descriptive_answer.as_deref().unwrap_or_default().trim();
            written = crate::ai::grade(state, auth.user.id, card.content_id, answer).await;
        }
        // PostgreSQL keeps microseconds: compute with what will be stored, so the answer matches it.
        let now = Utc::now().trunc_subsecs(6);
        let (result, evaluation) = grade(&card.review_mode, card.mc_choices.as_ref(), body, written.clone())?;
        let tier = auth.effective_tier(now);
        let before = ScheduleState {
            interval_index: usize::try_from(card.interval_index).unwrap_or(0),
            next_review_date: card.next_review_date,
            initial_review_completed: card.initial_review_completed,
        };
        let after = schedule::complete(before, result, tier, now);
        let interval_index = i32::try_from(after.interval_index).unwrap_or(0);
        let review = Review {
            result: result.code(),
            time_spent: body.time_spent,
            notes: body.notes.as_deref().unwrap_or_default(),
            descriptive_answer: body.descriptive_answer.as_deref().unwrap_or_default(),
            selected_choice: body.selected_choice.as_deref(),
            ai_score: evaluation.as_ref().and_then(|e| e.score),
            ai_feedback: evaluation.as_ref().map(|e| e.feedback.as_str()),
        };
        if reviews::record(&state.db, auth.user.id, &card, &review, interval_index, after.next_review_date).await? {
            break (result, evaluation, interval_index, after);
        }
        if attempts >= MAX_COMPLETION_ATTEMPTS {
            return Err(ApiError::Refused {
                status: StatusCode::CONFLICT,
                message: t(
                    "다른 요청이 이 카드를 동시에 변경하고 있습니다. 다시 시도해 주세요.",
                    "Other requests keep changing this card; try again.",
                ),
                retry_after: Some(1),
            });
        }
    };
    learning_cache::invalidate(&state.redis, auth.user.id).await;
    let completed = Completed {
        message: t("복습을 기록했습니다.", "Review recorded."),
        next_review_date: after.next_review_date,
        interval_index,
        final_result: result.code().into(),
        ai_evaluation: evaluation,
    };
    Ok(serde_json::to_value(completed).map_err(anyhow::Error::from)?)
}

/// What the original computed about a page: the items in it, and a completion rate and count that
/// were always 0 there (kept, with those values, for its clients).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewMeta {
    completion_rate: f64,
    total_reviews_in_page: usize,
    completed_reviews_in_page: usize,
}

/// The envelope of the schedules and history lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewPage<T: ToSchema> {
    count: i64,
    next: Option<String>,
    previous: Option<String>,
    links: Links,
    page_size: i64,
    current_page: i64,
    total_pages: i64,
    results: Vec<T>,
    /// Only on a page with items.
    #[serde(skip_serializing_if = "Option::is_none")]
    review_meta: Option<ReviewMeta>,
}

impl<T: ToSchema> ReviewPage<T> {
    fn new(page: Page, count: i64, links: Links, results: Vec<T>) -> Self {
        let review_meta = (!results.is_empty()).then_some(ReviewMeta {
            completion_rate: 0.0,
            total_reviews_in_page: results.len(),
            completed_reviews_in_page: 0,
        });
        Self {
            count,
            next: links.next.clone(),
            previous: links.previous.clone(),
            links,
            page_size: page.size,
            current_page: page.number,
            total_pages: page.total_pages(count),
            results,
            review_meta,
        }
    }
}

/// All of the user's schedules, 25 a page, soonest due first.
#[utoipa::path(get, path = "/api/review/schedules/", tag = "review", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "One page", body = ReviewPage<ScheduleView>), (status = 404, description = "`{\"detail\": \"Invalid page.\"}`")))]
async fn list_schedules(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(query): Params<PageQuery>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ReviewPage<ScheduleView>>> {
    let page = Page::sized(&query, PAGE_SIZE, 100)?;
    let count = reviews::count_schedules(&state.db, auth.user.id).await?;
    page.check(count)?;
    let rows = reviews::schedules(&state.db, auth.user.id, page.size, page.offset()).await?;
    let links = page.links(&format!("{}/api/review/schedules/", state.config.common.public_url), raw.as_deref(), count);
    Ok(Json(ReviewPage::new(page, count, links, rows.into_iter().map(ScheduleView::from).collect())))
}

/// One schedule.
#[utoipa::path(get, path = "/api/review/schedules/{id}/", tag = "review", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Schedule id")),
    responses((status = 200, description = "The schedule", body = ScheduleView), (status = 404, description = "Not found (or not yours)")))]
async fn get_schedule(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<ScheduleView>> {
    let row = reviews::schedule(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(row.into()))
}

#[derive(Debug, ToSchema)]
pub struct SchedulePatch {
    /// false pauses the card, true resumes it; left out, nothing changes.
    is_active: Option<bool>,
}

impl FromFields for SchedulePatch {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { is_active: f.optional("is_active", Bool) })
    }
}

/// Pause or resume one card.
#[utoipa::path(patch, path = "/api/review/schedules/{id}/", tag = "review", security(("bearer" = [])), request_body = SchedulePatch,
    params(("id" = i64, Path, description = "Schedule id")),
    responses((status = 200, description = "The schedule", body = ScheduleView), (status = 400, description = "Field errors"), (status = 404, description = "Not found (or not yours)")))]
async fn patch_schedule(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    Input(body): Input<SchedulePatch>,
) -> ApiResult<Json<ScheduleView>> {
    if let Some(is_active) = body.is_active {
        if !reviews::set_active(&state.db, auth.user.id, id, is_active).await? {
            return Err(ApiError::not_found());
        }
        learning_cache::invalidate(&state.redis, auth.user.id).await;
    }
    get_schedule(State(state), auth, Id(id)).await
}

/// Delete one schedule, as the original allowed: the note and its history stay, and the note is
/// not reviewed any more (pausing with PATCH `is_active` is the reversible way).
#[utoipa::path(delete, path = "/api/review/schedules/{id}/", tag = "review", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Schedule id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_schedule(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<StatusCode> {
    if !reviews::delete_schedule(&state.db, auth.user.id, id).await? {
        return Err(ApiError::not_found());
    }
    learning_cache::invalidate(&state.redis, auth.user.id).await;
    Ok(StatusCode::NO_CONTENT)
}

/// `<History>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    id: i64,
    content: ContentView,
    user: String,
    review_date: DateTime<Utc>,
    result: String,
    /// Seconds; 0 when the review did not say (as the original stored it).
    time_spent: i32,
    notes: String,
    descriptive_answer: String,
    ai_score: Option<f64>,
    ai_feedback: Option<String>,
}

impl From<HistoryRow> for HistoryView {
    fn from(h: HistoryRow) -> Self {
        Self {
            id: h.id,
            content: h.content.into(),
            user: h.user_email,
            review_date: h.review_date,
            result: h.result,
            time_spent: h.time_spent.unwrap_or(0),
            notes: h.notes,
            descriptive_answer: h.descriptive_answer,
            ai_score: h.ai_score,
            ai_feedback: h.ai_feedback,
        }
    }
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// Documented by `PageQuery`.
    #[param(ignore)]
    page: PageQuery,
    /// Only this content's reviews.
    content: Option<i64>,
}

impl FromFields for HistoryParams {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { page: PageQuery::read(f), content: f.optional("content", Pk) })
    }
}

/// The user's reviews, newest first.
#[utoipa::path(get, path = "/api/review/history/", tag = "review", security(("bearer" = [])), params(PageQuery, HistoryParams),
    responses((status = 200, description = "One page", body = ReviewPage<HistoryView>), (status = 404, description = "`{\"detail\": \"Invalid page.\"}`")))]
async fn list_history(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(params): Params<HistoryParams>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ReviewPage<HistoryView>>> {
    let page = Page::sized(&params.page, PAGE_SIZE, 100)?;
    let count = reviews::count_history(&state.db, auth.user.id, params.content).await?;
    page.check(count)?;
    let rows = reviews::history(&state.db, auth.user.id, params.content, None, page.size, page.offset()).await?;
    let links = page.links(&format!("{}/api/review/history/", state.config.common.public_url), raw.as_deref(), count);
    Ok(Json(ReviewPage::new(page, count, links, rows.into_iter().map(HistoryView::from).collect())))
}

/// One review.
#[utoipa::path(get, path = "/api/review/history/{id}/", tag = "review", security(("bearer" = [])),
    params(("id" = i64, Path, description = "History id")),
    responses((status = 200, description = "The review", body = HistoryView), (status = 404, description = "Not found (or not yours)")))]
async fn get_history(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<HistoryView>> {
    let row = reviews::history(&state.db, auth.user.id, None, Some(id), 1, 0)
        .await?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(row.into()))
}

/// Delete one review from the history; the card's schedule stays where it is.
#[utoipa::path(delete, path = "/api/review/history/{id}/", tag = "review", security(("bearer" = [])),
    params(("id" = i64, Path, description = "History id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_history(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<StatusCode> {
    if !reviews::delete_history(&state.db, auth.user.id, id).await? {
        return Err(ApiError::not_found());
    }
    learning_cache::invalidate(&state.redis, auth.user.id).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardView {
    today_reviews: i64,
    pending_reviews: i64,
    total_content: i64,
    /// Percent of the last 30 days' reviews that were remembered (1 decimal).
    success_rate: f64,
    total_reviews_30_days: i64,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Headline numbers for the dashboard.
#[utoipa::path(get, path = "/api/review/dashboard/", tag = "review", security(("bearer" = [])),
    responses((status = 200, description = "The numbers", body = DashboardView)))]
async fn dashboard(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Response> {
    let now = Utc::now();
    let window = window(&auth, now);
    let view = format!("dashboard:{}:{}", window.today_start.timestamp(), auth.effective_tier(now).code());
    cached(&state, auth.user.id, &view, || dashboard_numbers(&state, &auth, &window, now)).await
}

/// A view from the per-user cache (`resee_core::learning_cache`), else made by `make` and
/// cached. Without Redis (and until the cache epoch moved after an outage) the view is made every
/// time.
async fn cached<T, F, Fut>(state: &AppState, user_id: i64, view: &str, make: F) -> ApiResult<Response>
where
    T: IntoResponse,
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    if !state.redis_watch.cache_usable(&state.redis) {
        return Ok(make().await?.into_response());
    }
    let generation = match learning_cache::lookup(&state.redis, user_id, view).await {
        Ok(learning_cache::Lookup::Hit(body)) => {
            return Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response());
        }
        Ok(learning_cache::Lookup::Miss { generation }) => Some(generation),
        Err(e) => {
            tracing::warn!(error = %e, "the review view cache is unavailable");
            None
        }
    };
    let response = make().await?.into_response();
    let Some(generation) = generation.filter(|_| response.status() == StatusCode::OK) else {
        return Ok(response);
    };
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|e| ApiError::Internal(e.into()))?;
    if let Err(e) = learning_cache::store(&state.redis, user_id, &generation, view, &bytes).await {
        tracing::warn!(error = %e, "cannot cache a review view");
    }
    Ok(Response::from_parts(parts, axum::body::Body::from(bytes)))
}

async fn dashboard_numbers(
    state: &AppState,
    auth: &AuthUser,
    window: &TodayWindow,
    now: DateTime<Utc>,
) -> ApiResult<Json<DashboardView>> {
    let d = reviews::dashboard(&state.db, auth.user.id, window, now - TimeDelta::days(30)).await?;
    let success_rate = if d.reviews_30_days > 0 {
        one_decimal(100.0 * d.remembered_30_days as f64 / d.reviews_30_days as f64)
    } else {
        0.0
    };
    Ok(Json(DashboardView {
        today_reviews: d.today_reviews,
        pending_reviews: d.pending_reviews,
        total_content: auth.content_count,
        success_rate,
        total_reviews_30_days: d.reviews_30_days,
    }))
}

/// Statistics per category (keyed by slug).
#[utoipa::path(get, path = "/api/review/category-stats/", tag = "review", security(("bearer" = [])),
    responses((status = 200, description = "`{\"<slug>\": {\"category\", \"today_reviews\", \"total_content\", \"success_rate\", \"total_reviews_30_days\"}}`")))]
async fn category_stats(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Value>> {
    let now = Utc::now();
    let window = window(&auth, now);
    let rows = reviews::category_stats(&state.db, auth.user.id, &window, now - TimeDelta::days(30)).await?;
    let stats: serde_json::Map<String, Value> = rows
        .into_iter()
        .map(|r| {
            let value = json!({
                "category": r.name,
                "today_reviews": r.today_reviews,
                "total_content": r.total_content,
                "success_rate": one_decimal(r.success_rate.unwrap_or(0.0)),
                "total_reviews_30_days": r.reviews_30_days,
            });
            (r.slug, value)
        })
        .collect();
    Ok(Json(Value::Object(stats)))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysParams {
    /// How many days (activity: 1–366, default 365; forecast: 1–366, default 30; larger
    /// numbers are capped).
    days: Option<i64>,
}

impl FromFields for DaysParams {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { days: f.optional("days", Int::any()) })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityDay {
    date: chrono::NaiveDate,
    reviews: i64,
    remembered: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    /// Every day of the range, oldest first (zeros included).
    days: Vec<ActivityDay>,
    /// Consecutive days with a review, ending today (or yesterday while today has none).
    streak: u32,
    longest_streak: u32,
    weekly_goal: i32,
    /// Reviews since Monday.
    this_week: i64,
}

/// Reviews per local day (for a heatmap), streaks and this week's progress.
#[utoipa::path(get, path = "/api/review/activity/", tag = "review", security(("bearer" = [])), params(DaysParams),
    responses((status = 200, description = "Activity in the user's time zone", body = Activity)))]
async fn activity(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(params): Params<DaysParams>,
) -> ApiResult<Json<Activity>> {
    let days = params.days.unwrap_or(365).clamp(1, 366);
    let zone = schedule::zone(&auth.timezone);
    let now = Utc::now();
    let today = schedule::local_date(zone, now);
    let first = today - TimeDelta::days(days - 1);
    let since = schedule::start_of_local_day(zone, first);
    let rows = reviews::activity(&state.db, auth.user.id, zone.name(), since).await?;
    let active: Vec<chrono::NaiveDate> = rows.iter().filter(|(_, n, _)| *n > 0).map(|(d, _, _)| *d).collect();
    let (streak, longest_streak) = crate::activity::streaks(&active, today);
    let monday = today - TimeDelta::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let this_week = rows.iter().filter(|(d, _, _)| *d >= monday).map(|(_, n, _)| n).sum();
    let mut by_day = rows.into_iter().map(|(d, n, r)| (d, (n, r))).collect::<std::collections::HashMap<_, _>>();
    let days = first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|date| {
            let (reviews, remembered) = by_day.remove(&date).unwrap_or((0, 0));
            ActivityDay { date, reviews, remembered }
        })
        .collect();
    Ok(Json(Activity { days, streak, longest_streak, weekly_goal: auth.user.weekly_goal, this_week }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastDay {
    date: chrono::NaiveDate,
    due: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Forecast {
    /// Today first; overdue and never-reviewed cards count on today.
    days: Vec<ForecastDay>,
}

/// Active cards falling due per local day.
#[utoipa::path(get, path = "/api/review/forecast/", tag = "review", security(("bearer" = [])), params(DaysParams),
    responses((status = 200, description = "Due cards per day", body = Forecast)))]
async fn forecast(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(params): Params<DaysParams>,
) -> ApiResult<Json<Forecast>> {
    let days = params.days.unwrap_or(30).clamp(1, 366);
    let zone = schedule::zone(&auth.timezone);
    let today = schedule::local_date(zone, Utc::now());
    let end = today + TimeDelta::days(days);
    let rows =
        reviews::forecast(&state.db, auth.user.id, zone.name(), today, schedule::start_of_local_day(zone, end)).await?;
    let by_day: std::collections::HashMap<_, _> = rows.into_iter().collect();
    let days = today
        .iter_days()
        .take_while(|d| *d < end)
        .map(|date| ForecastDay { date, due: by_day.get(&date).copied().unwrap_or(0) })
        .collect();
    Ok(Json(Forecast { days }))
}
