//! `Idempotency-Key`: a retried request (an offline queue replaying reviews) returns the first
//! answer instead of acting twice. Answers are kept 24 hours in Redis, per user and key.

use std::future::Future;

use axum::http::StatusCode;
use resee_core::redis::Redis;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::messages::Msg;

const KEEP_SECS: u64 = 24 * 3600;
/// How long a first attempt may take before a retry may run the work again.
const IN_FLIGHT_SECS: u64 = 60;
const IN_FLIGHT: &str = "\u{0}in-flight";

/// Runs `work` once per (user, key); later calls with the key get the stored answer.
pub async fn once<F, Fut>(redis: &Redis, user_id: i64, key: &str, work: F) -> ApiResult<Value>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<Value>>,
{
    let redis_key = redis.key(format_args!("idempotency:{user_id}:{key}"));
    let mut conn = redis.conn.clone();
    let claimed: Option<String> = redis::cmd("SET")
        .arg(&redis_key)
        .arg(IN_FLIGHT)
        .arg("NX")
        .arg("EX")
        .arg(IN_FLIGHT_SECS)
        .query_async(&mut conn)
        .await?;
    if claimed.is_none() {
        let stored: Option<String> = redis::cmd("GET").arg(&redis_key).query_async(&mut conn).await?;
        return match stored.as_deref() {
            Some(IN_FLIGHT) => Err(ApiError::Refused {
                status: StatusCode::CONFLICT,
                message: Msg::RequestInProgress.text(),
                retry_after: Some(1),
            }),
            Some(answer) => Ok(serde_json::from_str(answer).map_err(anyhow::Error::from)?),
            // Expired between the two commands: treat as new.
            None => Box::pin(once(redis, user_id, key, work)).await,
        };
    }
    match work().await {
        Ok(answer) => {
            let () = redis::cmd("SET")
                .arg(&redis_key)
                .arg(answer.to_string())
                .arg("EX")
                .arg(KEEP_SECS)
                .query_async(&mut conn)
                .await?;
            Ok(answer)
        }
        Err(error) => {
            let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&redis_key).query_async(&mut conn).await;
            Err(error)
        }
    }
}
