//! Today's review list and the dashboard, cached per user in Redis.
//!
//! Every write that changes what they show bumps the user's generation (`INCR`). A view is
//! looked up under the generation current *before* its data is read, and stored under that
//! same generation: a write that races with the read bumps the generation, so the view it made
//! stale is never served. Views also expire after [`TTL_SECS`], which bounds what no write
//! announces: the 30-day window of the dashboard slides, and AI-generated options arrive late.
//!
//! A write during a Redis outage cannot bump its user's generation. So views are also keyed by a
//! global epoch, which the api bumps ([`bump_epoch`]) when Redis answers again after an outage:
//! no view cached before the outage is ever served after it.

use std::sync::LazyLock;

use crate::redis::Redis;

/// How long a cached view lives.
pub const TTL_SECS: u64 = 60;
/// How long a generation counter outlives the user's last write.
const GENERATION_TTL_SECS: i64 = 7 * 24 * 3600;

fn generation_key(redis: &Redis, user_id: i64) -> String {
    redis.key(format!("learn-gen:{user_id}"))
}

fn epoch_key(redis: &Redis) -> String {
    redis.key("learn-epoch")
}

fn view_key(redis: &Redis, user_id: i64, generation: &str, view: &str) -> String {
    redis.key(format!("learn:{user_id}:{generation}:{view}"))
}

/// A cached view, or the generation to store a fresh one under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Hit(Vec<u8>),
    Miss { generation: String },
}

/// One round trip: the user's generation (`<epoch>.<counter>`) and the view stored under it.
pub async fn lookup(redis: &Redis, user_id: i64, view: &str) -> redis::RedisResult<Lookup> {
    static SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
        redis::Script::new(
            "local generation = (redis.call('GET', KEYS[2]) or '0') .. '.' .. (redis.call('GET', KEYS[1]) or '0')
             return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}",
        )
    });
    let prefix = redis.key(format!("learn:{user_id}:"));
    let mut conn = redis.conn.clone();
    let (generation, body): (String, Option<Vec<u8>>) = SCRIPT
        .key(generation_key(redis, user_id))
        .key(epoch_key(redis))
        .arg(prefix)
        .arg(view)
        .invoke_async(&mut conn)
        .await?;
    Ok(match body {
        Some(body) => Lookup::Hit(body),
        None => Lookup::Miss { generation },
    })
}

/// Stores `body` as `view` under `generation` (from [`lookup`]).
pub async fn store(redis: &Redis, user_id: i64, generation: &str, view: &str, body: &[u8]) -> redis::RedisResult<()> {
    let mut conn = redis.conn.clone();
    redis::cmd("SET")
        .arg(view_key(redis, user_id, generation, view))
        .arg(body)
        .arg("EX")
        .arg(TTL_SECS)
        .query_async(&mut conn)
        .await
}

/// Makes every cached view of `user_id` stale. Called after the write committed; a failure is
/// logged (the views then expire within [`TTL_SECS`]).
pub async fn invalidate(redis: &Redis, user_id: i64) {
    let key = generation_key(redis, user_id);
    let mut conn = redis.conn.clone();
    let result: redis::RedisResult<()> =
        redis::pipe().incr(&key, 1).ignore().expire(&key, GENERATION_TTL_SECS).ignore().query_async(&mut conn).await;
    match result {
        // Logged once per outage by `redis`; the epoch bumped after it voids these views.
        Err(e) if crate::redis::is_outage(&e) => {
            tracing::debug!(error = %e, user_id, "views not invalidated: Redis down");
        }
        Err(e) => tracing::warn!(error = %e, user_id, "cannot invalidate the cached review views"),
        Ok(()) => {}
    }
}

/// Makes every cached view of every user stale (after a Redis outage, see the module's notes).
pub async fn bump_epoch(redis: &Redis) -> redis::RedisResult<()> {
    let mut conn = redis.conn.clone();
    redis::cmd("INCR").arg(epoch_key(redis)).query_async::<i64>(&mut conn).await.map(drop)
}
