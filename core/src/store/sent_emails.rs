//! `sent_emails`: one row per email message id, so that a redelivered `send_email` job never
//! sends the same message twice.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Claims `message_id` in the caller's transaction (held until the SMTP server accepted the
/// message); false when it was sent already.
pub async fn claim(
    tx: &mut PgConnection,
    message_id: &str,
    user_id: Option<i64>,
    template: &str,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query!(
        "INSERT INTO sent_emails (message_id, user_id, template) VALUES ($1, $2, $3) ON CONFLICT (message_id) DO NOTHING",
        message_id,
        user_id,
        template,
    )
    .execute(tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Forgets sent messages older than `days` days before `now`; how many.
pub async fn forget_older_than(db: &PgPool, now: DateTime<Utc>, days: i32) -> sqlx::Result<u64> {
    let deleted = sqlx::query!(
        "DELETE FROM sent_emails WHERE sent_at < $1::timestamptz - make_interval(days => $2::int)",
        now,
        days
    )
    .execute(db)
    .await?;
    Ok(deleted.rows_affected())
}
