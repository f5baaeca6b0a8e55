//! Response shapes shared by several endpoints (`<User>`, `<Subscription>`; see docs/openapi.json).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use resee_core::store::subscriptions::Subscription;
use resee_core::store::users::User;

/// `<User>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub username: Option<String>,
    pub is_email_verified: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    /// An addition to the old `<User>`: false once staff deactivated the account.
    pub is_active: bool,
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
            is_active: user.is_active,
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
            tier_display: s.tier.display_name().to_owned(),
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
    /// `""` when there is none (the original's default).
    pub payment_method: String,
}

impl SubscriptionView {
    pub fn new(s: &Subscription) -> Self {
        Self {
            summary: SubscriptionSummary::new(s),
            auto_renewal: s.auto_renewal,
            next_billing_date: s.next_billing_date,
            payment_method: s.payment_method.clone().unwrap_or_default(),
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

/// `<Usage>`: how much of the plan's limit is used (`limit` 999999 = unlimited).
#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    pub current: i64,
    pub limit: i64,
    pub remaining: i64,
    pub percentage: f64,
    pub can_create: bool,
    pub tier: String,
}

impl Usage {
    pub fn new(current: i64, limit: Option<u32>, tier: resee_core::tiers::Tier) -> Self {
        let limit = limit.map_or(resee_core::tiers::UNLIMITED, i64::from);
        let percentage = if limit > 0 { (current as f64 * 1000.0 / limit as f64).round() / 10.0 } else { 0.0 };
        Self {
            current,
            limit,
            remaining: (limit - current).max(0),
            percentage,
            can_create: current < limit,
            tier: tier.code().to_owned(),
        }
    }
}

/// `<Category>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    /// The owner's id.
    pub user: i64,
}

impl From<&resee_core::store::categories::Category> for CategoryView {
    fn from(c: &resee_core::store::categories::Category) -> Self {
        Self {
            id: c.id,
            name: c.name.clone(),
            slug: c.slug.clone(),
            description: c.description.clone(),
            created_at: c.created_at,
            user: c.user_id,
        }
    }
}

/// `<Content>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentView {
    pub id: i64,
    pub title: String,
    /// The Markdown body.
    pub content: String,
    /// The owner's email.
    pub author: String,
    pub category: Option<CategoryView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub review_count: i64,
    pub next_review_date: Option<DateTime<Utc>>,
    pub review_mode: String,
    /// `{"choices": [4], "correct_answer"}` once generated.
    #[schema(value_type = Option<Object>)]
    pub mc_choices: Option<serde_json::Value>,
    pub is_ai_validated: bool,
    pub ai_validation_score: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub ai_validation_result: Option<serde_json::Value>,
    pub ai_validated_at: Option<DateTime<Utc>>,
}

impl From<resee_core::store::contents::ContentRow> for ContentView {
    fn from(r: resee_core::store::contents::ContentRow) -> Self {
        let category = match (r.category_id, r.category_name, r.category_slug, r.category_created_at) {
            (Some(id), Some(name), Some(slug), Some(created_at)) => Some(CategoryView {
                id,
                name,
                slug,
                description: r.category_description.unwrap_or_default(),
                created_at,
                user: r.author_id,
            }),
            _ => None,
        };
        Self {
            id: r.id,
            title: r.title,
            content: r.body,
            author: r.author_email,
            category,
            created_at: r.created_at,
            updated_at: r.updated_at,
            review_count: r.review_count,
            next_review_date: r.next_review_date,
            review_mode: r.review_mode,
            mc_choices: r.mc_choices,
            is_ai_validated: r.is_ai_validated,
            ai_validation_score: r.ai_validation_score,
            ai_validation_result: r.ai_validation_result,
            ai_validated_at: r.ai_validated_at,
        }
    }
}

/// A JSON response serialised into a buffer sized up front: large bodies (today's list is
/// ~0.5 MB) then skip a dozen grow-and-copy rounds.
#[derive(Debug)]
pub struct SizedJson<T>(pub T, pub usize);

impl<T: Serialize> axum::response::IntoResponse for SizedJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut buffer = Vec::with_capacity(self.1);
        match serde_json::to_writer(&mut buffer, &self.0) {
            Ok(()) => ([(axum::http::header::CONTENT_TYPE, "application/json")], buffer).into_response(),
            Err(e) => crate::error::ApiError::Internal(e.into()).into_response(),
        }
    }
}
