//! The Redis connection shared by a process, and the naming of its keys.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::config::CommonConfig;

/// A reconnecting Redis connection plus the key prefix of this deployment.
#[derive(Clone)]
pub struct Redis {
    pub conn: ConnectionManager,
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
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(std::time::Duration::from_secs(3)))
            .set_response_timeout(Some(std::time::Duration::from_secs(3)));
        let conn = ConnectionManager::new_with_config(client, manager_config).await?;
        Ok(Self { conn, prefix: config.redis_key_prefix.clone() })
    }

    /// `<prefix>:<name>`: every key Resee writes goes through here.
    pub fn key(&self, name: impl std::fmt::Display) -> String {
        format!("{}:{name}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}
