//! `backup_database`: one scheduled backup (see `crate::backup`).

use resee_core::jobs::BackupDatabase;

use super::{JobError, JobResult};
use crate::context::Context;

pub async fn run(ctx: &Context, job: &BackupDatabase) -> JobResult {
    let Some(store) = &ctx.backup else {
        return Err(JobError::Permanent(anyhow::anyhow!(
            "backups are not configured (S3_BUCKET is empty); set the S3 settings or switch BACKUP_SCHEDULE off"
        )));
    };
    tracing::info!(tick = %job.tick, "backup started");
    crate::backup::run_recorded(store, &ctx.db, &ctx.slack, std::future::pending())
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}
