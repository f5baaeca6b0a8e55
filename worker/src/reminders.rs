//! The daily review reminder (domain.md → Email).
//!
//! Each `send_reminders` job (one per scheduler tick, every 5 minutes) looks for users whose
//! local `daily_reminder_time` passed within the last hour and who have not been handled on
//! that local day. Each of them is handled once per local day: when at least one card is in
//! today's list, a `send_email` job goes out, its message id `reminder:<user>:<local date>` so
//! that a second run of the same tick cannot send it twice; then the day is recorded.

use chrono::{DateTime, NaiveDate, Utc};
use resee_core::i18n::Language;
use resee_core::jobs::{self, Email, SendEmail, SendReminders};
use resee_core::schedule::{self, TodayWindow};
use resee_core::tiers::{Tier, effective_tier};

use crate::context::Context;
use crate::handlers::JobResult;

/// How many due titles the email lists.
const TITLES_SHOWN: i64 = 5;

/// A user whose reminder time has come.
#[derive(Debug)]
struct Candidate {
    user_id: i64,
    email: String,
    language: String,
    unsubscribe_token: String,
    timezone: String,
    local_date: NaiveDate,
}

pub async fn run(ctx: &Context, job: &SendReminders, now: DateTime<Utc>) -> JobResult {
    let candidates = candidates(ctx, now).await?;
    let mut sent = 0;
    for candidate in &candidates {
        if remind(ctx, candidate, now).await? {
            sent += 1;
        }
    }
    tracing::info!(tick = %job.tick, candidates = candidates.len(), reminders = sent, "reminders handled");
    Ok(())
}

/// Users with both switches on, a verified address, whose reminder time (on their local today
/// or yesterday, for times just before midnight) is in the last hour, not yet handled that day.
async fn candidates(ctx: &Context, now: DateTime<Utc>) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query_as!(
        Candidate,
        r#"WITH prefs AS (
               SELECT p.user_id, p.language, p.unsubscribe_token, p.daily_reminder_time, p.last_reminder_local_date,
                      CASE WHEN p.timezone IN (SELECT name FROM pg_timezone_names) THEN p.timezone ELSE 'Asia/Seoul' END AS tz
               FROM notification_preferences p
               WHERE p.email_notifications_enabled AND p.daily_reminder_enabled
           ), due AS (
               SELECT p.*, d.local_date, (d.local_date + p.daily_reminder_time) AT TIME ZONE p.tz AS due_at
               FROM prefs p
               CROSS JOIN LATERAL (VALUES (($1::timestamptz AT TIME ZONE p.tz)::date),
                                          (($1::timestamptz AT TIME ZONE p.tz)::date - 1)) AS d(local_date)
           )
           SELECT u.id AS user_id, u.email, d.language, d.unsubscribe_token, d.tz AS "timezone!", d.local_date AS "local_date!"
           FROM due d JOIN users u ON u.id = d.user_id
           WHERE u.is_active AND u.is_email_verified
             AND d.due_at <= $1 AND d.due_at > $1 - interval '1 hour'
             AND (d.last_reminder_local_date IS NULL OR d.last_reminder_local_date < d.local_date)
           ORDER BY u.id"#,
        now
    )
    .fetch_all(&ctx.db)
    .await
}

/// Queues the user's reminder if cards are due; records the day either way. True when queued.
async fn remind(ctx: &Context, c: &Candidate, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let sub = sqlx::query!("SELECT tier, is_active, end_date FROM subscriptions WHERE user_id = $1", c.user_id)
        .fetch_optional(&ctx.db)
        .await?;
    let tier =
        sub.map_or(Tier::Free, |s| effective_tier(s.tier.parse().unwrap_or(Tier::Free), s.is_active, s.end_date, now));
    let window = TodayWindow::new(schedule::zone(&c.timezone), now, tier.max_interval_days());
    let due = sqlx::query!(
        r#"SELECT c.title, count(*) OVER () AS "total!"
           FROM review_schedules s JOIN contents c ON c.id = s.content_id
           WHERE s.user_id = $1 AND s.is_active
             AND (NOT s.initial_review_completed OR (s.next_review_date >= $2 AND s.next_review_date < $3))
           ORDER BY s.next_review_date, s.id
           LIMIT $4"#,
        c.user_id,
        window.oldest_due,
        window.today_end,
        TITLES_SHOWN
    )
    .fetch_all(&ctx.db)
    .await?;
    let queued = if let Some(first) = due.first() {
        let job = SendEmail {
            message_id: format!("reminder:{}:{}", c.user_id, c.local_date),
            to: c.email.clone(),
            user_id: Some(c.user_id),
            language: c.language.parse().unwrap_or(Language::Ko),
            email: Email::ReviewReminder {
                due_titles: due.iter().map(|r| r.title.clone()).collect(),
                due_count: u32::try_from(first.total).unwrap_or(u32::MAX),
                unsubscribe_token: c.unsubscribe_token.clone(),
            },
        };
        jobs::enqueue(&ctx.redis, &job).await?;
        true
    } else {
        false
    };
    sqlx::query!(
        "UPDATE notification_preferences SET last_reminder_local_date = $2 WHERE user_id = $1",
        c.user_id,
        c.local_date
    )
    .execute(&ctx.db)
    .await?;
    Ok(queued)
}
