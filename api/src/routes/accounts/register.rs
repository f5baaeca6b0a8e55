//! Registration and email verification.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use resee_core::outbox;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::emails;
use crate::error::FieldErrors;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Input};
use crate::fields::{Email, Fields, FromFields, Text};
use crate::messages::Msg;
use crate::session;
use crate::state::AppState;
use crate::validation::{self, Errors};
use crate::views::{Message, UserView};
use resee_core::store::{subscriptions, users};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_legacy))
        .routes(routes!(register))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
}

#[derive(Debug, ToSchema)]
pub struct RegisterRequest {
    email: String,
    password: String,
    password_confirm: String,
}

impl FromFields for RegisterRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let email = f.required("email", Email);
        let password = f.required("password", Text::new());
        let password_confirm = f.required("password_confirm", Text::new());
        Some(Self { email: email?, password: password?, password_confirm: password_confirm? })
    }

    fn reject(errors: FieldErrors) -> ApiError {
        ApiError::validation(errors)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    success: bool,
    message: String,
    data: RegisteredData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredData {
    user: UserView,
    requires_email_verification: bool,
}

/// Register (the old backend's path; same as `users/register/`).
#[utoipa::path(post, path = "/api/accounts/users/", tag = "accounts", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered", body = Registered),
        (status = 400, description = "`VALIDATION_ERROR`: bad email, weak or mismatched password, email taken"),
        (status = 429, description = "Too many registrations from this address"),
    ))]
async fn register_legacy(
    state: State<AppState>,
    ip: ClientIp,
    body: Result<Input<RegisterRequest>, ApiError>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    register(state, ip, body).await
}

/// Register a new account.
#[utoipa::path(post, path = "/api/accounts/users/register/", tag = "accounts", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered; a verification email is queued when verification is enforced", body = Registered),
        (status = 400, description = "`VALIDATION_ERROR`: bad email, weak or mismatched password, email taken"),
        (status = 429, description = "Too many registrations from this address"),
    ))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<Input<RegisterRequest>, ApiError>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    // The body's problems come after the rate limit: a malformed body still counts as a try.
    session::limit_ip(&state, "register", ip, state.config.rate_limits.register).await?;
    let Input(body) = body?;
    // Hashed before the checks: a taken address answers as slowly as a new one, so the timing
    // does not tell which addresses have accounts.
    let hash = state.hasher.hash(body.password.clone()).await.map_err(anyhow::Error::from)?;
    validate(&state, &body).await.map_err(ApiError::into_validation)?;
    let enforce = state.config.auth.enforce_email_verification;
    let new = users::NewUser {
        email: &body.email,
        password_hash: &hash,
        is_email_verified: !enforce,
        is_staff: false,
        tier: state.config.default_tier,
    };
    let user = users::create(&state.db, &new).await.map_err(|e| ApiError::from(e).into_validation())?;
    if enforce {
        emails::send_verification(&state, &user).await?;
    }
    let subscription = subscriptions::for_user(&state.db, user.id).await?;
    let message = if enforce { Msg::RegisteredVerifyEmail } else { Msg::Registered };
    let data =
        RegisteredData { user: UserView::new(&user, subscription.as_ref()), requires_email_verification: enforce };
    Ok((StatusCode::CREATED, Json(Registered { success: true, message: message.text(), data })))
}

/// Checks the registration form beyond its fields: a free address, the password policy, the confirmation.
async fn validate(state: &AppState, body: &RegisterRequest) -> ApiResult<()> {
    let mut errors = Errors::default();
    if users::find_by_email(&state.db, &body.email).await?.is_some() {
        errors.add("email", Msg::EmailTaken.text());
    }
    for message in validation::password(&body.password, &body.email) {
        errors.add("password", message);
    }
    if body.password != body.password_confirm {
        errors.add("password_confirm", validation::passwords_differ());
    }
    errors.into_result()
}

#[derive(Debug, ToSchema)]
pub struct VerifyEmailRequest {
    email: String,
    token: String,
}

impl FromFields for VerifyEmailRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let email = f.required("email", Text::new());
        let token = f.required("token", Text::new());
        Some(Self { email: email?, token: token? })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Verified {
    message: String,
    user: UserView,
}

/// Confirm an email address with the token from the verification email.
#[utoipa::path(post, path = "/api/accounts/verify-email/", tag = "accounts", request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "Verified; a welcome email is queued", body = Verified),
        (status = 400, description = "`{\"error\"}`: the token is wrong, used or older than 24 hours"),
        (status = 429, description = "Too many email requests from this address"),
    ))]
async fn verify_email(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<VerifyEmailRequest>,
) -> ApiResult<Json<Verified>> {
    session::limit_ip(&state, "email", ip, state.config.rate_limits.email).await?;
    let digest = resee_core::crypto::token_digest(body.token.trim());
    let mut tx = state.db.begin().await?;
    let user_id = users::verify_email(&mut *tx, body.email.trim(), &digest)
        .await?
        .ok_or_else(|| ApiError::refused(Msg::VerificationLinkInvalid))?;
    let verified = users::find(&mut *tx, user_id).await?.ok_or_else(ApiError::not_found)?;
    let welcome = emails::welcome(&mut tx, &verified).await?;
    outbox::commit(tx, &state.db, &state.redis, Some(welcome)).await?;
    let (user, subscription) =
        users::find_with_subscription(&state.db, user_id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(Verified { message: Msg::EmailVerified.text(), user: UserView::new(&user, subscription.as_ref()) }))
}

#[derive(Debug, ToSchema)]
pub struct ResendRequest {
    email: String,
}

impl FromFields for ResendRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { email: f.required("email", Text::new())? })
    }
}

/// Send the verification email again. The answer is the same for every address (account or
/// not, verified or not), so it cannot tell which addresses have accounts; one request per
/// address every 5 minutes.
#[utoipa::path(post, path = "/api/accounts/resend-verification/", tag = "accounts", request_body = ResendRequest,
    responses(
        (status = 200, description = "If an unverified account uses the address, a new verification email is queued", body = Message),
        (status = 429, description = "`{\"error\"}`: this address asked less than 5 minutes ago, or too many email requests"),
    ))]
async fn resend_verification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Input(body): Input<ResendRequest>,
) -> ApiResult<Json<Message>> {
    session::limit_ip(&state, "email", ip, state.config.rate_limits.email).await?;
    let email = validation::email(&body.email).unwrap_or_else(|_| body.email.clone());
    if let Some(wait) = emails::verification_cooldown(&state, &email).await? {
        return Err(ApiError::Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: Msg::VerificationEmailCooldown(wait).text(),
            retry_after: Some(wait),
        });
    }
    if let Some(user) = users::find_by_email(&state.db, &email).await?
        && !user.is_email_verified
    {
        // The cooldown just started covers this email too.
        emails::send_verification_now(&state, &user).await?;
    }
    Ok(Message::new(Msg::VerificationEmailSent.text()))
}
