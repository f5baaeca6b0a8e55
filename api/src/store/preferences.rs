//! Notification preferences: one row per user.

use chrono::NaiveTime;
use sqlx::{PgExecutor, PgPool};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub email_notifications_enabled: bool,
    pub daily_reminder_enabled: bool,
    pub daily_reminder_time: NaiveTime,
    pub timezone: String,
    pub language: String,
}

pub async fn for_user(db: &PgPool, user_id: i64) -> sqlx::Result<Option<Preferences>> {
    sqlx::query_as!(
        Preferences,
        "SELECT email_notifications_enabled, daily_reminder_enabled, daily_reminder_time, timezone, language
         FROM notification_preferences WHERE user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Stores the preferences, creating the row for users imported without one.
pub async fn save(db: &PgPool, user_id: i64, p: &Preferences) -> sqlx::Result<Preferences> {
    sqlx::query_as!(
        Preferences,
        "INSERT INTO notification_preferences (user_id, email_notifications_enabled, daily_reminder_enabled,
                                               daily_reminder_time, timezone, language, unsubscribe_token)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET
             email_notifications_enabled = EXCLUDED.email_notifications_enabled,
             daily_reminder_enabled = EXCLUDED.daily_reminder_enabled,
             daily_reminder_time = EXCLUDED.daily_reminder_time,
             timezone = EXCLUDED.timezone, language = EXCLUDED.language
         RETURNING email_notifications_enabled, daily_reminder_enabled, daily_reminder_time, timezone, language",
        user_id,
        p.email_notifications_enabled,
        p.daily_reminder_enabled,
        p.daily_reminder_time,
        p.timezone,
        p.language,
        resee_core::crypto::random_token(),
    )
    .fetch_one(db)
    .await
}

/// The language a user's emails are written in (Korean when unknown).
pub async fn language(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<resee_core::i18n::Language> {
    let code = sqlx::query_scalar!("SELECT language FROM notification_preferences WHERE user_id = $1", user_id)
        .fetch_optional(db)
        .await?;
    Ok(code.and_then(|c| c.parse().ok()).unwrap_or_default())
}

/// Turns daily reminders off for the owner of an unsubscribe token; false when no one has it.
pub async fn unsubscribe(db: &PgPool, token: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE notification_preferences SET daily_reminder_enabled = FALSE WHERE unsubscribe_token = $1",
        token
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
