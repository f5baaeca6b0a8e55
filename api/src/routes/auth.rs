//! `/api/auth/*`: sign in, refresh (rotating), verify, sign out.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, ClientIp, Input};
use crate::fields::{Fields, FromFields, Text};
use crate::messages::Msg;
use crate::session::{self, set_cookie};
use crate::state::AppState;
use crate::tokens::{Claims, Rotation, TokenError, TokenType};
use crate::views::Message;
use resee_core::store::users;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(token)).routes(routes!(refresh)).routes(routes!(verify)).routes(routes!(logout))
}

#[derive(Debug, ToSchema)]
pub struct LoginRequest {
    /// The email address (case-insensitive) or the username.
    email: String,
    password: String,
}

impl FromFields for LoginRequest {
    const SETS_SESSION: bool = true;

    fn from_fields(f: &mut Fields) -> Option<Self> {
        let email = f.required("email", Text::new());
        // Untrimmed here: the handler tries the trimmed password (as the original stored it)
        // and then, once, the password as sent.
        let password = f.required("password", Text::new().untrimmed());
        Some(Self { email: email?, password: password? })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessToken {
    access: String,
}

/// Sign in with email (or username) and password.
#[utoipa::path(post, path = "/api/auth/token/", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = AccessToken),
        (status = 400, description = "Wrong credentials, or the email is not verified yet"),
        (status = 429, description = "Too many attempts from this address"),
    ))]
async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    session::limit_ip(&state, "login", ip, state.config.rate_limits.login).await?;
    let wrong = || ApiError::non_field(Msg::WrongEmailOrPassword.text());
    let Some(user) = users::find_by_login(&state.db, body.email.trim()).await? else {
        session::check_no_password(&state, body.password).await;
        return Err(wrong());
    };
    let (verified, password) = session::check_password(&state, body.password, &user.password_hash).await;
    if !verified.is_ok() || !user.is_active {
        return Err(wrong());
    }
    if session::needs_verification(&state, &user) {
        return Err(ApiError::Body {
            status: axum::http::StatusCode::BAD_REQUEST,
            body: json!({
                "email_verification_required": ["True"],
                "email": [user.email],
                "message": [Msg::EmailVerificationRequired.text()],
            }),
        });
    }
    if matches!(verified, resee_core::password::Verified::Yes { needs_rehash: true }) {
        let hash = state.hasher.hash(password).await.map_err(anyhow::Error::from)?;
        users::set_password(&state.db, user.id, &hash, false).await?;
    }
    users::record_login(&state.db, user.id).await?;
    let session = session::start(&state, &user).await?;
    Ok((set_cookie(session.cookie), Json(AccessToken { access: session.access })))
}

/// Exchange the refresh cookie for a new access token and a rotated refresh cookie.
#[utoipa::path(post, path = "/api/auth/token/refresh/", tag = "auth",
    responses(
        (status = 200, description = "A new access token; the refresh cookie is rotated", body = AccessToken),
        (status = 401, description = "No cookie, or the refresh token is expired, revoked or replayed"),
    ))]
async fn refresh(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    let presented = session::refresh_from(&headers)
        .ok_or_else(|| ApiError::detail(axum::http::StatusCode::UNAUTHORIZED, Msg::NoRefreshToken.text()))?;
    let old = state.tokens.verify(&presented, Some(TokenType::Refresh)).map_err(ApiError::bad_token)?;
    let revoked = || ApiError::bad_token(TokenError::Invalid);
    let user = users::find(&state.db, old.user_id).await?.ok_or_else(revoked)?;
    if !user.is_active || user.token_version != old.ver {
        return Err(revoked());
    }
    // The session goes on with the new tokens (one from before sessions were tracked starts one).
    let sid = old.sid.clone().unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let (new_token, new_claims) = state.tokens.issue(TokenType::Refresh, user.id, user.token_version, &sid)?;
    let cookie_token = rotate(&state, &old, &user, new_token, &new_claims).await?;
    let (access, _) = state.tokens.issue(TokenType::Access, user.id, user.token_version, &sid)?;
    Ok((set_cookie(session::refresh_cookie(&state, &cookie_token)?), Json(AccessToken { access })))
}

/// Rotates the presented refresh token `old` to `new_token`: the token the cookie carries from
/// now on. A revoked or replayed token ends its session (a replay: every session of the user).
async fn rotate(
    state: &AppState,
    old: &Claims,
    user: &users::User,
    new_token: String,
    new_claims: &Claims,
) -> ApiResult<String> {
    let revoked = || ApiError::bad_token(TokenError::Invalid);
    match state.refresh.rotate(old, new_claims, &new_token).await? {
        Rotation::Rotated => Ok(new_token),
        Rotation::AlreadyRotated { successor } => Ok(successor),
        Rotation::Refused => {
            // A revoked token: its session's access tokens end too (if they had not yet).
            if let Some(sid) = &old.sid {
                session::end(state, sid, user.id).await?;
            }
            Err(revoked())
        }
        Rotation::Replayed => {
            // Stolen: every refresh token of the user was just revoked, and so is every access
            // token, whichever session issued it.
            users::revoke_tokens(&state.db, user.id).await?;
            Err(revoked())
        }
    }
}

#[derive(Debug, ToSchema)]
pub struct VerifyRequest {
    token: String,
}

impl FromFields for VerifyRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { token: f.required("token", Text::new())? })
    }
}

/// Check that a token is valid and not revoked.
#[utoipa::path(post, path = "/api/auth/token/verify/", tag = "auth", request_body = VerifyRequest,
    responses(
        (status = 200, description = "The token is valid: `{}`"),
        (status = 401, description = "The token is invalid, expired or revoked"),
    ))]
async fn verify(
    State(state): State<AppState>,
    Input(body): Input<VerifyRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let claims = state.tokens.verify(&body.token, None).map_err(ApiError::bad_token)?;
    let revoked = || ApiError::bad_token(TokenError::Invalid);
    let user = users::find(&state.db, claims.user_id).await?.ok_or_else(revoked)?;
    if !user.is_active || user.token_version != claims.ver {
        return Err(revoked());
    }
    Ok(Json(json!({})))
}

/// Sign out: end the session (its refresh cookie and every access token it issued, this one
/// included) and clear the cookie.
#[utoipa::path(post, path = "/api/auth/logout/", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed out; the cookie is cleared", body = Message),
        (status = 401, description = "Not signed in"),
    ))]
async fn logout(State(state): State<AppState>, auth: AuthUser, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    if let Some(token) = session::refresh_from(&headers)
        && let Ok(claims) = state.tokens.verify(&token, Some(TokenType::Refresh))
    {
        state.refresh.revoke(&claims.jti).await?;
        if let Some(sid) = claims.sid.filter(|_| claims.user_id == auth.user.id) {
            session::end(&state, &sid, auth.user.id).await?;
        }
    }
    if let Some(sid) = &auth.sid {
        session::end(&state, sid, auth.user.id).await?;
    }
    Ok((set_cookie(session::cleared_cookie(&state)?), Message::new(Msg::SignedOut.text())))
}
