//! `/api/health/*` and `/metrics`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use chrono::Utc;
use resee_core::jobs;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(detailed))
        .routes(routes!(ready))
        .routes(routes!(live))
        .routes(routes!(metrics))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    /// `ok` or `error`.
    status: &'static str,
}

/// Is the process serving and its database reachable? (From a probe at most a second old.)
#[utoipa::path(get, path = "/api/health/", tag = "operations",
    responses((status = 200, description = "Serving", body = Status), (status = 503, description = "PostgreSQL is unreachable", body = Status)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Status>) {
    if state.db_probe.is_up() {
        (StatusCode::OK, Json(Status { status: "ok" }))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(Status { status: "error" }))
    }
}

/// Database, Redis and worker status; `services.backup` appears (as `stale`) only while
/// scheduled backups are overdue.
#[utoipa::path(get, path = "/api/health/detailed/", tag = "operations",
    responses((status = 200, description = "Every service is up"), (status = 503, description = "`\"status\": \"degraded\"`: a service is down, or backups are overdue")))]
async fn detailed(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = state.db_probe.is_up();
    let mut conn = state.redis.conn.clone();
    let redis_up = redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok();
    let beats: Vec<i64> = if redis_up {
        redis::cmd("HVALS").arg(jobs::heartbeat_key(&state.redis)).query_async(&mut conn).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let backup_stale: Option<String> = if redis_up {
        redis::cmd("GET").arg(jobs::backup_stale_key(&state.redis)).query_async(&mut conn).await.unwrap_or_default()
    } else {
        None
    };
    let now = Utc::now().timestamp();
    let live = beats.iter().filter(|&&beat| now - beat <= jobs::HEARTBEAT_STALE_AFTER_SECS).count();
    let last_age = beats.iter().max().map(|beat| now - beat);
    let up = |ok: bool| if ok { "ok" } else { "down" };
    let all_up = database && redis_up && live > 0 && backup_stale.is_none();
    let mut body = json!({
        "status": if all_up { "ok" } else { "degraded" },
        "timestamp": Utc::now().to_rfc3339(),
        "services": {
            "database": {"status": up(database)},
            "redis": {"status": up(redis_up)},
            "worker": {"status": up(live > 0), "workers": live, "last_heartbeat_age_s": last_age},
        },
    });
    if let Some(last_success) = backup_stale {
        body["services"]["backup"] = json!({"status": "stale", "last_success": last_success});
    }
    (if all_up { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

/// Ready to take traffic: database and Redis reachable, every migration applied.
#[utoipa::path(get, path = "/api/health/ready/", tag = "operations",
    responses((status = 200, description = "`{\"ready\": true}`"), (status = 503, description = "`{\"ready\": false, ...}` with the failing checks")))]
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let migrations = resee_core::db::migrations_applied(&state.db).await;
    let database = migrations.is_ok();
    let migrated = migrations.unwrap_or(false);
    let mut conn = state.redis.conn.clone();
    let redis_up = redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok();
    if database && migrated && redis_up {
        (StatusCode::OK, Json(json!({"ready": true})))
    } else {
        let checks = json!({"database": database, "redis": redis_up, "migrations": migrated});
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"ready": false, "checks": checks})))
    }
}

/// The process is alive.
#[utoipa::path(get, path = "/api/health/live/", tag = "operations",
    responses((status = 200, description = "`{\"alive\": true}`")))]
async fn live() -> Json<Value> {
    Json(json!({"alive": true}))
}

/// Prometheus metrics (not routed to the public by nginx).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
