//! `send_email`: renders the message and sends it once per `message_id` (see `crate::mail`).

use resee_core::jobs::SendEmail;
use resee_core::store::sent_emails;

use super::{JobError, JobResult};
use crate::context::Context;
use crate::mail::template_name;

pub async fn run(ctx: &Context, job: &SendEmail) -> JobResult {
    let mailer = &ctx.mailer;
    let rendered = mailer.render(&job.email, job.language).map_err(JobError::Permanent)?;
    let message = mailer.message(job, &rendered).map_err(JobError::Permanent)?;
    let mut tx = ctx.db.begin().await?;
    if !sent_emails::claim(&mut tx, &job.message_id, job.user_id, template_name(&job.email)).await? {
        tracing::info!(message_id = %job.message_id, "email already sent; not sending it again");
        return Ok(());
    }
    mailer.deliver(message, job, &rendered).await.map_err(|undelivered| {
        if undelivered.permanent { JobError::Permanent(undelivered.error) } else { JobError::Retry(undelivered.error) }
    })?;
    tx.commit().await?;
    tracing::info!(template = template_name(&job.email), message_id = %job.message_id, "email sent");
    Ok(())
}
