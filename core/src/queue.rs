//! The consuming side of the job queue: a thin layer on Redis Streams (docs/DECISIONS.md → Jobs).
//!
//! Keys (all under the deployment's prefix):
//! - `jobs:<kind>` — one stream per job type, read by the consumer group `workers`. An entry
//!   carries `id`, `payload`, `enqueued_at` (Unix ms) and `retries` (failed attempts so far,
//!   absent on a first enqueue). An entry stays in the stream until it is acknowledged, then it
//!   is deleted, so the stream's length is the type's backlog (waiting + running).
//! - `jobs:delayed` — sorted set of jobs waiting for a retry, scored by the time (Unix ms) they
//!   become due; promoted back into their stream by [`Queue::promote_due`].
//! - `jobs:dead` — the dead-letter stream: jobs that failed `max_attempts` times, failed
//!   permanently, or kept killing their worker. Its entry ids are the dead-letter ids.
//!
//! At-least-once: a delivered entry stays pending until acknowledged. A worker renews the lease
//! of what it runs ([`Queue::renew`]); entries whose lease lapsed (their worker died) are
//! claimed by another worker ([`Queue::claim_stale`]), and the delivery count makes a job that
//! kills every worker it lands on end in the dead-letter stream instead of looping.
//! Every state change that touches two keys is one Lua script, so a crash between two commands
//! cannot lose or duplicate a job.

use std::time::Duration;

use redis::streams::{StreamReadOptions, StreamReadReply};
use serde::{Deserialize, Serialize};

use crate::jobs::{self, JobKind};
use crate::redis::Redis;

/// The consumer group every worker joins.
pub const GROUP: &str = "workers";

/// One delivery of a job to this consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub kind: JobKind,
    /// The stream entry id (what is acknowledged).
    pub entry_id: String,
    /// The job id given at enqueue time (stable across retries).
    pub job_id: String,
    pub payload: String,
    pub enqueued_at_ms: i64,
    /// Which attempt this is, from 1: failed attempts before + deliveries of this entry.
    pub attempt: u32,
}

/// A job in the dead-letter stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    /// The dead-letter id (its entry id in the dead-letter stream).
    pub id: String,
    pub kind: String,
    pub job_id: String,
    pub payload: String,
    pub attempts: u32,
    pub error: String,
    pub failed_at_ms: i64,
}

/// Numbers for `jobs stats` and the metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindStats {
    /// Entries in the stream: waiting plus running.
    pub queued: u64,
    /// Delivered and not yet acknowledged.
    pub running: u64,
    /// Waiting in the delayed set for a retry.
    pub delayed: u64,
}

/// A delayed job as kept in the sorted set.
#[derive(Debug, Serialize, Deserialize)]
struct DelayedJob {
    kind: String,
    id: String,
    payload: String,
    enqueued_at: i64,
    retries: u32,
}

// KEYS[1] stream; ARGV[1] group, ARGV[2] entry id.
const ACK: &str = r"
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
";

/// The start of every script that settles a delivery (KEYS[1] stream; ARGV[1] group, ARGV[2]
/// entry id, ARGV[3] consumer): stop unless the entry is still pending **with this consumer** —
/// another worker may have claimed it after this one's lease lapsed, and then it settles it —
/// else acknowledge and delete it.
macro_rules! settle_if_owned {
    ($refused:literal) => {
        concat!(
            "local owner = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)\n",
            "if #owner == 0 or owner[1][2] ~= ARGV[3] then return ",
            $refused,
            " end\n",
            "redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])\n",
            "redis.call('XDEL', KEYS[1], ARGV[2])\n",
        )
    };
}

// KEYS[2] delayed set; ARGV[4] due (ms), ARGV[5] the delayed job (JSON). 1 when scheduled.
const RETRY: &str = concat!(settle_if_owned!("0"), "redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])\nreturn 1\n");

// KEYS[2] dead stream; ARGV[4..] fields. The dead-letter id, or false when not ours to settle.
const BURY: &str = concat!(settle_if_owned!("false"), "return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))\n");

// ARGV[4..] fields of the new entry. Hands a delivered job back: a fresh entry at the end of
// the stream for any worker, the old one gone. 1 when released.
const RELEASE: &str = concat!(settle_if_owned!("0"), "redis.call('XADD', KEYS[1], '*', unpack(ARGV, 4))\nreturn 1\n");

// KEYS[1] stream; ARGV[1] group, ARGV[2] consumer, ARGV[3..] entry ids. Resets the idle time of
// the entries still pending with this consumer (never takes one back from a worker that claimed
// it meanwhile); returns how many.
const RENEW: &str = r"
local renewed = 0
for i = 3, #ARGV do
  local owner = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if #owner > 0 and owner[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    renewed = renewed + 1
  end
end
return renewed
";

// KEYS[1] delayed set; ARGV[1] now (ms), ARGV[2] stream key prefix (`<prefix>:jobs:`),
// ARGV[3] batch size. Moves due jobs back into their streams; returns how many.
const PROMOTE: &str = r"
local due = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do
  local job = cjson.decode(member)
  redis.call('XADD', ARGV[2] .. job.kind, '*', 'id', job.id, 'payload', job.payload,
             'enqueued_at', tostring(job.enqueued_at), 'retries', tostring(job.retries))
  redis.call('ZREM', KEYS[1], member)
end
return #due
";

// KEYS[1] dead stream; ARGV[1] dead-letter id, ARGV[2] stream key prefix, ARGV[3] now (ms).
// Puts a dead letter back at the end of its stream with a fresh attempt budget.
const REQUEUE: &str = r"
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return false end
local fields = found[1][2]
local f = {}
for i = 1, #fields, 2 do f[fields[i]] = fields[i + 1] end
local entry = redis.call('XADD', ARGV[2] .. f.kind, '*', 'id', f.job_id, 'payload', f.payload,
                         'enqueued_at', ARGV[3], 'retries', '0')
redis.call('XDEL', KEYS[1], ARGV[1])
return f.kind
";

// KEYS[1] stream; ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle (ms), ARGV[4] count,
// ARGV[5] cursor. Claims entries whose lease lapsed and returns the cursor of the next scan with
// them and their delivery counts: { cursor, { {id, {field, value, ...}, deliveries}, ... } }.
const CLAIM: &str = r"
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[5], 'COUNT', ARGV[4])
local out = {}
for _, entry in ipairs(claimed[2]) do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
  local deliveries = 1
  if #pending > 0 then deliveries = pending[1][4] end
  table.insert(out, {entry[1], entry[2], deliveries})
end
return {claimed[1], out}
";

/// The queue as one worker (consumer) sees it.
#[derive(Clone)]
pub struct Queue {
    redis: Redis,
    consumer: String,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("consumer", &self.consumer).finish_non_exhaustive()
    }
}

impl Queue {
    pub fn new(redis: Redis, consumer: impl Into<String>) -> Self {
        Self { redis, consumer: consumer.into() }
    }

    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    pub fn redis(&self) -> &Redis {
        &self.redis
    }

    fn stream(&self, kind: JobKind) -> String {
        jobs::stream_key(&self.redis, kind)
    }

    fn stream_prefix(&self) -> String {
        self.redis.key("jobs:")
    }

    pub fn delayed_key(&self) -> String {
        self.redis.key("jobs:delayed")
    }

    pub fn dead_key(&self) -> String {
        self.redis.key("jobs:dead")
    }

    /// Creates the consumer group of every stream (and the streams) if missing.
    pub async fn ensure_groups(&self) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn.clone();
        for kind in JobKind::ALL {
            let created: redis::RedisResult<()> = redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(self.stream(kind))
                .arg(GROUP)
                .arg("0")
                .arg("MKSTREAM")
                .query_async(&mut conn)
                .await;
            match created {
                Err(e) if e.code() == Some("BUSYGROUP") => {}
                other => other?,
            }
        }
        Ok(())
    }

    /// Takes up to `count` new jobs of `kind`, waiting up to `block` for the first one. `conn`
    /// should be a connection of its own: a blocking read holds up every command behind it.
    pub async fn fetch(
        &self,
        conn: &mut (impl redis::aio::ConnectionLike + Send + Sync),
        kind: JobKind,
        count: usize,
        block: Duration,
    ) -> redis::RedisResult<Vec<Delivery>> {
        let options = StreamReadOptions::default()
            .group(GROUP, &self.consumer)
            .count(count)
            .block(usize::try_from(block.as_millis()).unwrap_or(usize::MAX));
        let reply: Option<StreamReadReply> =
            redis::AsyncCommands::xread_options(conn, &[self.stream(kind)], &[">"], &options).await?;
        let mut out = Vec::new();
        for stream in reply.map(|r| r.keys).unwrap_or_default() {
            for entry in stream.ids {
                let fields: Vec<(String, String)> = entry
                    .map
                    .iter()
                    .filter_map(|(k, v)| redis::from_redis_value_ref::<String>(v).ok().map(|v| (k.clone(), v)))
                    .collect();
                out.push(delivery(kind, entry.id, &fields, 1));
            }
        }
        Ok(out)
    }

    /// Claims up to `count` jobs of `kind` whose lease has been idle for `min_idle` (their
    /// worker is gone), with their delivery counts, scanning the pending entries from `cursor`
    /// (`0-0` at first); returns the cursor for the next call, `0-0` after a full pass.
    pub async fn claim_stale(
        &self,
        kind: JobKind,
        min_idle: Duration,
        count: usize,
        cursor: &str,
    ) -> redis::RedisResult<(String, Vec<Delivery>)> {
        let mut conn = self.redis.conn.clone();
        let (next, raw): (String, Vec<(String, Vec<String>, u32)>) = redis::Script::new(CLAIM)
            .key(self.stream(kind))
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(u64::try_from(min_idle.as_millis()).unwrap_or(u64::MAX))
            .arg(count.max(1))
            .arg(cursor)
            .invoke_async(&mut conn)
            .await?;
        let deliveries = raw
            .into_iter()
            .map(|(id, flat, deliveries)| {
                let fields: Vec<(String, String)> =
                    flat.chunks_exact(2).map(|pair| (pair[0].clone(), pair[1].clone())).collect();
                delivery(kind, id, &fields, deliveries.max(1))
            })
            .collect();
        Ok((next, deliveries))
    }

    /// Resets the idle time of running entries that are still this consumer's, so that no
    /// other worker claims them; returns how many were renewed.
    pub async fn renew(&self, kind: JobKind, entry_ids: &[String]) -> redis::RedisResult<u64> {
        if entry_ids.is_empty() {
            return Ok(0);
        }
        let mut conn = self.redis.conn.clone();
        redis::Script::new(RENEW)
            .key(self.stream(kind))
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(entry_ids)
            .invoke_async(&mut conn)
            .await
    }

    /// The job is done: acknowledge and delete it.
    pub async fn ack(&self, delivery: &Delivery) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn.clone();
        redis::Script::new(ACK)
            .key(self.stream(delivery.kind))
            .arg(GROUP)
            .arg(&delivery.entry_id)
            .invoke_async::<i64>(&mut conn)
            .await?;
        Ok(())
    }

    /// Schedules another attempt after `delay`. False when the entry is no longer this
    /// consumer's (another worker claimed it and settles it).
    pub async fn retry_later(&self, delivery: &Delivery, delay: Duration, now_ms: i64) -> anyhow::Result<bool> {
        let job = DelayedJob {
            kind: delivery.kind.name().to_owned(),
            id: delivery.job_id.clone(),
            payload: delivery.payload.clone(),
            enqueued_at: delivery.enqueued_at_ms,
            retries: delivery.attempt,
        };
        let due = now_ms.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        let mut conn = self.redis.conn.clone();
        let moved: i64 = redis::Script::new(RETRY)
            .key(self.stream(delivery.kind))
            .key(self.delayed_key())
            .arg(GROUP)
            .arg(&delivery.entry_id)
            .arg(&self.consumer)
            .arg(due)
            .arg(serde_json::to_string(&job)?)
            .invoke_async(&mut conn)
            .await?;
        Ok(moved == 1)
    }

    /// Gives a delivered job back to the queue without counting an attempt (a worker shutting
    /// down before it started the job, or abandoning it at the end of its grace period).
    pub async fn release(&self, delivery: &Delivery) -> redis::RedisResult<bool> {
        let mut conn = self.redis.conn.clone();
        let released: i64 = redis::Script::new(RELEASE)
            .key(self.stream(delivery.kind))
            .arg(GROUP)
            .arg(&delivery.entry_id)
            .arg(&self.consumer)
            .arg(&[
                "id",
                &delivery.job_id,
                "payload",
                &delivery.payload,
                "enqueued_at",
                &delivery.enqueued_at_ms.to_string(),
                "retries",
                &delivery.attempt.saturating_sub(1).to_string(),
            ])
            .invoke_async(&mut conn)
            .await?;
        Ok(released == 1)
    }

    /// Moves the job to the dead-letter stream; returns its dead-letter id (None when the
    /// entry is no longer this consumer's).
    pub async fn bury(&self, delivery: &Delivery, error: &str, now_ms: i64) -> redis::RedisResult<Option<String>> {
        let mut conn = self.redis.conn.clone();
        redis::Script::new(BURY)
            .key(self.stream(delivery.kind))
            .key(self.dead_key())
            .arg(GROUP)
            .arg(&delivery.entry_id)
            .arg(&self.consumer)
            .arg(&[
                "kind",
                delivery.kind.name(),
                "job_id",
                &delivery.job_id,
                "payload",
                &delivery.payload,
                "attempts",
                &delivery.attempt.to_string(),
                "error",
                error,
                "failed_at",
                &now_ms.to_string(),
            ])
            .invoke_async(&mut conn)
            .await
    }

    /// Moves retries that are due back into their streams; returns how many moved.
    pub async fn promote_due(&self, now_ms: i64) -> redis::RedisResult<u64> {
        let mut conn = self.redis.conn.clone();
        redis::Script::new(PROMOTE)
            .key(self.delayed_key())
            .arg(now_ms)
            .arg(self.stream_prefix())
            .arg(500)
            .invoke_async(&mut conn)
            .await
    }

    /// Puts a dead letter back into its stream; returns its job kind, or None if no dead
    /// letter has that id.
    pub async fn requeue(&self, dead_id: &str, now_ms: i64) -> redis::RedisResult<Option<String>> {
        let mut conn = self.redis.conn.clone();
        redis::Script::new(REQUEUE)
            .key(self.dead_key())
            .arg(dead_id)
            .arg(self.stream_prefix())
            .arg(now_ms)
            .invoke_async(&mut conn)
            .await
    }

    /// The newest `limit` dead letters, newest first.
    pub async fn dead_letters(&self, limit: usize) -> redis::RedisResult<Vec<DeadLetter>> {
        let mut conn = self.redis.conn.clone();
        let reply: redis::streams::StreamRangeReply =
            redis::AsyncCommands::xrevrange_count(&mut conn, self.dead_key(), "+", "-", limit).await?;
        Ok(reply
            .ids
            .into_iter()
            .map(|entry| {
                let get = |name: &str| entry.get::<String>(name).unwrap_or_default();
                DeadLetter {
                    id: entry.id.clone(),
                    kind: get("kind"),
                    job_id: get("job_id"),
                    payload: get("payload"),
                    attempts: get("attempts").parse().unwrap_or(0),
                    error: get("error"),
                    failed_at_ms: get("failed_at").parse().unwrap_or(0),
                }
            })
            .collect())
    }

    /// Drops dead letters older than `max_age` (by their entry id's time); returns how many.
    pub async fn trim_dead(&self, max_age: Duration, now_ms: i64) -> redis::RedisResult<u64> {
        let min_id = now_ms.saturating_sub(i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX)).max(0);
        let mut conn = self.redis.conn.clone();
        redis::cmd("XTRIM").arg(self.dead_key()).arg("MINID").arg(min_id).query_async(&mut conn).await
    }

    /// Backlog numbers of one job type.
    pub async fn stats(&self, kind: JobKind) -> redis::RedisResult<KindStats> {
        Ok(self.stats_of(&[kind]).await?.remove(0).1)
    }

    /// Backlog numbers of every job type, reading the delayed set once.
    pub async fn stats_all(&self) -> redis::RedisResult<Vec<(JobKind, KindStats)>> {
        self.stats_of(&JobKind::ALL).await
    }

    async fn stats_of(&self, kinds: &[JobKind]) -> redis::RedisResult<Vec<(JobKind, KindStats)>> {
        let mut conn = self.redis.conn.clone();
        let members: Vec<String> = redis::AsyncCommands::zrange(&mut conn, self.delayed_key(), 0, -1).await?;
        let delayed: Vec<DelayedJob> = members.iter().filter_map(|m| serde_json::from_str(m).ok()).collect();
        let mut out = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            let queued: u64 = redis::AsyncCommands::xlen(&mut conn, self.stream(kind)).await?;
            let pending: redis::RedisResult<redis::Value> =
                redis::cmd("XPENDING").arg(self.stream(kind)).arg(GROUP).query_async(&mut conn).await;
            let running = match pending {
                Ok(redis::Value::Array(items)) => {
                    items.first().and_then(|v| redis::from_redis_value_ref(v).ok()).unwrap_or(0)
                }
                Ok(_) => 0,
                Err(e) if e.code() == Some("NOGROUP") => 0,
                Err(e) => return Err(e),
            };
            let delayed = delayed.iter().filter(|job| job.kind == kind.name()).count() as u64;
            out.push((kind, KindStats { queued, running, delayed }));
        }
        Ok(out)
    }

    /// Length of the dead-letter stream.
    pub async fn dead_count(&self) -> redis::RedisResult<u64> {
        let mut conn = self.redis.conn.clone();
        redis::AsyncCommands::xlen(&mut conn, self.dead_key()).await
    }
}

fn delivery(kind: JobKind, entry_id: String, fields: &[(String, String)], deliveries: u32) -> Delivery {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let retries: u32 = get("retries").and_then(|v| v.parse().ok()).unwrap_or(0);
    Delivery {
        kind,
        job_id: get("id").unwrap_or(&entry_id).to_owned(),
        payload: get("payload").unwrap_or("null").to_owned(),
        enqueued_at_ms: get("enqueued_at").and_then(|v| v.parse().ok()).unwrap_or(0),
        attempt: retries.saturating_add(deliveries),
        entry_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_counts_earlier_failures_and_deliveries() {
        let fields = vec![
            ("id".to_owned(), "job-1".to_owned()),
            ("payload".to_owned(), "{}".to_owned()),
            ("enqueued_at".to_owned(), "1700".to_owned()),
            ("retries".to_owned(), "2".to_owned()),
        ];
        let d = delivery(JobKind::Housekeeping, "1-0".into(), &fields, 3);
        assert_eq!((d.job_id.as_str(), d.attempt, d.enqueued_at_ms), ("job-1", 5, 1700));
        let fresh = delivery(JobKind::Housekeeping, "2-0".into(), &fields[..3], 1);
        assert_eq!(fresh.attempt, 1);
    }
}
