//! The layers around the routes, outermost first:
//!
//! 1. trailing slash: `/api/x` is served as `/api/x/` (clients always send the slash; both work,
//!    no redirect);
//! 2. request id: `x-request-id` taken from the request or made up, echoed in the response and
//!    recorded on the request's span;
//! 3. CORS for the configured origins, with credentials;
//! 4. security headers on every response (`security_headers`: on Kubernetes the Ingress sends
//!    `/api/` straight here; behind the Compose nginx, nginx hides these and sends its own once);
//! 5. the request's language (`Accept-Language`) for messages;
//! 6. per route: Slack alerts for 500s (rate-limited), body size limit (10 MB → 413), JSON bodies for 405s, request metrics, and the
//!    anonymous rate limit (`RATE_LIMIT_ANON` per client IP) for requests without a bearer token
//!    outside health, metrics and docs, and a fast 503 while the database probe finds PostgreSQL
//!    down.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self as mw, Next};
use axum::response::{IntoResponse, Response};
use tower::Layer as _;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::i18n;
use crate::messages::Msg;
use crate::state::AppState;

/// Request bodies above this are refused with 413.
pub const BODY_LIMIT: usize = 10 * 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Layers that need the matched route.
pub fn per_route(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .route_layer(mw::from_fn_with_state(state.clone(), limit_anonymous))
        .route_layer(mw::from_fn_with_state(state.clone(), fail_fast_without_database))
        .route_layer(mw::from_fn(record_metrics))
        .route_layer(mw::from_fn_with_state(state.clone(), crate::alerts::on_server_error))
        .layer(mw::from_fn(json_method_not_allowed))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(mw::from_fn(i18n::scope))
        .layer(cors(&state.config.cors_allowed_origins))
}

/// The docs page's policy: its own scripts, styles (Swagger UI sets inline styles) and images.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Headers every response carries unless a route set its own: JSON is never sniffed, framed,
/// cached or allowed to load anything.
fn security_headers<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
}

/// Wraps the finished router in the outer layers.
pub fn wrap(router: Router) -> Router {
    let router = security_headers(router)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(mw::from_fn(close_after_refused_bodies));
    // Rewriting the path has to happen before routing, so it wraps the router as a service.
    Router::new().fallback_service(mw::map_request(add_trailing_slash).layer(router))
}

/// An error answered before the request's body was read (503 while PostgreSQL is down, 429,
/// 401) leaves the body unread, and the server then drops the connection after the answer; a
/// client that reuses it for its next request sees a reset. `Connection: close` on errors to
/// requests with a body tells the client not to reuse it.
async fn close_after_refused_bodies(request: Request, next: Next) -> Response {
    let has_body = request.headers().contains_key(header::TRANSFER_ENCODING)
        || request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|n| n.trim() != "0");
    let mut response = next.run(request).await;
    if has_body && (response.status().is_client_error() || response.status().is_server_error()) {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// `/api/foo` → `/api/foo/` for API paths whose last segment is not a file name.
async fn add_trailing_slash(mut request: Request) -> Request {
    let path = request.uri().path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/api/") && !path.ends_with('/') && !last.contains('.') {
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{path}/?{query}"),
            None => format!("{path}/"),
        };
        let mut parts = request.uri().clone().into_parts();
        if let Ok(pq) = path_and_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static("idempotency-key"),
            REQUEST_ID,
        ])
        .expose_headers([REQUEST_ID, header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600))
}

/// axum answers an unsupported method with an empty 405; clients expect DRF's `{"detail"}`.
async fn json_method_not_allowed(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let detail = Msg::MethodNotAllowed(method.to_string()).text();
    let body = serde_json::json!({ "detail": detail });
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}

/// The fallback: any unknown path is a JSON 404.
pub async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// While the database probe finds PostgreSQL down, answers 503 at once instead of letting each
/// request wait out the pool; health and docs still answer (they say what is down).
async fn fail_fast_without_database(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.extensions().get::<MatchedPath>().map_or("", MatchedPath::as_str);
    let exempt = path.starts_with("/api/health") || path == "/metrics" || path.starts_with("/api/docs");
    if exempt || state.db_probe.is_up() { next.run(request).await } else { ApiError::unavailable().into_response() }
}

/// Counts a request without `Authorization` against the anonymous limit of its client IP.
/// Operational endpoints are exempt: load balancers and Prometheus poll them constantly. While
/// Redis is down the limit lets requests through (the flows that must not be open have their own).
async fn limit_anonymous(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or_default();
    let exempt = route.starts_with("/api/health/") || route == "/metrics" || route.starts_with("/api/docs");
    if exempt || request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let limited = match <crate::extract::ClientIp as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &state,
    )
    .await
    {
        Ok(crate::extract::ClientIp(ip)) => {
            let rate = state.config.rate_limits.anon;
            crate::ratelimit::enforce(&state.redis, "anon", &ip.to_string(), rate, crate::ratelimit::WhenDown::Allow)
                .await
        }
        Err(error) => Err(error),
    };
    match limited {
        Ok(()) => next.run(Request::from_parts(parts, body)).await,
        Err(error) => error.into_response(),
    }
}

async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await.into_response();
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("resee_http_requests_total", &labels).increment(1);
    metrics::histogram!("resee_http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(uri: &str) -> String {
        let request = Request::builder().uri(uri).body(Body::empty()).expect("request");
        futures_lite_block_on(add_trailing_slash(request)).uri().to_string()
    }

    fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(f)
    }

    #[test]
    fn api_paths_gain_a_trailing_slash_and_keep_their_query() {
        assert_eq!(rewritten("/api/auth/token"), "/api/auth/token/");
        assert_eq!(rewritten("/api/accounts/users?page=2"), "/api/accounts/users/?page=2");
        assert_eq!(rewritten("/api/auth/token/"), "/api/auth/token/");
    }

    #[test]
    fn files_and_non_api_paths_are_left_alone() {
        assert_eq!(rewritten("/api/openapi.json"), "/api/openapi.json");
        assert_eq!(rewritten("/api/docs/swagger-ui.css"), "/api/docs/swagger-ui.css");
        assert_eq!(rewritten("/metrics"), "/metrics");
    }
}
