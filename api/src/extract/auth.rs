//! The signed-in user, from `Authorization: Bearer <access token>`.
//!
//! One query loads the user, their subscription, time zone and content count, and whether the
//! token's session was ended; the token must be an access token whose version matches the
//! user's current one (a password change revokes older tokens), of a session not ended (logout),
//! and the account must be active. Each authenticated request also counts against the per-user
//! rate limit, which lets requests through while Redis is down.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::ratelimit::{self, WhenDown};
use crate::state::AppState;
use crate::tokens::{TokenError, TokenType};
use resee_core::store::subscriptions::Subscription;
use resee_core::store::users::{self, User};

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    pub subscription: Option<Subscription>,
    /// The user's IANA time zone (notification preferences; Asia/Seoul by default).
    pub timezone: String,
    /// How many contents the user has, read with the user.
    pub content_count: i64,
    /// The token's sign-in session (logout ends it).
    pub sid: Option<String>,
}

impl AuthUser {
    /// The plan that applies now: free without an active, unexpired subscription.
    pub fn effective_tier(&self, now: chrono::DateTime<chrono::Utc>) -> resee_core::tiers::Tier {
        self.subscription.as_ref().map_or(resee_core::tiers::Tier::Free, |s| s.effective_tier(now))
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(ApiError::unauthenticated)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| ApiError::bad_access_token(TokenError::Invalid))?;
        let claims = state.tokens.verify(token, Some(TokenType::Access)).map_err(ApiError::bad_access_token)?;
        let revoked = || ApiError::bad_access_token(TokenError::Invalid);
        let found =
            users::find_for_request(&state.db, claims.user_id, claims.sid.as_deref()).await?.ok_or_else(revoked)?;
        let users::RequestUser { user, subscription, timezone, content_count, session_revoked } = found;
        if !user.is_active || user.token_version != claims.ver || session_revoked {
            return Err(revoked());
        }
        let rate = state.config.rate_limits.user;
        ratelimit::enforce(&state.redis, "user", &user.id.to_string(), rate, WhenDown::Allow).await?;
        Ok(Self { user, subscription, timezone, content_count, sid: claims.sid })
    }
}

/// A signed-in staff user; anyone else signed in gets 403.
#[derive(Debug, Clone)]
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = AuthUser::from_request_parts(parts, state).await?;
        if auth.user.is_staff { Ok(Self(auth)) } else { Err(ApiError::forbidden()) }
    }
}
