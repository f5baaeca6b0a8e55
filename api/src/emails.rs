//! The emails the api asks for. It never sends mail itself: each email is a `send_email` job
//! that the worker delivers (and retries).

use resee_core::crypto;
use resee_core::jobs::{self, Email, SendEmail};

use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::{preferences, users};

/// Creates a new verification token for `user` and queues the email with its link.
pub async fn send_verification(state: &AppState, user: &users::User) -> ApiResult<()> {
    let token = crypto::random_token();
    users::set_verification_token(&state.db, user.id, &crypto::token_digest(&token)).await?;
    let link = link(state, "/verify-email", &token, &user.email);
    enqueue(state, user, uuid::Uuid::new_v4().to_string(), Email::Verification { token, link }).await
}

/// The welcome email goes out once per account, however often verification succeeds.
pub async fn send_welcome(state: &AppState, user: &users::User) -> ApiResult<()> {
    enqueue(state, user, format!("welcome:{}", user.id), Email::Welcome).await
}

/// Queues a password-reset email whose link carries `token`.
pub async fn send_password_reset(state: &AppState, user: &users::User, token: String) -> ApiResult<()> {
    let link = link(state, "/reset-password", &token, &user.email);
    enqueue(state, user, uuid::Uuid::new_v4().to_string(), Email::PasswordReset { token, link }).await
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

/// `message_id` names the intended message: the worker sends each id once.
async fn enqueue(state: &AppState, user: &users::User, message_id: String, email: Email) -> ApiResult<()> {
    let job = SendEmail {
        message_id,
        to: user.email.clone(),
        user_id: Some(user.id),
        language: preferences::language(&state.db, user.id).await?,
        email,
    };
    jobs::enqueue(&state.redis, &job).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails_are_percent_encoded_in_links() {
        assert_eq!(super::encode("a+b@example.com"), "a%2Bb%40example.com");
    }
}
