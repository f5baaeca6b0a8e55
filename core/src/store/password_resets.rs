//! One-time password-reset tokens (only their SHA-256 is stored; valid for an hour).

use sqlx::{PgConnection, PgPool};

/// Stores a new token for a user in the caller's transaction; earlier unused tokens of that
/// user stop working.
pub async fn create(tx: &mut PgConnection, user_id: i64, digest: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
        user_id,
        digest
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Spends a valid token of the user with this email and sets the new password hash, revoking
/// every token the user had, in one transaction. Returns the user id, or `None` when the token
/// is unknown, used, expired or someone else's.
pub async fn consume(db: &PgPool, email: &str, digest: &[u8], password_hash: &str) -> sqlx::Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let user_id = sqlx::query_scalar!(
        "UPDATE password_reset_tokens t SET used_at = now()
         FROM users u
         WHERE t.user_id = u.id AND lower(u.email) = lower($1) AND t.token_hash = $2
           AND t.used_at IS NULL AND t.expires_at > now()
         RETURNING t.user_id",
        email,
        digest
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = user_id {
        super::users::set_password(&mut *tx, id, password_hash, true).await?;
    }
    tx.commit().await?;
    Ok(user_id)
}

/// Forgets tokens expired by `now`, or used more than a day before it; how many.
pub async fn forget_expired(db: &PgPool, now: chrono::DateTime<chrono::Utc>) -> sqlx::Result<u64> {
    let deleted =
        sqlx::query!("DELETE FROM password_reset_tokens WHERE expires_at < $1 OR used_at < $1 - interval '1 day'", now)
            .execute(db)
            .await?;
    Ok(deleted.rows_affected())
}
