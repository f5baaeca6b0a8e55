//! The Redis connection shared by a process, and the naming of its keys.
//!
//! Every command on the shared connection goes through [`Conn`], which notices outages: a
//! command that cannot reach Redis (refused, reset, timed out, `LOADING` while Redis reads its
//! append-only file) marks Redis down, once, with a log line and a metric; while it is down,
//! commands fail at once instead of waiting, and one command per [`RETRY_EVERY`] tries again.
//! The first command that gets an answer marks it up. Callers decide what an outage means for
//! them: [`is_outage`] tells an outage from any other error.

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::{Cmd, ErrorKind, Pipeline, RedisError, RedisFuture, RedisResult, ServerErrorKind, Value};

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use crate::config::CommonConfig;

/// While Redis is down, how often a command is let through to try again.
pub const RETRY_EVERY: Duration = Duration::from_millis(500);

/// A reconnecting Redis connection plus the key prefix of this deployment.
#[derive(Clone)]
pub struct Redis {
    pub conn: Conn,
    client: redis::Client,
    prefix: String,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl Redis {
    /// Connects; the manager reconnects by itself after Redis restarts. No command waits
    /// longer than `REDIS_TIMEOUT` for an answer.
    pub async fn connect(config: &CommonConfig) -> redis::RedisResult<Self> {
        let client = redis::Client::open(config.redis_url.expose())?;
        let manager = manager(&client, config.redis_timeout, config.redis_timeout).await?;
        let conn = Conn { inner: manager, timeout: config.redis_timeout, health: Arc::default() };
        Ok(Self { conn, client, prefix: config.redis_key_prefix.clone() })
    }

    /// A reconnecting connection of its own, for blocking commands (`XREADGROUP ... BLOCK`),
    /// which would hold up every command queued behind them on the shared one. Its response
    /// timeout must exceed the longest block.
    pub async fn dedicated(&self, response_timeout: Duration) -> redis::RedisResult<ConnectionManager> {
        manager(&self.client, self.conn.timeout, response_timeout).await
    }

    /// `<prefix>:<name>`: every key Resee writes goes through here.
    pub fn key(&self, name: impl std::fmt::Display) -> String {
        format!("{}:{name}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// False from the first failed command of an outage to the first answered one after it.
    pub fn is_up(&self) -> bool {
        !self.conn.health.down.load(Ordering::Relaxed)
    }

    /// How many outages this process has seen end: a caller that must act once per recovery
    /// (the api's cache epoch) compares it with the count it last acted on.
    pub fn recoveries(&self) -> u64 {
        self.conn.health.recoveries.load(Ordering::Relaxed)
    }
}

async fn manager(
    client: &redis::Client,
    connection_timeout: Duration,
    response_timeout: Duration,
) -> redis::RedisResult<ConnectionManager> {
    // One quick reconnection attempt per failed command: the outage logic above, not the
    // manager's backoff (6 retries, ~10 s by default), decides how long callers wait.
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(connection_timeout))
        .set_response_timeout(Some(response_timeout))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    ConnectionManager::new_with_config(client.clone(), config).await
}

/// True for errors that mean Redis cannot be reached or cannot answer now, as opposed to a bad
/// command: the caller may degrade (fail open) or answer 503.
pub fn is_outage(error: &RedisError) -> bool {
    match error.kind() {
        ErrorKind::Server(ServerErrorKind::ExecAbort) => {
            // A transaction (`MULTI`…`EXEC`) refused as a whole: look at why each command was.
            error
                .clone()
                .into_server_errors()
                .is_some_and(|items| items.iter().any(|(_, e)| e.kind().is_some_and(is_unavailable_server)))
        }
        ErrorKind::Server(kind) => is_unavailable_server(kind),
        _ => {
            error.is_io_error() || error.is_connection_dropped() || error.is_connection_refusal() || error.is_timeout()
        }
    }
}

/// Server answers that mean "not now" rather than "not this": loading the dataset after a
/// restart, a failover in progress, a replica that cannot take writes.
fn is_unavailable_server(kind: ServerErrorKind) -> bool {
    matches!(
        kind,
        ServerErrorKind::BusyLoading
            | ServerErrorKind::TryAgain
            | ServerErrorKind::MasterDown
            | ServerErrorKind::ClusterDown
            | ServerErrorKind::ReadOnly
    )
}

#[derive(Debug, Default)]
struct Health {
    down: AtomicBool,
    /// Unix ms when the outage began (0 while up).
    down_since_ms: AtomicI64,
    /// While down: before this Unix ms, commands fail without trying.
    next_try_ms: AtomicI64,
    recoveries: AtomicU64,
}

impl Health {
    fn may_try(&self, now_ms: i64) -> bool {
        if !self.down.load(Ordering::Relaxed) {
            return true;
        }
        // One caller per interval wins the slot and tries; the rest fail fast.
        let next = self.next_try_ms.load(Ordering::Relaxed);
        now_ms >= next
            && self
                .next_try_ms
                .compare_exchange(next, now_ms + retry_every_ms(), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }

    fn failed(&self, error: &RedisError, now_ms: i64) {
        self.next_try_ms.store(now_ms + retry_every_ms(), Ordering::Relaxed);
        if !self.down.swap(true, Ordering::Relaxed) {
            self.down_since_ms.store(now_ms, Ordering::Relaxed);
            metrics::counter!("resee_redis_outages_total").increment(1);
            metrics::gauge!("resee_redis_up").set(0.0);
            tracing::error!(error = %error, "Redis unreachable: degrading until it answers again");
        }
    }

    fn answered(&self, now_ms: i64) {
        if self.down.swap(false, Ordering::Relaxed) {
            let lasted = now_ms - self.down_since_ms.swap(0, Ordering::Relaxed);
            self.recoveries.fetch_add(1, Ordering::Relaxed);
            metrics::gauge!("resee_redis_up").set(1.0);
            tracing::warn!(outage_ms = lasted, "Redis answers again");
        }
    }
}

fn retry_every_ms() -> i64 {
    i64::try_from(RETRY_EVERY.as_millis()).unwrap_or(500)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn unavailable() -> RedisError {
    RedisError::from((ErrorKind::Io, "Redis is unavailable (outage in progress)"))
}

fn timed_out() -> RedisError {
    RedisError::from(std::io::Error::new(std::io::ErrorKind::TimedOut, "Redis did not answer in time"))
}

/// The shared connection: a [`ConnectionManager`] that knows when Redis is down.
#[derive(Clone)]
pub struct Conn {
    inner: ConnectionManager,
    timeout: Duration,
    health: Arc<Health>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn").field("timeout", &self.timeout).field("health", &self.health).finish_non_exhaustive()
    }
}

impl Conn {
    /// Runs one request: fails at once during an outage (except the periodic retry), bounds the
    /// wait, retries once when the connection had dropped (the first command after a Redis
    /// restart), and records the outcome.
    async fn guarded<T, F, Fut>(&mut self, mut send: F) -> RedisResult<T>
    where
        F: FnMut(ConnectionManager) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        if !self.health.may_try(now_ms()) {
            return Err(unavailable());
        }
        let mut outcome = self.attempt(&mut send).await;
        if outcome.as_ref().is_err_and(RedisError::is_connection_dropped) {
            outcome = self.attempt(&mut send).await;
        }
        match &outcome {
            Ok(_) => self.health.answered(now_ms()),
            Err(e) if is_outage(e) => self.health.failed(e, now_ms()),
            // Redis answered (with an error about the command): it is up.
            Err(_) => self.health.answered(now_ms()),
        }
        outcome
    }

    async fn attempt<T, F, Fut>(&self, send: &mut F) -> RedisResult<T>
    where
        F: FnMut(ConnectionManager) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        tokio::time::timeout(self.timeout, send(self.inner.clone())).await.unwrap_or_else(|_| Err(timed_out()))
    }
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(self.guarded(move |mut inner| async move { inner.req_packed_command(cmd).await }))
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(self.guarded(move |mut inner| async move { inner.req_packed_commands(pipeline, offset, count).await }))
    }

    fn get_db(&self) -> i64 {
        self.inner.get_db()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_reported_once_and_retried_once_per_interval() {
        let health = Health::default();
        let error = RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(is_outage(&error));
        assert!(health.may_try(1_000));
        health.failed(&error, 1_000);
        health.failed(&error, 1_010);
        assert_eq!(health.down_since_ms.load(Ordering::Relaxed), 1_000, "the outage began with the first failure");
        assert!(!health.may_try(1_100), "commands fail fast within the interval");
        let retry_at = 1_010 + retry_every_ms();
        assert!(health.may_try(retry_at), "one command tries again after the interval");
        assert!(!health.may_try(retry_at), "and only one");
        health.answered(retry_at + 5);
        assert!(health.may_try(retry_at + 6));
        assert_eq!(health.recoveries.load(Ordering::Relaxed), 1);
        health.answered(retry_at + 7);
        assert_eq!(health.recoveries.load(Ordering::Relaxed), 1, "answers while up are not recoveries");
    }

    #[test]
    fn command_errors_are_not_outages() {
        let no_script = RedisError::from((ErrorKind::Server(ServerErrorKind::NoScript), "NOSCRIPT"));
        assert!(!is_outage(&no_script));
        let loading = RedisError::from((ErrorKind::Server(ServerErrorKind::BusyLoading), "LOADING"));
        assert!(is_outage(&loading));
    }
}
