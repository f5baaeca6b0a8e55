//! The Redis connection shared by a process, and the naming of its keys.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use std::time::Duration;

use crate::config::CommonConfig;

/// A reconnecting Redis connection plus the key prefix of this deployment.
#[derive(Clone)]
pub struct Redis {
    pub conn: ConnectionManager,
    client: redis::Client,
    prefix: String,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl Redis {
    /// Connects; the manager reconnects by itself after Redis restarts.
    pub async fn connect(config: &CommonConfig) -> redis::RedisResult<Self> {
        let client = redis::Client::open(config.redis_url.expose())?;
        let conn = manager(&client, Duration::from_secs(3)).await?;
        Ok(Self { conn, client, prefix: config.redis_key_prefix.clone() })
    }

    /// A reconnecting connection of its own, for blocking commands (`XREADGROUP ... BLOCK`),
    /// which would hold up every command queued behind them on the shared one. Its response
    /// timeout must exceed the longest block.
    pub async fn dedicated(&self, response_timeout: Duration) -> redis::RedisResult<ConnectionManager> {
        manager(&self.client, response_timeout).await
    }

    /// `<prefix>:<name>`: every key Resee writes goes through here.
    pub fn key(&self, name: impl std::fmt::Display) -> String {
        format!("{}:{name}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

async fn manager(client: &redis::Client, response_timeout: Duration) -> redis::RedisResult<ConnectionManager> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(3)))
        .set_response_timeout(Some(response_timeout));
    ConnectionManager::new_with_config(client.clone(), config).await
}
