//! `revoked_sessions`: sign-in sessions ended before their tokens expire (logout, a replayed
//! refresh token). The signed-in user's query (`users::find_for_request`) reads it.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Ends session `sid` of `user_id`; its access tokens are refused until `expires_at` (the last
/// one's expiry), when the row may go. Revoking twice is harmless.
pub async fn revoke(db: &PgPool, sid: &str, user_id: i64, expires_at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO revoked_sessions (sid, user_id, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET expires_at = GREATEST(revoked_sessions.expires_at, EXCLUDED.expires_at)",
        sid,
        user_id,
        expires_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets revocations whose tokens have all expired by `now`; how many.
pub async fn forget_expired(db: &PgPool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let deleted = sqlx::query!("DELETE FROM revoked_sessions WHERE expires_at < $1", now).execute(db).await?;
    Ok(deleted.rows_affected())
}
