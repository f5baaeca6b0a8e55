//! The job handlers: one module per job type, and [`handle`] to pick the one of a delivery.
//! Delivery is at-least-once, so each one is idempotent: running a job twice has the effect of
//! running it once.

use chrono::Utc;
use resee_core::jobs::{self, Job, JobKind};
use resee_core::queue::Delivery;

use crate::context::Context;

pub mod ai;
pub mod backup;
pub mod email;
pub mod housekeeping;
pub mod reminders;
pub mod tiers;

/// Why an attempt failed, which decides what happens next.
#[derive(Debug)]
pub enum JobError {
    /// Worth another attempt (after the type's backoff), until `max_attempts`.
    Retry(anyhow::Error),
    /// Will never succeed (bad payload, address rejected): straight to the dead letters.
    Permanent(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for JobError {
    fn from(e: E) -> Self {
        Self::Retry(e.into())
    }
}

pub type JobResult = Result<(), JobError>;

/// Runs the handler of the delivery's type.
pub async fn handle(ctx: &Context, d: &Delivery) -> JobResult {
    match d.kind {
        JobKind::SendEmail => email::run(ctx, &payload(d)?).await,
        JobKind::SendReminders => reminders::run(ctx, &payload::<jobs::SendReminders>(d)?, Utc::now()).await,
        JobKind::Housekeeping => housekeeping::run(ctx, Utc::now()).await,
        JobKind::ReclampSchedules => {
            tiers::reclamp_schedules(&ctx.db, &ctx.redis, &payload(d)?, Utc::now()).await?;
            Ok(())
        }
        JobKind::GenerateMcChoices => Ok(ai::generate_mc_choices(&ctx.db, &ctx.redis, &ctx.ai, &payload(d)?).await?),
        JobKind::ValidateContent => Ok(ai::validate_content(&ctx.redis, &ctx.ai, &payload(d)?).await?),
        JobKind::GradeAnswer => Ok(ai::grade_answer(&ctx.db, &ctx.redis, &ctx.ai, &payload(d)?).await?),
        JobKind::GenerateExam => Ok(ai::generate_exam(&ctx.db, &ctx.ai, &payload(d)?).await?),
        JobKind::BackupDatabase => backup::run(ctx, &payload(d)?).await,
        JobKind::Noop => {
            let _: jobs::Noop = payload(d)?;
            Ok(())
        }
    }
}

/// The payload, or a permanent failure: a payload that does not parse never will.
fn payload<J: Job>(d: &Delivery) -> Result<J, JobError> {
    serde_json::from_str(&d.payload)
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("the `{}` payload does not parse: {e}", J::KIND.name())))
}
