//! Subscriptions: one per user.

use crate::tiers::{BillingCycle, Tier};
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: i64,
    pub user_id: i64,
    pub tier: Tier,
    pub max_interval_days: i32,
    pub start_date: DateTime<Utc>,
    pub end_date: Option<DateTime<Utc>>,
    pub is_active: bool,
    pub auto_renewal: bool,
    pub billing_cycle: BillingCycle,
    pub next_billing_date: Option<DateTime<Utc>>,
    pub payment_method: Option<String>,
}

impl Subscription {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.end_date.is_some_and(|end| end < now)
    }

    /// The tier that applies now: free once the subscription is inactive or past its end.
    pub fn effective_tier(&self, now: DateTime<Utc>) -> Tier {
        crate::tiers::effective_tier(self.tier, self.is_active, self.end_date, now)
    }

    /// Whole days left (rounded up), or `None` without an end date.
    pub fn days_remaining(&self, now: DateTime<Utc>) -> Option<i64> {
        self.end_date.map(|end| {
            let secs = (end - now).num_seconds().max(0);
            (secs + 86_399) / 86_400
        })
    }
}

struct Row {
    id: i64,
    user_id: i64,
    tier: Tier,
    max_interval_days: i32,
    start_date: DateTime<Utc>,
    end_date: Option<DateTime<Utc>>,
    is_active: bool,
    auto_renewal: bool,
    billing_cycle: BillingCycle,
    next_billing_date: Option<DateTime<Utc>>,
    payment_method: Option<String>,
}

impl From<Row> for Subscription {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id,
            tier: r.tier,
            max_interval_days: r.max_interval_days,
            start_date: r.start_date,
            end_date: r.end_date,
            is_active: r.is_active,
            auto_renewal: r.auto_renewal,
            billing_cycle: r.billing_cycle,
            next_billing_date: r.next_billing_date,
            payment_method: r.payment_method,
        }
    }
}

pub async fn for_user(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<Subscription>> {
    let row = sqlx::query_as!(
        Row,
        r#"SELECT id, user_id, tier AS "tier: Tier", max_interval_days, start_date, end_date, is_active, auto_renewal,
                  billing_cycle AS "billing_cycle: BillingCycle", next_billing_date, payment_method
           FROM subscriptions WHERE user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Subscription::from))
}

/// The subscriptions of several users at once, by user id.
pub async fn for_users(db: &PgPool, user_ids: &[i64]) -> sqlx::Result<std::collections::HashMap<i64, Subscription>> {
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT id, user_id, tier AS "tier: Tier", max_interval_days, start_date, end_date, is_active, auto_renewal,
                  billing_cycle AS "billing_cycle: BillingCycle", next_billing_date, payment_method
           FROM subscriptions WHERE user_id = ANY($1)"#,
        user_ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, Subscription::from(r))).collect())
}

/// Moves a user to `tier` from now on. Paid tiers run for one billing period and renew
/// automatically; free has no end (so every plan reports `auto_renewal`). There is no payment
/// gateway: the api decides by policy.
pub async fn change(
    db: impl PgExecutor<'_>,
    user_id: i64,
    tier: Tier,
    cycle: BillingCycle,
) -> sqlx::Result<Subscription> {
    let days = match cycle {
        BillingCycle::Monthly => 30,
        BillingCycle::Yearly => 365,
    };
    let paid = tier != Tier::Free;
    let row = sqlx::query_as!(
        Row,
        r#"INSERT INTO subscriptions (user_id, tier, max_interval_days, billing_cycle, start_date, end_date, is_active,
                                    auto_renewal, next_billing_date)
         VALUES ($1, $2, $3, $4, now(),
                 CASE WHEN $5 THEN now() + make_interval(days => $6) END, TRUE, TRUE,
                 CASE WHEN $5 THEN now() + make_interval(days => $6) END)
         ON CONFLICT (user_id) DO UPDATE SET
             tier = EXCLUDED.tier, max_interval_days = EXCLUDED.max_interval_days,
             billing_cycle = EXCLUDED.billing_cycle, start_date = EXCLUDED.start_date,
             end_date = EXCLUDED.end_date, is_active = TRUE, auto_renewal = EXCLUDED.auto_renewal,
             next_billing_date = EXCLUDED.next_billing_date
         RETURNING id, user_id, tier AS "tier: Tier", max_interval_days, start_date, end_date, is_active, auto_renewal,
                   billing_cycle AS "billing_cycle: BillingCycle", next_billing_date, payment_method"#,
        user_id,
        tier.code(),
        i32::try_from(tier.max_interval_days()).unwrap_or(i32::MAX),
        cycle.code(),
        paid,
        days,
    )
    .fetch_one(db)
    .await?;
    Ok(row.into())
}

/// The tier that applies to `user_id` at `now` (free without a subscription).
pub async fn effective_tier(db: impl PgExecutor<'_>, user_id: i64, now: DateTime<Utc>) -> sqlx::Result<Tier> {
    Ok(for_user(db, user_id).await?.map_or(Tier::Free, |s| s.effective_tier(now)))
}

/// Paid subscriptions that ran out in the two days before `now`: user id and end.
pub async fn lapsed(db: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<(i64, DateTime<Utc>)>> {
    let rows = sqlx::query!(
        r#"SELECT user_id, end_date AS "end_date!" FROM subscriptions
           WHERE tier <> 'free' AND end_date <= $1 AND end_date > $1 - interval '2 days'"#,
        now
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.end_date)).collect())
}
