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
        crate::crypto::random_token(),
    )
    .fetch_one(db)
    .await
}

/// The language a user's emails are written in (Korean when unknown).
pub async fn language(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<crate::i18n::Language> {
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

/// A user whose daily reminder time has come.
#[derive(Debug)]
pub struct ReminderCandidate {
    pub user_id: i64,
    pub email: String,
    pub language: String,
    pub unsubscribe_token: String,
    pub timezone: String,
    pub local_date: chrono::NaiveDate,
}

/// Users with both switches on and a verified address, whose reminder time (on their local
/// today or yesterday, for times just before midnight) is in the hour before `now`, not yet
/// handled that local day.
pub async fn reminder_candidates(
    db: &PgPool,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<Vec<ReminderCandidate>> {
    sqlx::query_as!(
        ReminderCandidate,
        r#"WITH prefs AS (
               SELECT p.user_id, p.language, p.unsubscribe_token, p.daily_reminder_time, p.last_reminder_local_date,
                      CASE WHEN p.timezone IN (SELECT name FROM pg_timezone_names) THEN p.timezone ELSE 'Asia/Seoul' END AS tz
               FROM notification_preferences p
               WHERE p.email_notifications_enabled AND p.daily_reminder_enabled
           ), due AS (
               SELECT p.*, d.local_date, (d.local_date + p.daily_reminder_time) AT TIME ZONE p.tz AS due_at
               FROM prefs p
               CROSS JOIN LATERAL (VALUES (($1::timestamptz AT TIME ZONE p.tz)::date),
                                          (($1::timestamptz AT TIME ZONE p.tz)::date - 1)) AS d(local_date)
           )
           SELECT u.id AS user_id, u.email, d.language, d.unsubscribe_token, d.tz AS "timezone!", d.local_date AS "local_date!"
           FROM due d JOIN users u ON u.id = d.user_id
           WHERE u.is_active AND u.is_email_verified
             AND d.due_at <= $1 AND d.due_at > $1 - interval '1 hour'
             AND (d.last_reminder_local_date IS NULL OR d.last_reminder_local_date < d.local_date)
           ORDER BY u.id"#,
        now
    )
    .fetch_all(db)
    .await
}

/// Records that the user's reminder of `local_date` was handled.
pub async fn mark_reminded(db: &PgPool, user_id: i64, local_date: chrono::NaiveDate) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE notification_preferences SET last_reminder_local_date = $2 WHERE user_id = $1",
        user_id,
        local_date
    )
    .execute(db)
    .await?;
    Ok(())
}
