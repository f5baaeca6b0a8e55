//! `/api/exams/*`: weekly exams. Creation answers at once with a `preparing` exam; the
//! `generate_exam` job writes its questions and makes it `pending`. Correct answers and
//! explanations are shown only once the exam is completed.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike as _, TimeDelta, Utc};
use resee_core::exam::{Refusal, Start};
use resee_core::jobs::GenerateExam;
use resee_core::outbox;
use resee_core::review;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Id, Input, Params};
use crate::fields::{Fields, FromFields, Pk, PkList, Text, Timestamp};
use crate::messages::Msg;
use crate::pagination::{Page, PageQuery, Paginated};
use crate::state::AppState;
use crate::validation::Errors;
use crate::views::ContentView;
use resee_core::store::contents;
use resee_core::store::exams::{self, AnswerRow, ExamRow, NewExam, QuestionRow};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, rename, delete_one))
        .routes(routes!(start_session))
        .routes(routes!(answer_in_session))
        .routes(routes!(complete_session))
        .routes(routes!(session_results))
        .routes(routes!(start_alias))
        .routes(routes!(submit_answer_alias))
        .routes(routes!(complete_alias))
        .routes(routes!(results_alias))
}

/// An exam needs this many contents at least, and takes this many at most.
const MIN_CONTENTS: usize = 7;
const MAX_CONTENTS: usize = 10;

/// `<Question>`; `correct_answer` and `explanation` only once the exam is completed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionView {
    id: i64,
    /// `multiple_choice` or `true_false` (answered `O` or `X`).
    question_type: String,
    question_text: String,
    /// Four options (multiple choice), else null.
    choices: Option<Vec<String>>,
    order: i32,
    points: i32,
    /// The note the question is about (null once that note is deleted).
    content: Option<ContentView>,
    created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correct_answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
    /// The note's title (in results).
    #[serde(skip_serializing_if = "Option::is_none")]
    content_title: Option<String>,
}

/// `<Test>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestView {
    id: i64,
    title: String,
    description: String,
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
    /// `preparing`, `pending`, `in_progress` or `completed`.
    status: String,
    total_questions: i32,
    correct_answers: i32,
    /// Null until the exam is completed.
    score_percentage: Option<f64>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    /// `HH:MM:SS.ffffff`, once completed.
    time_spent: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    questions: Vec<QuestionView>,
}

/// One exam in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamSummary {
    id: i64,
    title: String,
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
    status: String,
    total_questions: i32,
    correct_answers: i32,
    /// Null until the exam is completed.
    score_percentage: Option<f64>,
    created_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

impl From<ExamRow> for ExamSummary {
    fn from(e: ExamRow) -> Self {
        let score_percentage = score(&e);
        Self {
            id: e.id,
            title: e.title,
            start_date: e.start_date,
            end_date: e.end_date,
            status: e.status.code().to_owned(),
            total_questions: e.total_questions,
            correct_answers: e.correct_answers,
            score_percentage,
            created_at: e.created_at,
            completed_at: e.completed_at,
        }
    }
}

/// The score, once there is one (the original's clients show a 0 as "0 points").
fn score(exam: &ExamRow) -> Option<f64> {
    exam.status.reveals_answers().then_some(exam.score_percentage)
}

/// A duration as Django wrote it: `HH:MM:SS.ffffff` (hours may pass 24).
fn duration_string(micros: i64) -> String {
    let micros = micros.max(0);
    let (secs, frac) = (micros / 1_000_000, micros % 1_000_000);
    format!("{:02}:{:02}:{:02}.{frac:06}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// An exam that is not the user's reads as one that does not exist.
fn not_found_message() -> String {
    Msg::ExamNotFound.text()
}

fn not_in_progress_message() -> String {
    Msg::ExamNotInProgress.text()
}

/// 404 `{"error"}`: the session routes' answer for an exam that is not the user's.
fn exam_not_found() -> ApiError {
    ApiError::Refused { status: StatusCode::NOT_FOUND, message: not_found_message(), retry_after: None }
}

/// An exam step the exam's status does not allow, as the session routes answer it.
fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::StillPreparing => ApiError::Refused {
            status: StatusCode::CONFLICT,
            message: Msg::ExamQuestionsPreparing.text(),
            retry_after: Some(5),
        },
        Refusal::AlreadyCompleted => ApiError::refused(Msg::ExamAlreadyCompleted),
        Refusal::NotInProgress => ApiError::refused(Msg::ExamNotInProgress),
        Refusal::NotCompleted => ApiError::refused(Msg::ExamNotCompleted),
    }
}

impl QuestionView {
    /// A question with its note; the answer and its explanation only when `reveal`.
    fn new(q: QuestionRow, notes: &HashMap<i64, ContentView>, reveal: bool) -> Self {
        Self {
            id: q.id,
            question_type: q.question_type,
            question_text: q.question_text,
            choices: q.choices.and_then(|c| serde_json::from_value(c).ok()),
            order: q.order,
            points: q.points,
            content: q.content_id.and_then(|id| notes.get(&id).cloned()),
            content_title: None,
            created_at: q.created_at,
            correct_answer: reveal.then_some(q.correct_answer),
            explanation: reveal.then_some(q.explanation),
        }
    }
}

/// The whole `<Test>`: its questions, each with its content.
async fn test_view(state: &AppState, auth: &AuthUser, exam: ExamRow) -> ApiResult<TestView> {
    let questions = exams::questions(&state.db, exam.id).await?;
    let ids: Vec<i64> = questions.iter().filter_map(|q| q.content_id).collect();
    let notes: HashMap<i64, ContentView> = contents::by_ids(&state.db, auth.user.id, &ids)
        .await?
        .into_iter()
        .map(|row| (row.id, ContentView::from(row)))
        .collect();
    let reveal = exam.status.reveals_answers();
    let questions = questions.into_iter().map(|q| QuestionView::new(q, &notes, reveal)).collect();
    let score_percentage = score(&exam);
    Ok(TestView {
        id: exam.id,
        title: exam.title,
        description: exam.description,
        start_date: exam.start_date,
        end_date: exam.end_date,
        status: exam.status.code().to_owned(),
        total_questions: exam.total_questions,
        correct_answers: exam.correct_answers,
        score_percentage,
        started_at: exam.started_at,
        completed_at: exam.completed_at,
        time_spent: exam.time_spent_us.map(duration_string),
        created_at: exam.created_at,
        updated_at: exam.updated_at,
        questions,
    })
}

/// The user's exams, newest first.
#[utoipa::path(get, path = "/api/exams/", tag = "exams", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "One page of exams", body = Paginated<ExamSummary>), (status = 404, description = "Page out of range")))]
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Params(query): Params<PageQuery>,
) -> ApiResult<Json<Paginated<ExamSummary>>> {
    let page = Page::new(&query, 20)?;
    let count = exams::count(&state.db, auth.user.id).await?;
    page.check(count)?;
    let rows = exams::list(&state.db, auth.user.id, page.size, page.offset()).await?;
    let base = format!("{}/api/exams/", state.config.common.public_url);
    Ok(Json(page.envelope(&base, count, rows.into_iter().map(ExamSummary::from).collect())?))
}

#[derive(Debug, ToSchema)]
pub struct NewExamInput {
    /// 7–10 distinct ids of your AI-validated contents; empty or absent: picked for you,
    /// balanced by difficulty.
    #[schema(max_items = 10)]
    content_ids: Option<Vec<i64>>,
    /// Up to 200 characters (default: "Weekly exam" with the week).
    #[schema(max_length = 200)]
    title: Option<String>,
    /// Up to 2 000 characters.
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// Default: now. Without an offset: Seoul time.
    start_date: Option<DateTime<Utc>>,
    /// Default: a week after the start.
    end_date: Option<DateTime<Utc>>,
}

impl FromFields for NewExamInput {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self {
            content_ids: f.optional("content_ids", PkList),
            title: f.optional("title", Text::new().max(200).blank_allowed()),
            description: f.optional("description", Text::new().max(2000).blank_allowed()),
            start_date: f.optional("start_date", Timestamp),
            end_date: f.optional("end_date", Timestamp),
        })
    }
}

/// Checks chosen content ids: 7–10, distinct, the user's own and AI-validated.
async fn check_content_ids(state: &AppState, user_id: i64, ids: &[i64], errors: &mut Errors) -> ApiResult<()> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != ids.len() {
        errors.add("content_ids", Msg::ContentChosenTwice.text());
        return Ok(());
    }
    if !(MIN_CONTENTS..=MAX_CONTENTS).contains(&ids.len()) {
        errors.add("content_ids", Msg::ChooseContents { min: MIN_CONTENTS, max: MAX_CONTENTS }.text());
        return Ok(());
    }
    let owned = exams::owned_contents(&state.db, user_id, ids).await?;
    if owned.len() != ids.len() {
        errors.add("content_ids", Msg::ChosenContentMissing.text());
    } else if owned.iter().any(|(_, validated)| !validated) {
        errors.add("content_ids", Msg::OnlyValidatedContents.text());
    }
    Ok(())
}

/// Create this week's exam (one per calendar week in your timezone).
#[utoipa::path(post, path = "/api/exams/", tag = "exams", security(("bearer" = [])), request_body = NewExamInput,
    responses(
        (status = 201, description = "Created in `preparing`; a job writes the questions and makes it `pending`", body = TestView),
        (status = 400, description = "Field errors; `{\"error\"}` when too few contents are validated; `{\"detail\"}` when this week's exam exists"),
    ))]
async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(input): Input<NewExamInput>,
) -> ApiResult<(StatusCode, Json<TestView>)> {
    let now = Utc::now();
    let checked = check(&state, &auth, input, now).await?;
    let week_start = {
        let today = review::local_date(review::zone(&auth.timezone), now);
        today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()))
    };
    let default_title = Msg::WeeklyExamTitle(week_start.to_string()).text();
    let new = NewExam {
        title: checked.title.as_deref().unwrap_or(&default_title),
        description: &checked.description,
        content_ids: &checked.content_ids,
        week_start,
        start_date: checked.start_date,
        end_date: checked.end_date,
    };
    let mut tx = state.db.begin().await?;
    let exam = exams::create(&mut *tx, auth.user.id, &new)
        .await?
        .ok_or_else(|| ApiError::detail(StatusCode::BAD_REQUEST, Msg::OneExamPerWeek.text()))?;
    let job = outbox::add(&mut tx, &GenerateExam { exam_id: exam.id }).await?;
    outbox::commit(tx, &state.db, &state.redis, Some(job)).await?;
    Ok((StatusCode::CREATED, Json(test_view(&state, &auth, exam).await?)))
}

/// A new exam's input, checked.
struct CheckedExam {
    title: Option<String>,
    description: String,
    content_ids: Vec<i64>,
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
}

/// Field errors first (dates, chosen contents); then, for an automatic exam, enough validated
/// contents to choose from.
async fn check(state: &AppState, auth: &AuthUser, input: NewExamInput, now: DateTime<Utc>) -> ApiResult<CheckedExam> {
    let mut errors = Errors::default();
    let start_date = input.start_date.unwrap_or(now);
    let end_date = input.end_date.unwrap_or(start_date + TimeDelta::days(7));
    if end_date < start_date {
        errors.add("end_date", Msg::EndBeforeStart.text());
    }
    let content_ids = input.content_ids.unwrap_or_default();
    if !content_ids.is_empty() {
        check_content_ids(state, auth.user.id, &content_ids, &mut errors).await?;
    }
    errors.into_result()?;
    if content_ids.is_empty() {
        let validated = exams::validated_contents(&state.db, auth.user.id).await?;
        let missing = i64::try_from(MIN_CONTENTS).unwrap_or(i64::MAX) - validated;
        if missing > 0 {
            return Err(ApiError::refused(Msg::MoreValidatedContentsNeeded(missing)));
        }
    }
    let title = input.title.filter(|s| !s.is_empty());
    Ok(CheckedExam { title, description: input.description.unwrap_or_default(), content_ids, start_date, end_date })
}

async fn own_exam(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<ExamRow> {
    exams::get(&state.db, auth.user.id, id).await?.ok_or_else(ApiError::not_found)
}

/// One exam with its questions.
#[utoipa::path(get, path = "/api/exams/{id}/", tag = "exams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exam id")),
    responses((status = 200, description = "The exam", body = TestView), (status = 404, description = "Not found (or not yours)")))]
async fn get_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<TestView>> {
    let exam = own_exam(&state, &auth, id).await?;
    Ok(Json(test_view(&state, &auth, exam).await?))
}

#[derive(Debug, ToSchema)]
pub struct ExamPatch {
    /// Up to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    title: Option<String>,
    /// Up to 2 000 characters.
    #[schema(max_length = 2000)]
    description: Option<String>,
}

impl FromFields for ExamPatch {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self {
            title: f.optional("title", Text::new().max(200)),
            description: f.optional("description", Text::new().max(2000).blank_allowed()),
        })
    }
}

/// Rename an exam or change its description (other keys are ignored).
#[utoipa::path(patch, path = "/api/exams/{id}/", tag = "exams", security(("bearer" = [])), request_body = ExamPatch,
    params(("id" = i64, Path, description = "Exam id")),
    responses(
        (status = 200, description = "The exam", body = TestView),
        (status = 400, description = "Field errors"),
        (status = 404, description = "Not found (or not yours)"),
    ))]
async fn rename(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    Input(patch): Input<ExamPatch>,
) -> ApiResult<Json<TestView>> {
    if !exams::rename(&state.db, auth.user.id, id, patch.title.as_deref(), patch.description.as_deref()).await? {
        return Err(ApiError::not_found());
    }
    get_one(State(state), auth, Id(id)).await
}

/// Delete an exam with its questions and answers.
#[utoipa::path(delete, path = "/api/exams/{id}/", tag = "exams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exam id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found (or not yours)")))]
async fn delete_one(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<StatusCode> {
    if exams::delete(&state.db, auth.user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, ToSchema)]
pub struct TestRef {
    test_id: i64,
}

impl FromFields for TestRef {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { test_id: f.required("test_id", Pk)? })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    message: String,
    test: TestView,
}

/// The exam a body's `test_id` names: a missing or foreign id is a 400, like any id in a body.
async fn exam_in_body(state: &AppState, auth: &AuthUser, test_id: i64) -> ApiResult<ExamRow> {
    exams::get(&state.db, auth.user.id, test_id).await?.ok_or_else(|| ApiError::field("test_id", not_found_message()))
}

async fn start(state: &AppState, auth: &AuthUser, exam: ExamRow) -> ApiResult<Json<Started>> {
    let message = match exam.status.start() {
        Ok(Start::Begin) => {
            exams::start(&state.db, auth.user.id, exam.id).await?;
            Msg::ExamStarted
        }
        Ok(Start::Resume) => Msg::ExamResumed,
        // The body named the exam: a completed one is that field's error.
        Err(Refusal::AlreadyCompleted) => return Err(ApiError::field("test_id", Msg::ExamAlreadyCompleted.text())),
        Err(refusal) => return Err(refused(refusal)),
    };
    let exam = own_exam(state, auth, exam.id).await?;
    Ok(Json(Started { message: message.text(), test: test_view(state, auth, exam).await? }))
}

/// Start an exam (pending → in_progress), or resume one in progress.
#[utoipa::path(post, path = "/api/exams/test-sessions/", tag = "exams", security(("bearer" = [])), request_body = TestRef,
    responses(
        (status = 200, description = "Started or resumed", body = Started),
        (status = 400, description = "`{\"test_id\": [...]}`: no such exam, or it is completed"),
        (status = 409, description = "`{\"error\"}`: the questions are still being prepared"),
    ))]
async fn start_session(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<TestRef>,
) -> ApiResult<Json<Started>> {
    let exam = exam_in_body(&state, &auth, body.test_id).await?;
    start(&state, &auth, exam).await
}

/// The old route of [`start_session`].
#[utoipa::path(post, path = "/api/exams/start/", tag = "exams", security(("bearer" = [])), request_body = TestRef,
    responses((status = 200, description = "Started or resumed", body = Started), (status = 400, description = "`{\"test_id\": [...]}`"), (status = 409, description = "`{\"error\"}`: still being prepared")))]
async fn start_alias(State(state): State<AppState>, auth: AuthUser, body: Input<TestRef>) -> ApiResult<Json<Started>> {
    start_session(State(state), auth, body).await
}

#[derive(Debug, ToSchema)]
pub struct AnswerInput {
    question_id: i64,
    /// `O` / `X` for true/false, the choice's text for multiple choice (up to 2 000 characters).
    #[schema(min_length = 1, max_length = 2000)]
    user_answer: String,
}

impl FromFields for AnswerInput {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let question_id = f.required("question_id", Pk);
        let user_answer = f.required("user_answer", Text::new().max(2000));
        Some(Self { question_id: question_id?, user_answer: user_answer? })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Answered {
    message: String,
    answer_id: i64,
    is_correct: bool,
    points_earned: i32,
}

/// `{"question_id": ["..."]}` for a question that is not in the exam (or not the user's).
fn no_such_question() -> ApiError {
    ApiError::field("question_id", Msg::QuestionNotFound.text())
}

/// Trimmed and case-insensitive.
fn is_correct(given: &str, correct: &str) -> bool {
    given.trim().to_lowercase() == correct.trim().to_lowercase()
}

async fn answer(
    state: &AppState,
    auth: &AuthUser,
    exam_id: i64,
    input: AnswerInput,
) -> ApiResult<(StatusCode, Json<Answered>)> {
    let AnswerInput { question_id, user_answer: given } = input;
    let mut tx = state.db.begin().await?;
    let status = exams::lock_status(&mut tx, auth.user.id, exam_id).await?.ok_or_else(exam_not_found)?;
    let (correct, points) = exams::question_key(&mut tx, exam_id, question_id).await?.ok_or_else(no_such_question)?;
    status.accepts_answers().map_err(refused)?;
    let right = is_correct(&given, &correct);
    let earned = if right { points } else { 0 };
    let answer_id = exams::save_answer(&mut tx, auth.user.id, question_id, &given, right, earned).await?;
    tx.commit().await?;
    let message = Msg::AnswerSaved.text();
    Ok((StatusCode::CREATED, Json(Answered { message, answer_id, is_correct: right, points_earned: earned })))
}

/// Answer a question of an exam in progress (answering again replaces the answer).
#[utoipa::path(post, path = "/api/exams/test-sessions/{id}/answers/", tag = "exams", security(("bearer" = [])), request_body = AnswerInput,
    params(("id" = i64, Path, description = "Exam id")),
    responses(
        (status = 201, description = "Saved and graded", body = Answered),
        (status = 400, description = "`{\"question_id\": [...]}`: the question is not in this exam; `{\"error\"}`: the exam is not in progress"),
        (status = 404, description = "`{\"error\"}`: no such exam (or not yours)"),
    ))]
async fn answer_in_session(
    State(state): State<AppState>,
    auth: AuthUser,
    Id(id): Id,
    Input(input): Input<AnswerInput>,
) -> ApiResult<(StatusCode, Json<Answered>)> {
    answer(&state, &auth, id, input).await
}

/// The old route of [`answer_in_session`]: the exam is the question's.
#[utoipa::path(post, path = "/api/exams/submit-answer/", tag = "exams", security(("bearer" = [])), request_body = AnswerInput,
    responses((status = 201, description = "Saved and graded", body = Answered), (status = 400, description = "`{\"question_id\": [...]}` or `{\"error\"}`")))]
async fn submit_answer_alias(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(input): Input<AnswerInput>,
) -> ApiResult<(StatusCode, Json<Answered>)> {
    let exam_id =
        exams::exam_of_question(&state.db, auth.user.id, input.question_id).await?.ok_or_else(no_such_question)?;
    answer(&state, &auth, exam_id, input).await
}

/// A finished exam's score (`ExamCompleted` in the OpenAPI document: review has a `Completed`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ExamCompleted)]
pub struct Completed {
    message: String,
    score_percentage: f64,
    correct_answers: i32,
    total_questions: i32,
    time_spent: Option<String>,
}

/// How a completion route words its refusals (the two routes differ, as in the original).
struct Refusals {
    missing: fn() -> ApiError,
    not_in_progress: fn() -> ApiError,
}

/// Completes an exam in progress; any other (a completed one too) is refused.
async fn complete(state: &AppState, auth: &AuthUser, id: i64, refusals: &Refusals) -> ApiResult<Json<Completed>> {
    let mut tx = state.db.begin().await?;
    let status = exams::lock_status(&mut tx, auth.user.id, id).await?.ok_or_else(refusals.missing)?;
    if status.accepts_answers().is_err() {
        return Err((refusals.not_in_progress)());
    }
    exams::complete(&mut tx, auth.user.id, id).await?;
    tx.commit().await?;
    let exam = own_exam(state, auth, id).await?;
    Ok(Json(Completed {
        message: Msg::ExamCompleted.text(),
        score_percentage: exam.score_percentage,
        correct_answers: exam.correct_answers,
        total_questions: exam.total_questions,
        time_spent: exam.time_spent_us.map(duration_string),
    }))
}

/// Complete an exam in progress and score it.
#[utoipa::path(patch, path = "/api/exams/test-sessions/{id}/", tag = "exams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exam id")),
    responses(
        (status = 200, description = "Completed", body = Completed),
        (status = 400, description = "`{\"error\"}`: the exam is not in progress (not started, or already completed)"),
        (status = 404, description = "`{\"error\"}`: no such exam (or not yours)"),
    ))]
async fn complete_session(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<Completed>> {
    let refusals =
        Refusals { missing: exam_not_found, not_in_progress: || ApiError::refused(not_in_progress_message()) };
    complete(&state, &auth, id, &refusals).await
}

/// The old route of [`complete_session`].
#[utoipa::path(post, path = "/api/exams/complete/", tag = "exams", security(("bearer" = [])), request_body = TestRef,
    responses((status = 200, description = "Completed", body = Completed), (status = 400, description = "`{\"test_id\": [...]}`: no such exam, or it is not in progress")))]
async fn complete_alias(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<TestRef>,
) -> ApiResult<Json<Completed>> {
    let refusals = Refusals {
        missing: || ApiError::field("test_id", not_found_message()),
        not_in_progress: || ApiError::field("test_id", not_in_progress_message()),
    };
    complete(&state, &auth, body.test_id, &refusals).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerResult {
    question: QuestionView,
    /// Null when the question was not answered.
    user_answer: Option<String>,
    is_correct: bool,
    points_earned: i32,
    ai_score: Option<f64>,
    ai_feedback: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    test: TestView,
    answers: Vec<AnswerResult>,
}

async fn results(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Json<Results>> {
    let exam = exams::get(&state.db, auth.user.id, id).await?.ok_or_else(exam_not_found)?;
    exam.status.results().map_err(refused)?;
    let mut given: HashMap<i64, AnswerRow> =
        exams::answers(&state.db, auth.user.id, id).await?.into_iter().map(|a| (a.question_id, a)).collect();
    let test = test_view(state, auth, exam).await?;
    let answers = test
        .questions
        .iter()
        .map(|q| {
            let a = given.remove(&q.id);
            let mut question = q.clone();
            question.content_title = q.content.as_ref().map(|c| c.title.clone());
            AnswerResult {
                question,
                is_correct: a.as_ref().is_some_and(|a| a.is_correct),
                points_earned: a.as_ref().map_or(0, |a| a.points_earned),
                ai_score: a.as_ref().and_then(|a| a.ai_score),
                ai_feedback: a.as_ref().and_then(|a| a.ai_feedback.clone()),
                user_answer: a.map(|a| a.user_answer),
            }
        })
        .collect();
    Ok(Json(Results { test, answers }))
}

/// The answers of a completed exam, with the correct answers and explanations.
#[utoipa::path(get, path = "/api/exams/test-sessions/{id}/results/", tag = "exams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exam id")),
    responses(
        (status = 200, description = "The exam and every question with its answer", body = Results),
        (status = 400, description = "`{\"error\"}`: the exam is not completed"),
        (status = 404, description = "`{\"error\"}`: no such exam (or not yours)"),
    ))]
async fn session_results(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<Results>> {
    results(&state, &auth, id).await
}

/// The old route of [`session_results`].
#[utoipa::path(get, path = "/api/exams/{id}/results/", tag = "exams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exam id")),
    responses((status = 200, description = "The results", body = Results), (status = 400, description = "`{\"error\"}`: not completed"), (status = 404, description = "`{\"error\"}`: not found")))]
async fn results_alias(State(state): State<AppState>, auth: AuthUser, Id(id): Id) -> ApiResult<Json<Results>> {
    results(&state, &auth, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_like_django() {
        assert_eq!(duration_string(0), "00:00:00.000000");
        assert_eq!(duration_string(3_723_000_456), "01:02:03.000456");
        assert_eq!(duration_string(90_000_000_000), "25:00:00.000000");
    }

    #[test]
    fn answers_compare_trimmed_and_case_insensitively() {
        assert!(is_correct(" o ", "O"));
        assert!(is_correct("Ohm's LAW", "ohm's law"));
        assert!(!is_correct("X", "O"));
    }
}
