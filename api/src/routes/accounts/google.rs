//! Sign-in with Google: verify the ID token, find or create the (verified) user, sign in.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Input};
use crate::fields::{Fields, FromFields, Text};
use crate::google::GoogleError;
use crate::messages::Msg;
use crate::session::{self, set_cookie};
use crate::state::AppState;
use crate::views::UserView;
use resee_core::store::{subscriptions, users};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(google_oauth))
}

#[derive(Debug, ToSchema)]
pub struct GoogleRequest {
    /// The Google ID token (a JWT) from Google Identity Services.
    token: String,
}

impl FromFields for GoogleRequest {
    const SETS_SESSION: bool = true;

    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { token: f.required("token", Text::new())? })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoogleUserInfo {
    name: Option<String>,
    picture: Option<String>,
    locale: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoogleSignedIn {
    message: String,
    access: String,
    user: UserView,
    is_new_user: bool,
    google_user_info: GoogleUserInfo,
}

/// Sign in (or up) with a Google ID token.
#[utoipa::path(post, path = "/api/accounts/google-oauth/", tag = "accounts", request_body = GoogleRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = GoogleSignedIn),
        (status = 400, description = "`{\"token\": [...]}` for a bad token; `{\"error\"}` when Google sign-in is off or the account is disabled"),
        (status = 429, description = "Too many attempts from this address"),
    ))]
async fn google_oauth(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<GoogleRequest>,
) -> ApiResult<impl IntoResponse> {
    if !state.google.enabled() {
        return Err(ApiError::refused(Msg::GoogleSignInNotConfigured));
    }
    session::limit_ip(&state, "login", ip, state.config.rate_limits.login).await?;
    let claims = state.google.verify(body.token.trim()).await.map_err(|e| match e {
        GoogleError::InvalidToken(reason) => {
            tracing::info!(%reason, "Google token refused");
            ApiError::field("token", Msg::InvalidGoogleToken.text())
        }
        other => ApiError::Internal(other.into()),
    })?;
    let email = crate::validation::email(&claims.email).map_err(|m| ApiError::field("token", m))?;
    let (user, is_new_user) = user_for(&state, &email).await?;
    if !user.is_active {
        return Err(ApiError::refused(Msg::AccountDisabled));
    }
    users::record_login(&state.db, user.id).await?;
    let session = session::start(&state, &user).await?;
    let user = users::find(&state.db, user.id).await?.ok_or_else(ApiError::not_found)?;
    let subscription = subscriptions::for_user(&state.db, user.id).await?;
    let body = GoogleSignedIn {
        message: Msg::SignedInWithGoogle.text(),
        access: session.access,
        user: UserView::new(&user, subscription.as_ref()),
        is_new_user,
        google_user_info: GoogleUserInfo { name: claims.name, picture: claims.picture, locale: claims.locale },
    };
    Ok((set_cookie(session.cookie), Json(body)))
}

/// The account of a verified Google address (its address now counts as verified), or a new one
/// without a usable password; true when it is new.
async fn user_for(state: &AppState, email: &str) -> ApiResult<(users::User, bool)> {
    Ok(match users::find_by_email(&state.db, email).await? {
        Some(user) => {
            if !user.is_email_verified {
                users::admin_update(
                    &state.db,
                    user.id,
                    &users::AdminPatch { is_email_verified: Some(true), ..Default::default() },
                )
                .await?;
            }
            (user, false)
        }
        None => {
            // No password: an unusable hash that never verifies, until the user sets one via reset.
            let unusable = format!("!{}", resee_core::crypto::random_token());
            let new = users::NewUser {
                email,
                password_hash: &unusable,
                is_email_verified: true,
                is_staff: false,
                tier: state.config.default_tier,
            };
            (users::create(&state.db, &new).await?, true)
        }
    })
}
