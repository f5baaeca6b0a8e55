//! What every job handler can reach.

use resee_core::queue::Queue;
use resee_core::redis::Redis;
use resee_core::slack::Slack;
use sqlx::PgPool;

use crate::ai::Provider;
use crate::config::WorkerConfig;
use crate::mail::Mailer;

pub struct Context {
    pub config: WorkerConfig,
    pub db: PgPool,
    pub redis: Redis,
    pub queue: Queue,
    pub slack: Slack,
    pub mailer: Mailer,
    pub ai: Box<dyn Provider>,
    /// Backups to S3, when `S3_BUCKET` is set.
    pub backup: Option<crate::backup::Store>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("queue", &self.queue).finish_non_exhaustive()
    }
}
