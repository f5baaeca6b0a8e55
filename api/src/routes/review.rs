//! `/api/review/*`: today's cards, completing a review, schedules, history and statistics.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound as _, TimeDelta, Utc};
use resee_core::learning_cache;
use resee_core::review::grading::{self, AiGrade, Answer, Evaluation, Feedback, MAX_COMPLETION_ATTEMPTS, Refusal};
use resee_core::review::{self, TodayWindow};
use resee_core::tiers::Tier;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::extract::{AuthUser, Id, Input, Params};
use crate::fields::{Bool, Choice, Fields, FromFields, Int, Pk, Text, messages};
use crate::messages::Msg;
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
    TodayWindow::new(review::zone(&auth.timezone), now, auth.effective_tier(now).max_interval_days())
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
            Some(s) if s < 0 => f.add("time_spent", Msg::TimeSpentNegative.text()),
            Some(s) if s > 86_400 => f.add("time_spent", Msg::TimeSpentOverADay.text()),
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
            "time_spent" if message == messages::invalid_integer() => Msg::TimeSpentNotInteger.text(),
            "result" if message != messages::null_characters() => Msg::ResultMustBeOneOf.text(),
            "notes" if message == messages::max_length(NOTES_MAX) => Msg::NotesTooLong(NOTES_MAX).text(),
            "descriptive_answer" if message == messages::max_length(ANSWER_MAX) => {
                Msg::DescriptiveAnswerTooLong(ANSWER_MAX).text()
            }
            // The range checks above already speak the original's words.
            "time_spent" => message,
            _ => format!("{field}: {message}"),
        };
        ApiError::refused(original)
    }
}

impl Completion {
    fn answer(&self) -> Answer<'_> {
        Answer {
            result: self.result.and_then(|r| r.parse().ok()),
            descriptive_answer: self.descriptive_answer.as_deref(),
            selected_choice: self.selected_choice.as_deref(),
        }
    }
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

impl AiEvaluation {
    fn new(e: Evaluation) -> Self {
        let feedback = match e.feedback {
            Feedback::Correct => Msg::Correct.text(),
            Feedback::AnswerIs(correct) => Msg::AnswerIs(correct).text(),
            Feedback::TooShort => Msg::AnswerTooShort.text(),
            Feedback::Ai(words) => words,
            Feedback::OwnResultUsed => Msg::OwnResultUsed.text(),
        };
        Self {
            score: e.score,
            feedback,
            auto_result: e.auto_result.code().into(),
            is_correct: e.is_correct,
            provider: e.provider,
        }
    }
}

/// A completion the card or the answer does not allow, in the original's words where it had
/// its own.
fn refused(refusal: Refusal) -> ApiError {
    let (status, message, retry_after) = match refusal {
        Refusal::Paused => (StatusCode::NOT_FOUND, Msg::ScheduleIsPaused.text(), None),
        Refusal::ChoicesNotReady => (StatusCode::CONFLICT, Msg::ChoicesNotReady.text(), Some(5)),
        Refusal::NoChoiceMade => (StatusCode::BAD_REQUEST, Msg::ChooseAnAnswer.text(), None),
        Refusal::NoAnswerWritten => (StatusCode::BAD_REQUEST, Msg::WriteAnAnswer.text(), None),
        Refusal::ResultRequired => (StatusCode::BAD_REQUEST, Msg::ResultRequired.text(), None),
        Refusal::AiFailedWithoutResult => (StatusCode::BAD_REQUEST, Msg::AiFailedSendResult.text(), None),
    };
    ApiError::Refused { status, message, retry_after }
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
    let answer = body.answer();
    // Optimistic concurrency: read the card, compute its next state, and write only if nobody
    // moved it meanwhile; otherwise read again. No row lock is held while grading (the AI may
    // take seconds), and a completion costs two statements.
    let mut graded = None;
    for _ in 0..MAX_COMPLETION_ATTEMPTS {
        // An unknown or foreign card is a 404 `{"detail"}` (DRF's lookup); a paused one `{"error"}`.
        let card = reviews::card(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)?;
        if graded.is_none() && card.is_active && grading::needs_ai(card.review_mode, &answer) {
            let written = answer.descriptive_answer.unwrap_or_default().trim();
            graded = crate::ai::grade(state, auth.user.id, card.content_id, written).await;
        }
        if let Some(completed) = try_record(state, auth, &card, body, &answer, graded.clone()).await? {
            learning_cache::invalidate(&state.redis, auth.user.id).await;
            return Ok(serde_json::to_value(completed).map_err(anyhow::Error::from)?);
        }
    }
    Err(ApiError::Refused { status: StatusCode::CONFLICT, message: Msg::CardBusy.text(), retry_after: Some(1) })
}

/// One attempt: grades the answer, moves the card on its ladder and writes both, unless the
/// card changed since it was read (`None`: read it again).
async fn try_record(
    state: &AppState,
    auth: &AuthUser,
    card: &reviews::Card,
    body: &Completion,
    answer: &Answer<'_>,
    graded: Option<AiGrade>,
) -> ApiResult<Option<Completed>> {
    // PostgreSQL keeps microseconds: compute with what will be stored, so the answer matches it.
    let now = Utc::now().trunc_subsecs(6);
    let reading = grading::Card {
        is_active: card.is_active,
        mode: card.review_mode,
        correct_choice: card.correct_choice(),
        state: card.state(),
    };
    let done = grading::complete(&reading, answer, graded, auth.effective_tier(now), now).map_err(refused)?;
    let interval_index = i32::try_from(done.after.interval_index).unwrap_or(0);
    let evaluation = done.evaluation.map(AiEvaluation::new);
    let review = Review {
        result: done.result,
        time_spent: body.time_spent,
        notes: body.notes.as_deref().unwrap_or_default(),
        descriptive_answer: body.descriptive_answer.as_deref().unwrap_or_default(),
        selected_choice: body.selected_choice.as_deref(),
        ai_score: evaluation.as_ref().and_then(|e| e.score),
        ai_feedback: evaluation.as_ref().map(|e| e.feedback.as_str()),
    };
    let next_review_date = done.after.next_review_date;
    if !reviews::record(&state.db, auth.user.id, card, &review, interval_index, next_review_date).await? {
        return Ok(None);
    }
    Ok(Some(Completed {
        message: Msg::ReviewRecorded.text(),
        next_review_date,
        interval_index,
        final_result: done.result.code().into(),
        ai_evaluation: evaluation,
    }))
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
    let zone = review::zone(&auth.timezone);
    let now = Utc::now();
    let today = review::local_date(zone, now);
    let first = today - TimeDelta::days(days - 1);
    let since = review::start_of_local_day(zone, first);
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
    let zone = review::zone(&auth.timezone);
    let today = review::local_date(zone, Utc::now());
    let end = today + TimeDelta::days(days);
    let rows =
        reviews::forecast(&state.db, auth.user.id, zone.name(), today, review::start_of_local_day(zone, end)).await?;
    let by_day: std::collections::HashMap<_, _> = rows.into_iter().collect();
    let days = today
        .iter_days()
        .take_while(|d| *d < end)
        .map(|date| ForecastDay { date, due: by_day.get(&date).copied().unwrap_or(0) })
        .collect();
    Ok(Json(Forecast { days }))
}
