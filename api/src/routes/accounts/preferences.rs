//! Notification preferences and the one-click unsubscribe.

use axum::Json;
use axum::extract::State;
use chrono::NaiveTime;
use resee_core::i18n::Language;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Input, Params};
use crate::fields::{Bool, Fields, FromFields, Text, Time};
use crate::messages::Msg;
use crate::state::AppState;
use crate::views::Message;
use resee_core::store::preferences::{self, Preferences};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_preferences, put_preferences)).routes(routes!(unsubscribe))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesView {
    email_notifications_enabled: bool,
    daily_reminder_enabled: bool,
    /// `HH:MM:SS` in `timezone`.
    daily_reminder_time: String,
    /// IANA time zone name.
    timezone: String,
    /// `ko` or `en`: the language of emails.
    language: String,
}

impl From<Preferences> for PreferencesView {
    fn from(p: Preferences) -> Self {
        Self {
            email_notifications_enabled: p.email_notifications_enabled,
            daily_reminder_enabled: p.daily_reminder_enabled,
            daily_reminder_time: p.daily_reminder_time.format("%H:%M:%S").to_string(),
            timezone: p.timezone,
            language: p.language,
        }
    }
}

fn defaults() -> Preferences {
    Preferences {
        email_notifications_enabled: true,
        daily_reminder_enabled: true,
        daily_reminder_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        timezone: "Asia/Seoul".into(),
        language: "ko".into(),
    }
}

/// Email and reminder settings.
#[utoipa::path(get, path = "/api/accounts/notification-preferences/", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The preferences", body = PreferencesView)))]
async fn get_preferences(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<PreferencesView>> {
    let prefs = preferences::for_user(&state.db, auth.user.id).await?.unwrap_or_else(defaults);
    Ok(Json(prefs.into()))
}

#[derive(Debug, ToSchema)]
pub struct PreferencesUpdate {
    email_notifications_enabled: Option<bool>,
    daily_reminder_enabled: Option<bool>,
    /// `HH:MM:SS` or `HH:MM`.
    #[schema(value_type = Option<String>)]
    daily_reminder_time: Option<NaiveTime>,
    /// An IANA time zone name (default `Asia/Seoul`).
    #[schema(value_type = Option<String>)]
    timezone: Option<chrono_tz::Tz>,
    /// `ko` or `en`: the language of emails.
    #[schema(value_type = Option<String>)]
    language: Option<Language>,
}

impl FromFields for PreferencesUpdate {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let timezone = f.optional("timezone", Text::new().max(64)).and_then(|zone| {
            let tz = zone.parse().ok();
            if tz.is_none() {
                f.add("timezone", Msg::UnknownTimeZone.text());
            }
            tz
        });
        let language = f.optional("language", Text::new().max(16)).and_then(|code| {
            let language = code.parse().ok();
            if language.is_none() {
                f.add("language", Msg::UnknownLanguage.text());
            }
            language
        });
        Some(Self {
            email_notifications_enabled: f.optional("email_notifications_enabled", Bool),
            daily_reminder_enabled: f.optional("daily_reminder_enabled", Bool),
            daily_reminder_time: f.optional("daily_reminder_time", Time),
            timezone,
            language,
        })
    }
}

/// Change email and reminder settings; omitted keys keep their value, unknown keys are ignored.
#[utoipa::path(put, path = "/api/accounts/notification-preferences/", tag = "accounts", security(("bearer" = [])),
    request_body = PreferencesUpdate,
    responses(
        (status = 200, description = "The saved preferences", body = PreferencesView),
        (status = 400, description = "Field errors: bad time, unknown time zone or language"),
    ))]
async fn put_preferences(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<PreferencesUpdate>,
) -> ApiResult<Json<PreferencesView>> {
    let mut prefs = preferences::for_user(&state.db, auth.user.id).await?.unwrap_or_else(defaults);
    if let Some(on) = body.email_notifications_enabled {
        prefs.email_notifications_enabled = on;
    }
    if let Some(on) = body.daily_reminder_enabled {
        prefs.daily_reminder_enabled = on;
    }
    if let Some(time) = body.daily_reminder_time {
        prefs.daily_reminder_time = time;
    }
    if let Some(tz) = body.timezone {
        prefs.timezone = tz.name().to_owned();
    }
    if let Some(language) = body.language {
        prefs.language = language.code().to_owned();
    }
    Ok(Json(preferences::save(&state.db, auth.user.id, &prefs).await?.into()))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The token of the email's unsubscribe link.
    token: Option<String>,
}

impl FromFields for UnsubscribeQuery {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { token: f.optional("token", Text::new().max(512)) })
    }
}

#[derive(Debug, ToSchema)]
pub struct UnsubscribeRequest {
    token: Option<String>,
}

impl FromFields for UnsubscribeRequest {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { token: f.optional("token", Text::new().max(512)) })
    }
}

/// Turn daily reminders off (RFC 8058 one-click: the token comes in the query string, or as
/// `token` in the body; mail clients post `List-Unsubscribe=One-Click` as a form).
#[utoipa::path(post, path = "/api/accounts/unsubscribe/", tag = "accounts", params(UnsubscribeQuery),
    request_body(content = UnsubscribeRequest, description = "Optional when the token is in the query string"),
    responses(
        (status = 200, description = "Reminders are off", body = Message),
        (status = 400, description = "`{\"error\"}`: unknown token"),
    ))]
async fn unsubscribe(
    State(state): State<AppState>,
    Params(query): Params<UnsubscribeQuery>,
    body: Result<Input<UnsubscribeRequest>, ApiError>,
) -> ApiResult<Json<Message>> {
    // Mail providers post one-click requests in several ways: with the token in the link, the
    // body only matters (and only its problems) when the link has none.
    let token = match query.token {
        Some(token) => token,
        None => body?.0.token.unwrap_or_default(),
    };
    if token.trim().is_empty() || !preferences::unsubscribe(&state.db, token.trim()).await? {
        return Err(ApiError::refused(Msg::UnsubscribeLinkInvalid));
    }
    Ok(Message::new(Msg::Unsubscribed.text()))
}
