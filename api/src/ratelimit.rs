//! Request rate limits kept in Redis, so every api replica counts together.
//!
//! Fixed windows: `<prefix>:rl:<scope>:<subject>:<window>` is incremented per request and
//! expires with its window. Over the limit, the caller gets 429 with `Retry-After` = the seconds
//! until the window ends.
//!
//! While Redis is down a limit cannot count. [`WhenDown`] says what it does then: sign-in,
//! registration and the email flows refuse (503; an attacker must not get unlimited password
//! guesses from an outage), everything else is let through (Redis's state is logged and counted
//! once per outage by `resee_core::redis`).

use std::time::{SystemTime, UNIX_EPOCH};

use resee_core::config::Rate;
use resee_core::redis::{self, Redis};

use crate::error::{ApiError, ApiResult};

/// What a limit does while Redis cannot count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenDown {
    /// Let the request through (reads and writes that only need PostgreSQL).
    Allow,
    /// Answer 503 + `Retry-After` (sign-in, registration, password reset, email flows).
    Refuse,
}

/// Counts one request and turns the decision into the answer: 429 over the limit, and while
/// Redis is down whatever `when_down` says.
pub async fn enforce(redis: &Redis, scope: &str, subject: &str, rate: Rate, when_down: WhenDown) -> ApiResult<()> {
    match hit(redis, scope, subject, rate).await {
        Ok(Decision::Allowed) => Ok(()),
        Ok(Decision::Limited { retry_after }) => Err(ApiError::throttled(retry_after)),
        Err(e) if redis::is_outage(&e) && when_down == WhenDown::Allow => {
            metrics::counter!("resee_rate_limit_skipped_total", "scope" => scope.to_owned()).increment(1);
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Limited { retry_after: u64 },
}

/// Counts one request of `subject` (an IP or a user id) in `scope` against `rate`.
pub async fn hit(redis: &Redis, scope: &str, subject: &str, rate: Rate) -> ::redis::RedisResult<Decision> {
    let period = rate.period.as_secs().max(1);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let window = now / period;
    let key = redis.key(format_args!("rl:{scope}:{subject}:{window}"));
    let mut conn = redis.conn.clone();
    let (count,): (u64,) = ::redis::pipe()
        .atomic()
        .incr(&key, 1)
        .expire(&key, i64::try_from(period + 1).unwrap_or(i64::MAX))
        .ignore()
        .query_async(&mut conn)
        .await?;
    if count > u64::from(rate.count) {
        Ok(Decision::Limited { retry_after: (window + 1) * period - now })
    } else {
        Ok(Decision::Allowed)
    }
}
