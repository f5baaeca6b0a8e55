//! `send_reminders`: the daily review reminder (docs/OPERATIONS.md → Email).
//!
//! Each `send_reminders` job (one per scheduler tick, every 5 minutes) looks for users whose
//! local `daily_reminder_time` passed within the last hour and who have not been handled on
//! that local day. Each of them is handled once per local day: when at least one card is in
//! today's list, a `send_email` job goes out, its message id `reminder:<user>:<local date>` so
//! that a second run of the same tick cannot send it twice; then the day is recorded.

use chrono::{DateTime, Utc};
use resee_core::i18n::Language;
use resee_core::jobs::{self, Email, SendEmail, SendReminders};
use resee_core::review::{self, TodayWindow};
use resee_core::store::preferences::{self, ReminderCandidate};
use resee_core::store::{reviews, subscriptions};

use super::JobResult;
use crate::context::Context;

/// How many due titles the email lists.
const TITLES_SHOWN: i64 = 5;

pub async fn run(ctx: &Context, job: &SendReminders, now: DateTime<Utc>) -> JobResult {
    let candidates = preferences::reminder_candidates(&ctx.db, now).await?;
    let mut sent = 0;
    for candidate in &candidates {
        if remind(ctx, candidate, now).await? {
            sent += 1;
        }
    }
    tracing::info!(tick = %job.tick, candidates = candidates.len(), reminders = sent, "reminders handled");
    Ok(())
}

/// Queues the user's reminder if cards are due; records the day either way. True when queued.
async fn remind(ctx: &Context, c: &ReminderCandidate, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let tier = subscriptions::effective_tier(&ctx.db, c.user_id, now).await?;
    let window = TodayWindow::new(review::zone(&c.timezone), now, tier.max_interval_days());
    let (due_titles, due_count) = reviews::due_titles(&ctx.db, c.user_id, &window, TITLES_SHOWN).await?;
    let queued = if due_count > 0 {
        let job = SendEmail {
            message_id: format!("reminder:{}:{}", c.user_id, c.local_date),
            to: c.email.clone(),
            user_id: Some(c.user_id),
            language: c.language.parse().unwrap_or(Language::Ko),
            email: Email::ReviewReminder {
                due_titles,
                due_count: u32::try_from(due_count).unwrap_or(u32::MAX),
                unsubscribe_token: c.unsubscribe_token.clone(),
            },
        };
        jobs::enqueue(&ctx.redis, &job).await?;
        true
    } else {
        false
    };
    preferences::mark_reminded(&ctx.db, c.user_id, c.local_date).await?;
    Ok(queued)
}
