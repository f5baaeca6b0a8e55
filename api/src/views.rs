//! Response shapes shared by several endpoints (`<User>`, `<Subscription>`; api.md).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n;
use crate::store::subscriptions::Subscription;
use crate::store::users::User;

/// `<User>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub username: Option<String>,
    pub is_email_verified: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub weekly_goal: i32,
    pub date_joined: DateTime<Utc>,
    pub subscription: Option<SubscriptionSummary>,
}

impl UserView {
    pub fn new(user: &User, subscription: Option<&Subscription>) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            username: user.username.clone(),
            is_email_verified: user.is_email_verified,
            is_staff: user.is_staff,
            is_superuser: user.is_superuser,
            weekly_goal: user.weekly_goal,
            date_joined: user.date_joined,
            subscription: subscription.map(SubscriptionSummary::new),
        }
    }
}

/// The subscription as embedded in `<User>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionSummary {
    pub id: i64,
    /// `free`, `basic` or `pro`.
    pub tier: String,
    pub tier_display: String,
    pub max_interval_days: i32,
    pub start_date: DateTime<Utc>,
    pub end_date: Option<DateTime<Utc>>,
    pub is_active: bool,
    /// Whole days until `end_date`; null without an end.
    pub days_remaining: Option<i64>,
    pub is_expired: bool,
}

impl SubscriptionSummary {
    pub fn new(s: &Subscription) -> Self {
        let now = Utc::now();
        Self {
            id: s.id,
            tier: s.tier.code().to_owned(),
            tier_display: s.tier.display_name(i18n::current()).to_owned(),
            max_interval_days: s.max_interval_days,
            start_date: s.start_date,
            end_date: s.end_date,
            is_active: s.is_active,
            days_remaining: s.days_remaining(now),
            is_expired: s.is_expired(now),
        }
    }
}

/// `GET /api/accounts/subscription/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    #[serde(flatten)]
    pub summary: SubscriptionSummary,
    pub auto_renewal: bool,
    pub next_billing_date: Option<DateTime<Utc>>,
    pub payment_method: Option<String>,
}

impl SubscriptionView {
    pub fn new(s: &Subscription) -> Self {
        Self {
            summary: SubscriptionSummary::new(s),
            auto_renewal: s.auto_renewal,
            next_billing_date: s.next_billing_date,
            payment_method: s.payment_method.clone(),
        }
    }
}

/// `{"message": "..."}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub message: String,
}

impl Message {
    pub fn new(message: String) -> axum::Json<Self> {
        axum::Json(Self { message })
    }
}
