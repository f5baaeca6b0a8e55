//! The signed-in user's own account: who am I, profile, weekly goal, account deletion.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::extract::{AuthUser, Input};
use crate::fields::{Fields, FromFields, Text};
use crate::messages::Msg;
use crate::session;
use crate::state::AppState;
use crate::validation::{self, Errors};
use crate::views::{Message, UserView};
use resee_core::store::users;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, delete_me))
        .routes(routes!(profile, update_profile))
        .routes(routes!(weekly_goal, set_weekly_goal))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/accounts/users/me/", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The signed-in user", body = UserView), (status = 401, description = "Not signed in")))]
async fn me(auth: AuthUser) -> Json<UserView> {
    Json(UserView::new(&auth.user, auth.subscription.as_ref()))
}

/// The signed-in user (the profile page's path).
#[utoipa::path(get, path = "/api/accounts/profile/", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The signed-in user", body = UserView), (status = 401, description = "Not signed in")))]
async fn profile(auth: AuthUser) -> Json<UserView> {
    me(auth).await
}

#[derive(Debug, ToSchema)]
pub struct ProfileUpdate {
    /// A new username; `null` or `""` removes it.
    #[schema(value_type = Option<String>, max_length = 150)]
    username: Option<Option<String>>,
    /// 1–100.
    #[schema(minimum = 1, maximum = 100)]
    weekly_goal: Option<i32>,
}

impl FromFields for ProfileUpdate {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let username = f.nullable("username", Text::new().max(150));
        let weekly_goal = f.optional("weekly_goal", crate::fields::WEEKLY_GOAL);
        Some(Self { username, weekly_goal })
    }

    fn reject(errors: FieldErrors) -> ApiError {
        ApiError::validation(errors)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    email: String,
    username: Option<String>,
    is_email_verified: bool,
    weekly_goal: i32,
}

/// Change the username and/or weekly goal.
#[utoipa::path(put, path = "/api/accounts/profile/", tag = "accounts", security(("bearer" = [])), request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated profile", body = ProfileView),
        (status = 400, description = "`VALIDATION_ERROR`: username taken or invalid, weekly goal outside 1–100"),
    ))]
async fn update_profile(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<ProfileUpdate>,
) -> ApiResult<Json<ProfileView>> {
    let mut errors = Errors::default();
    let username = validation::username_change(&state.db, body.username, auth.user.id, &mut errors).await?;
    errors.into_result().map_err(ApiError::into_validation)?;
    let user =
        users::update_profile(&state.db, auth.user.id, username.as_ref().map(Option::as_deref), body.weekly_goal)
            .await
            .map_err(|e| ApiError::from(e).into_validation())?;
    Ok(Json(ProfileView {
        email: user.email,
        username: user.username,
        is_email_verified: user.is_email_verified,
        weekly_goal: user.weekly_goal,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyGoal {
    weekly_goal: i32,
}

/// The weekly review goal.
#[utoipa::path(get, path = "/api/accounts/weekly-goal/", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The weekly goal", body = WeeklyGoal)))]
async fn weekly_goal(auth: AuthUser) -> Json<WeeklyGoal> {
    Json(WeeklyGoal { weekly_goal: auth.user.weekly_goal })
}

#[derive(Debug, ToSchema)]
pub struct WeeklyGoalUpdate {
    /// 1–100.
    #[schema(minimum = 1, maximum = 100)]
    weekly_goal: i32,
}

impl FromFields for WeeklyGoalUpdate {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { weekly_goal: f.required("weekly_goal", crate::fields::WEEKLY_GOAL)? })
    }

    fn reject(errors: FieldErrors) -> ApiError {
        ApiError::validation(errors)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyGoalSaved {
    message: String,
    weekly_goal: i32,
}

/// Set the weekly review goal (PUT and PATCH do the same).
#[utoipa::path(method(put, patch), path = "/api/accounts/weekly-goal/", tag = "accounts", security(("bearer" = [])), request_body = WeeklyGoalUpdate,
    responses(
        (status = 200, description = "Saved", body = WeeklyGoalSaved),
        (status = 400, description = "`VALIDATION_ERROR`: outside 1–100"),
    ))]
async fn set_weekly_goal(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<WeeklyGoalUpdate>,
) -> ApiResult<Json<WeeklyGoalSaved>> {
    let user = users::update_profile(&state.db, auth.user.id, None, Some(body.weekly_goal)).await?;
    Ok(Json(WeeklyGoalSaved { message: Msg::WeeklyGoalSaved.text(), weekly_goal: user.weekly_goal }))
}

#[derive(Debug, ToSchema)]
pub struct DeleteAccount {
    password: String,
    /// Must be exactly `DELETE`.
    confirmation: String,
}

impl FromFields for DeleteAccount {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let password = f.required("password", Text::new().untrimmed());
        let confirmation = f.required("confirmation", Text::new());
        Some(Self { password: password?, confirmation: confirmation? })
    }
}

/// Delete the account and everything it owns.
#[utoipa::path(delete, path = "/api/accounts/users/me/", tag = "accounts", security(("bearer" = [])), request_body = DeleteAccount,
    responses(
        (status = 200, description = "Deleted; every token of the account stops working", body = Message),
        (status = 400, description = "Wrong password or missing `DELETE` confirmation"),
    ))]
async fn delete_me(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<DeleteAccount>,
) -> ApiResult<Json<Message>> {
    let mut errors = Errors::default();
    if body.confirmation != "DELETE" {
        errors.add("confirmation", Msg::TypeDeleteToConfirm.text());
    }
    if !session::check_password(&state, body.password, &auth.user.password_hash).await.0.is_ok() {
        errors.add("password", Msg::PasswordIncorrect.text());
    }
    errors.into_result()?;
    users::delete(&state.db, auth.user.id).await?;
    Ok(Message::new(Msg::AccountDeleted.text()))
}
