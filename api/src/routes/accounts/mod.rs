//! `/api/accounts/*`: registration, verification, profile, passwords, subscription, admin.

mod admin;
mod google;
mod password;
mod preferences;
mod profile;
mod register;
mod subscription;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(register::router())
        .merge(profile::router())
        .merge(preferences::router())
        .merge(password::router())
        .merge(subscription::router())
        .merge(admin::router())
        .merge(google::router())
}
