//! User management for staff (`is_staff`); everyone else gets 403.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, Id, Input, Params};
use crate::fields::{Bool, Fields, FromFields, Text};
use crate::messages::Msg;
use crate::pagination::{Page, PageQuery, Paginated};
use crate::state::AppState;
use crate::validation::{self, Errors};
use crate::views::UserView;
use resee_core::store::users::{self, AdminPatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users)).routes(routes!(get_user, patch_user, delete_user))
}

const PAGE_SIZE: i64 = 20;

/// All users, 20 per page (admins only).
#[utoipa::path(get, path = "/api/accounts/users/", tag = "admin", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "One page of users", body = Paginated<UserView>),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "Page out of range"),
    ))]
async fn list_users(
    State(state): State<AppState>,
    _admin: AdminUser,
    Params(query): Params<PageQuery>,
) -> ApiResult<Json<Paginated<UserView>>> {
    let page = Page::new(&query, PAGE_SIZE)?;
    let (rows, count) = users::list(&state.db, page.size, page.offset()).await?;
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let subscriptions = resee_core::store::subscriptions::for_users(&state.db, &ids).await?;
    let results = rows.iter().map(|user| UserView::new(user, subscriptions.get(&user.id))).collect();
    let base = format!("{}/api/accounts/users/", state.config.common.public_url);
    Ok(Json(page.envelope(&base, count, results)?))
}

/// One user (admins only).
#[utoipa::path(get, path = "/api/accounts/users/{id}/", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The user", body = UserView), (status = 403, description = "Not an admin"), (status = 404, description = "No such user")))]
async fn get_user(State(state): State<AppState>, _admin: AdminUser, Id(id): Id) -> ApiResult<Json<UserView>> {
    let (user, subscription) = users::find_with_subscription(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(UserView::new(&user, subscription.as_ref())))
}

#[derive(Debug, ToSchema)]
pub struct UserPatch {
    #[schema(value_type = Option<String>, max_length = 150)]
    username: Option<Option<String>>,
    #[schema(minimum = 1, maximum = 100)]
    weekly_goal: Option<i32>,
    /// Deactivating a user also revokes their tokens.
    is_active: Option<bool>,
    is_staff: Option<bool>,
    is_email_verified: Option<bool>,
}

impl FromFields for UserPatch {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self {
            username: f.nullable("username", Text::new().max(150)),
            weekly_goal: f.optional("weekly_goal", crate::fields::WEEKLY_GOAL),
            is_active: f.optional("is_active", Bool),
            is_staff: f.optional("is_staff", Bool),
            is_email_verified: f.optional("is_email_verified", Bool),
        })
    }
}

/// Edit a user (admins only).
#[utoipa::path(patch, path = "/api/accounts/users/{id}/", tag = "admin", security(("bearer" = [])), request_body = UserPatch,
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The updated user", body = UserView),
        (status = 400, description = "Field errors (also: deactivating or demoting yourself)"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such user"),
    ))]
async fn patch_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Input(body): Input<UserPatch>,
) -> ApiResult<Json<UserView>> {
    let mut errors = Errors::default();
    // An admin cannot lock themselves out (the last admin would leave nobody to undo it).
    if admin.0.user.id == id {
        if body.is_active == Some(false) {
            errors.add("is_active", Msg::CannotDeactivateSelf.text());
        }
        if body.is_staff == Some(false) {
            errors.add("is_staff", Msg::CannotRemoveOwnAdminRights.text());
        }
    }
    let username = validation::username_change(&state.db, body.username, id, &mut errors).await?;
    errors.into_result()?;
    let patch = AdminPatch {
        username: username.as_ref().map(Option::as_deref),
        weekly_goal: body.weekly_goal,
        is_active: body.is_active,
        is_staff: body.is_staff,
        is_email_verified: body.is_email_verified,
    };
    users::admin_update(&state.db, id, &patch).await?.ok_or_else(ApiError::not_found)?;
    get_user(State(state), admin, Id(id)).await
}

/// Delete a user and everything they own (admins only; not yourself).
#[utoipa::path(delete, path = "/api/accounts/users/{id}/", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "`{\"error\"}`: admins delete their own account through `users/me/`"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such user"),
    ))]
async fn delete_user(State(state): State<AppState>, AdminUser(admin): AdminUser, Id(id): Id) -> ApiResult<StatusCode> {
    if admin.user.id == id {
        return Err(ApiError::refused(Msg::DeleteOwnAccountThroughMe));
    }
    if users::delete(&state.db, id).await? { Ok(StatusCode::NO_CONTENT) } else { Err(ApiError::not_found()) }
}
