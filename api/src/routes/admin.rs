//! Operations pages for staff (`is_staff`): the job queue and its dead letters, the backups,
//! and counts across the service. Everyone else gets 403.
//!
//! Dead letters are shown without their payloads: a payload can hold a verification or
//! password-reset token, which staff have no business reading.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use resee_core::queue::Queue;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, Params};
use crate::fields::{Fields, FromFields, Int};
use crate::messages::Msg;
use crate::state::AppState;
use resee_core::store::admin;
use resee_core::store::backups as backup_runs;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(jobs))
        .routes(routes!(dead_letters))
        .routes(routes!(requeue))
        .routes(routes!(backups))
        .routes(routes!(system))
        .routes(routes!(business))
}

/// The queue as the api sees it; the consumer name only matters to workers.
fn queue(state: &AppState) -> Queue {
    Queue::new(state.redis.clone(), "api")
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobTypeStats {
    /// The job type (`send_email`, `backup`, ...).
    r#type: String,
    /// Waiting plus running.
    queued: u64,
    /// Delivered to a worker and not yet acknowledged.
    running: u64,
    /// Waiting for a retry.
    delayed: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobsOverview {
    jobs: Vec<JobTypeStats>,
    /// Jobs that ran out of attempts.
    dead: u64,
}

async fn overview(state: &AppState) -> ApiResult<JobsOverview> {
    let queue = queue(state);
    let jobs = queue
        .stats_all()
        .await?
        .into_iter()
        .map(|(kind, s)| JobTypeStats {
            r#type: kind.name().into(),
            queued: s.queued,
            running: s.running,
            delayed: s.delayed,
        })
        .collect();
    Ok(JobsOverview { jobs, dead: queue.dead_count().await? })
}

/// Queue depth and in-flight jobs per job type (admins only).
#[utoipa::path(get, path = "/api/admin/jobs/", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Per job type", body = JobsOverview), (status = 403, description = "Not an admin")))]
async fn jobs(State(state): State<AppState>, _admin: AdminUser) -> ApiResult<Json<JobsOverview>> {
    Ok(Json(overview(&state).await?))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadQuery {
    /// 1–500 (default 100).
    limit: Option<usize>,
}

impl FromFields for DeadQuery {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { limit: f.optional("limit", Int::range(1, 500)) })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadLetterView {
    /// The id to requeue it by.
    id: String,
    r#type: String,
    job_id: String,
    error: String,
    attempts: u32,
    failed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadLetters {
    count: u64,
    results: Vec<DeadLetterView>,
}

/// The newest dead letters, newest first (admins only).
#[utoipa::path(get, path = "/api/admin/jobs/dead/", tag = "admin", security(("bearer" = [])), params(DeadQuery),
    responses(
        (status = 200, description = "Dead letters", body = DeadLetters),
        (status = 400, description = "`{\"limit\": [...]}`: limit out of range"),
        (status = 403, description = "Not an admin"),
    ))]
async fn dead_letters(
    State(state): State<AppState>,
    _admin: AdminUser,
    Params(query): Params<DeadQuery>,
) -> ApiResult<Json<DeadLetters>> {
    let limit = query.limit.unwrap_or(100);
    let queue = queue(&state);
    let results = queue
        .dead_letters(limit)
        .await?
        .into_iter()
        .map(|d| DeadLetterView {
            id: d.id,
            r#type: d.kind,
            job_id: d.job_id,
            error: d.error,
            attempts: d.attempts,
            failed_at: DateTime::from_timestamp_millis(d.failed_at_ms),
        })
        .collect();
    Ok(Json(DeadLetters { count: queue.dead_count().await?, results }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Requeued {
    message: String,
    r#type: String,
}

/// Puts a dead letter back on its queue with fresh attempts (admins only).
#[utoipa::path(post, path = "/api/admin/jobs/dead/{id}/requeue/", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "Dead-letter id")),
    responses(
        (status = 200, description = "Requeued", body = Requeued),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "`{\"error\"}`: no such dead letter"),
    ))]
async fn requeue(
    State(state): State<AppState>,
    _admin: AdminUser,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> ApiResult<Json<Requeued>> {
    let not_found = || ApiError::Refused {
        status: StatusCode::NOT_FOUND,
        message: Msg::DeadLetterNotFound.text(),
        retry_after: None,
    };
    // A path that is not text names no dead letter either (never axum's plain-text 400).
    let Ok(Path(id)) = path else { return Err(not_found()) };
    // Stream ids are `<ms>-<seq>`; anything else cannot name a dead letter (and Redis would
    // answer an error, not a miss).
    let well_formed = id.split_once('-').is_some_and(|(ms, seq)| {
        [ms, seq].iter().all(|part| !part.is_empty() && part.len() <= 20 && part.bytes().all(|b| b.is_ascii_digit()))
    });
    if !well_formed {
        return Err(not_found());
    }
    let kind = queue(&state).requeue(&id, Utc::now().timestamp_millis()).await?.ok_or_else(not_found)?;
    tracing::info!(dead_letter = %id, job.kind = %kind, "dead letter requeued by staff");
    Ok(Json(Requeued { message: Msg::JobRequeued.text(), r#type: kind }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupView {
    key: String,
    created_at: DateTime<Utc>,
    bytes: i64,
    sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupRunView {
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    /// `running`, `succeeded` or `failed`.
    outcome: String,
    key: Option<String>,
    /// The step that failed (`dump`, `upload`, ...).
    step: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Backups {
    backups: Vec<BackupView>,
    last_run: Option<BackupRunView>,
}

/// The backups that exist, newest first, and the last run's outcome (admins only).
#[utoipa::path(get, path = "/api/admin/backups/", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Backups", body = Backups), (status = 403, description = "Not an admin")))]
async fn backups(State(state): State<AppState>, _admin: AdminUser) -> ApiResult<Json<Backups>> {
    let backups = backup_runs::existing(&state.db, 200)
        .await?
        .into_iter()
        .map(|b| BackupView { key: b.key, created_at: b.finished_at, bytes: b.bytes, sha256: b.sha256 })
        .collect();
    let last_run = backup_runs::last_run(&state.db).await?.map(|r| BackupRunView {
        started_at: r.started_at,
        finished_at: r.finished_at,
        outcome: r.outcome,
        key: r.key,
        step: r.step,
        error: r.error,
    });
    Ok(Json(Backups { backups, last_run }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SystemMetrics {
    timestamp: DateTime<Utc>,
    queue: JobsOverview,
    /// Database connections open in this api process, and how many of them are idle.
    database_connections: u32,
    database_idle_connections: usize,
}

/// Queue depth and this process's database pool (admins only).
#[utoipa::path(get, path = "/api/metrics/system/", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "System numbers", body = SystemMetrics), (status = 403, description = "Not an admin")))]
async fn system(State(state): State<AppState>, _admin: AdminUser) -> ApiResult<Json<SystemMetrics>> {
    Ok(Json(SystemMetrics {
        timestamp: Utc::now(),
        queue: overview(&state).await?,
        database_connections: state.db.size(),
        database_idle_connections: state.db.num_idle(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessMetrics {
    timestamp: DateTime<Utc>,
    users: i64,
    active_users: i64,
    verified_users: i64,
    new_users_7_days: i64,
    contents: i64,
    categories: i64,
    reviews: i64,
    reviews_24_hours: i64,
    exams: i64,
    completed_exams: i64,
}

/// Counts of users, notes, reviews and exams (admins only).
#[utoipa::path(get, path = "/api/metrics/business/", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Business numbers", body = BusinessMetrics), (status = 403, description = "Not an admin")))]
async fn business(State(state): State<AppState>, _admin: AdminUser) -> ApiResult<Json<BusinessMetrics>> {
    let t = admin::totals(&state.db).await?;
    Ok(Json(BusinessMetrics {
        timestamp: Utc::now(),
        users: t.users,
        active_users: t.active_users,
        verified_users: t.verified_users,
        new_users_7_days: t.new_users_7_days,
        contents: t.contents,
        categories: t.categories,
        reviews: t.reviews,
        reviews_24_hours: t.reviews_24_hours,
        exams: t.exams,
        completed_exams: t.completed_exams,
    }))
}
