//! The emails the api asks for. It never sends mail itself: each email is a `send_email` job
//! that the worker delivers (and retries).

use resee_core::crypto;
use resee_core::jobs::{Email, SendEmail};
use resee_core::outbox::{self, Queued};
use sqlx::PgConnection;

use crate::error::ApiResult;
use crate::state::AppState;
use resee_core::store::{password_resets, preferences, users};

/// Wait between two verification emails to one address.
pub const VERIFICATION_COOLDOWN_SECS: u64 = 300;

/// Starts the wait before another verification email may go to `email` (account or not);
/// `Some(seconds left)` when one is already running.
pub async fn verification_cooldown(state: &AppState, email: &str) -> ApiResult<Option<u64>> {
    let key = state.redis.key(format_args!("verify-mail:{}", email.trim().to_lowercase()));
    let mut conn = state.redis.conn.clone();
    let started: Option<String> = redis::cmd("SET")
        .arg(&key)
        .arg(1)
        .arg("NX")
        .arg("EX")
        .arg(VERIFICATION_COOLDOWN_SECS)
        .query_async(&mut conn)
        .await?;
    if started.is_some() {
        return Ok(None);
    }
    let left: i64 = redis::cmd("TTL").arg(&key).query_async(&mut conn).await?;
    Ok(Some(u64::try_from(left).unwrap_or(1).max(1)))
}

/// Creates a new verification token for `user` and queues the email with its link (the
/// address's cooldown starts with it).
pub async fn send_verification(state: &AppState, user: &users::User) -> ApiResult<()> {
    verification_cooldown(state, &user.email).await?;
    send_verification_now(state, user).await
}

/// [`send_verification`] inside a cooldown the caller has started: the token and its email are
/// stored in one transaction.
pub async fn send_verification_now(state: &AppState, user: &users::User) -> ApiResult<()> {
    let token = crypto::random_token();
    let link = link(state, "/verify-email", &token, &user.email);
    let mut tx = state.db.begin().await?;
    users::set_verification_token(&mut *tx, user.id, &crypto::token_digest(&token)).await?;
    let job = add(&mut tx, user, uuid::Uuid::new_v4().to_string(), Email::Verification { token, link }).await?;
    Ok(outbox::commit(tx, &state.db, &state.redis, Some(job)).await?)
}

/// The welcome email, in the transaction that verified the address; it goes out once per
/// account, however often verification succeeds.
pub async fn welcome(tx: &mut PgConnection, user: &users::User) -> ApiResult<Queued> {
    add(tx, user, format!("welcome:{}", user.id), Email::Welcome).await
}

/// Creates a password-reset token for `user` and queues the email whose link carries it, in one
/// transaction.
pub async fn send_password_reset(state: &AppState, user: &users::User) -> ApiResult<()> {
    let token = crypto::random_token();
    let link = link(state, "/reset-password", &token, &user.email);
    let mut tx = state.db.begin().await?;
    password_resets::create(&mut tx, user.id, &crypto::token_digest(&token)).await?;
    let job = add(&mut tx, user, uuid::Uuid::new_v4().to_string(), Email::PasswordReset { token, link }).await?;
    Ok(outbox::commit(tx, &state.db, &state.redis, Some(job)).await?)
}

fn link(state: &AppState, page: &str, token: &str, email: &str) -> String {
    format!("{}{page}?token={token}&email={}", state.config.common.public_url, encode(email))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Adds the email to the outbox of `tx`. `message_id` names the intended message: the worker
/// sends each id once.
async fn add(tx: &mut PgConnection, user: &users::User, message_id: String, email: Email) -> ApiResult<Queued> {
    let job = SendEmail {
        message_id,
        to: user.email.clone(),
        user_id: Some(user.id),
        language: preferences::language(&mut *tx, user.id).await?,
        email,
    };
    Ok(outbox::add(tx, &job).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails_are_percent_encoded_in_links() {
        assert_eq!(super::encode("a+b@example.com"), "a%2Bb%40example.com");
    }
}
