//! Changing and resetting passwords. Both revoke every token the user had.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::emails;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, ClientIp, Input};
use crate::fields::{Fields, FromFields, Text};
use crate::messages::Msg;
use crate::session;
use crate::state::AppState;
use crate::validation::{self, Errors};
use crate::views::Message;
use resee_core::store::{password_resets, users};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_password)).routes(routes!(request_reset)).routes(routes!(confirm_reset))
}

#[derive(Debug, ToSchema)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

impl FromFields for PasswordChange {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let current_password = f.required("current_password", Text::new().untrimmed());
        let new_password = f.required("new_password", Text::new());
        let new_password_confirm = f.required("new_password_confirm", Text::new());
        Some(Self {
            current_password: current_password?,
            new_password: new_password?,
            new_password_confirm: new_password_confirm?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordChanged {
    message: String,
    /// Always `relogin`: every earlier token is revoked.
    action_required: String,
}

/// Change the password.
#[utoipa::path(put, path = "/api/accounts/users/me/password/", tag = "accounts", security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; sign in again", body = PasswordChanged),
        (status = 400, description = "`current_password` wrong, `new_password` weak, or `non_field_errors` mismatch"),
    ))]
async fn change_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<PasswordChange>,
) -> ApiResult<Json<PasswordChanged>> {
    if !session::check_password(&state, body.current_password, &auth.user.password_hash).await.0.is_ok() {
        return Err(ApiError::field("current_password", Msg::CurrentPasswordIncorrect.text()));
    }
    check_new(&body.new_password, &body.new_password_confirm, &auth.user.email)?;
    let hash = state.hasher.hash(body.new_password).await.map_err(anyhow::Error::from)?;
    users::set_password(&state.db, auth.user.id, &hash, true).await?;
    Ok(Json(PasswordChanged { message: Msg::PasswordChanged.text(), action_required: "relogin".into() }))
}

fn check_new(password: &str, confirm: &str, email: &str) -> ApiResult<()> {
    if password != confirm {
        return Err(ApiError::non_field(validation::passwords_differ()));
    }
    let mut errors = Errors::default();
    for message in validation::password(password, email) {
        errors.add("new_password", message);
    }
    errors.into_result()
}

#[derive(Debug, ToSchema)]
pub struct ResetRequest {
    email: String,
}

impl FromFields for ResetRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { email: f.required("email", Text::new())? })
    }
}

async fn email_reset_link(state: &AppState, email: &str) -> ApiResult<()> {
    match users::find_by_email(&state.db, email).await? {
        Some(user) if user.is_active => emails::send_password_reset(state, &user).await,
        _ => Ok(()),
    }
}

/// Email a one-time password-reset link (valid for an hour). Always answers 200, so it cannot
/// be used to find out which addresses have accounts.
#[utoipa::path(post, path = "/api/accounts/password-reset/", tag = "accounts", request_body = ResetRequest,
    responses(
        (status = 200, description = "If the account exists, the email is queued", body = Message),
        (status = 429, description = "Too many email requests from this address"),
    ))]
async fn request_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<ResetRequest>,
) -> ApiResult<Json<Message>> {
    session::limit_ip(&state, "email", ip, state.config.rate_limits.email).await?;
    // The answer never waits for the account's work, so its timing cannot tell whether an
    // account exists: the lookup, the token and the email happen after it.
    let email = body.email.trim().to_owned();
    tokio::spawn(async move {
        if let Err(e) = email_reset_link(&state, &email).await {
            tracing::warn!(error = ?e, "could not queue a password-reset email");
        }
    });
    Ok(Message::new(Msg::PasswordResetLinkSent.text()))
}

#[derive(Debug, ToSchema)]
pub struct ResetConfirm {
    email: String,
    token: String,
    new_password: String,
    new_password_confirm: String,
}

impl FromFields for ResetConfirm {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let email = f.required("email", Text::new());
        let token = f.required("token", Text::new());
        let new_password = f.required("new_password", Text::new());
        let new_password_confirm = f.required("new_password_confirm", Text::new());
        Some(Self {
            email: email?,
            token: token?,
            new_password: new_password?,
            new_password_confirm: new_password_confirm?,
        })
    }
}

/// Set a new password with the emailed token; signs out every session.
#[utoipa::path(post, path = "/api/accounts/password-reset/confirm/", tag = "accounts", request_body = ResetConfirm,
    responses(
        (status = 200, description = "The password is set", body = Message),
        (status = 400, description = "`{\"error\"}` for a bad, used or expired token; field errors for the password"),
        (status = 429, description = "Too many email requests from this address"),
    ))]
async fn confirm_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<ResetConfirm>,
) -> ApiResult<Json<Message>> {
    session::limit_ip(&state, "email", ip, state.config.rate_limits.email).await?;
    check_new(&body.new_password, &body.new_password_confirm, body.email.trim())?;
    let hash = state.hasher.hash(body.new_password).await.map_err(anyhow::Error::from)?;
    let digest = resee_core::crypto::token_digest(body.token.trim());
    password_resets::consume(&state.db, body.email.trim(), &digest, &hash)
        .await?
        .ok_or_else(|| ApiError::refused(Msg::PasswordResetLinkInvalid))?;
    Ok(Message::new(Msg::PasswordReset.text()))
}
