//! What every job handler can reach.

use resee_core::queue::Queue;
use resee_core::redis::Redis;
use resee_core::slack::Slack;
use sqlx::PgPool;

use crate::config::WorkerConfig;
use crate::mail::Mailer;

pub struct Context {
    pub config: WorkerConfig,
    pub db: PgPool,
    pub redis: Redis,
    pub queue: Queue,
    pub slack: Slack,
    pub mailer: Mailer,
    /// The configured AI provider, with the offline one behind it.
    pub ai: resee_core::ai::Ai,
    /// Backups to S3, when `S3_BUCKET` is set.
    pub backup: Option<crate::backup::Store>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("queue", &self.queue).finish_non_exhaustive()
    }
}
