//! Signing a user in: an access token in the body and the refresh token in an HttpOnly cookie.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use resee_core::config::AppEnv;
use resee_core::password::Verified;

use crate::error::ApiResult;
use crate::ratelimit::WhenDown;
use crate::state::AppState;
use crate::tokens::TokenType;
use resee_core::store::users::User;

pub const REFRESH_COOKIE: &str = "refresh_token";

/// A new access token and the `Set-Cookie` header carrying a new refresh token.
#[derive(Debug)]
pub struct Session {
    pub access: String,
    pub cookie: HeaderValue,
}

/// Issues a fresh token pair for `user` in a new session and records the refresh token.
pub async fn start(state: &AppState, user: &User) -> ApiResult<Session> {
    let sid = uuid::Uuid::new_v4().simple().to_string();
    let (access, _) = state.tokens.issue(TokenType::Access, user.id, user.token_version, &sid)?;
    let (refresh, claims) = state.tokens.issue(TokenType::Refresh, user.id, user.token_version, &sid)?;
    state.refresh.issued(&claims).await?;
    Ok(Session { access, cookie: refresh_cookie(state, &refresh)? })
}

/// `refresh_token=<jwt>; HttpOnly; Path=/; Max-Age=<refresh ttl>; SameSite=Lax` (+ `Secure`).
pub fn refresh_cookie(state: &AppState, token: &str) -> anyhow::Result<HeaderValue> {
    let max_age = state.tokens.refresh_ttl.as_secs();
    cookie(state, &format!("{REFRESH_COOKIE}={token}; HttpOnly; Path=/; Max-Age={max_age}; SameSite=Lax"))
}

/// Expires the refresh cookie.
pub fn cleared_cookie(state: &AppState) -> anyhow::Result<HeaderValue> {
    cookie(state, &format!("{REFRESH_COOKIE}=; HttpOnly; Path=/; Max-Age=0; SameSite=Lax"))
}

fn cookie(state: &AppState, value: &str) -> anyhow::Result<HeaderValue> {
    let secure = if state.config.common.app_env == AppEnv::Production { "; Secure" } else { "" };
    Ok(HeaderValue::from_str(&format!("{value}{secure}"))?)
}

/// The refresh token sent in the request's cookies, if any.
pub fn refresh_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == REFRESH_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Response headers that set a cookie.
pub fn set_cookie(value: HeaderValue) -> [(axum::http::HeaderName, HeaderValue); 1] {
    [(SET_COOKIE, value)]
}

/// Counts a sign-in, registration or email request against a per-IP limit, answering 429
/// `{"detail"}` when over it, and 503 while Redis is down (these flows fail closed).
pub async fn limit_ip(
    state: &AppState,
    scope: &str,
    ip: std::net::IpAddr,
    rate: resee_core::config::Rate,
) -> ApiResult<()> {
    crate::ratelimit::enforce(&state.redis, scope, &ip.to_string(), rate, WhenDown::Refuse).await
}

/// Whether `user` may sign in right now under the configured verification policy.
pub fn needs_verification(state: &AppState, user: &User) -> bool {
    state.config.auth.enforce_email_verification && !user.is_email_verified
}

/// Checks a password as sent against a stored hash. Passwords are trimmed like DRF's
/// `CharField` trims them (the original stored them trimmed); an account made here before that
/// rule may have kept its spaces, so the password exactly as sent is tried once more. Returns
/// the outcome and the password that matched (for a rehash).
pub async fn check_password(state: &AppState, sent: String, stored: &str) -> (Verified, String) {
    let trimmed = sent.trim().to_owned();
    let verified = state.hasher.verify(trimmed.clone(), stored.to_owned()).await;
    if verified.is_ok() || trimmed == sent {
        return (verified, trimmed);
    }
    (state.hasher.verify(sent.clone(), stored.to_owned()).await, sent)
}

/// Spends the time [`check_password`] would for `sent` when there is no account, so that the
/// answer's timing does not tell whether one exists.
pub async fn check_no_password(state: &AppState, sent: String) {
    let tries = if sent.trim() == sent { 1 } else { 2 };
    for _ in 0..tries {
        state.hasher.verify_dummy(sent.clone()).await;
    }
}

/// Ends the session `sid` of `user_id`: its access tokens stop working now, not when they expire.
pub async fn end(state: &AppState, sid: &str, user_id: i64) -> ApiResult<()> {
    let last_access_expiry = chrono::Utc::now() + state.tokens.access_ttl;
    resee_core::store::sessions::revoke(&state.db, sid, user_id, last_access_expiry).await?;
    Ok(())
}
