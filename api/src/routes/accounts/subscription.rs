//! Plans: the current subscription, the tier table, and self-service changes.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use resee_core::jobs::ReclampSchedules;
use resee_core::outbox;
use resee_core::tiers::{BillingCycle, Tier, UNLIMITED};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Input, Params};
use crate::fields::{Choice, Fields, FromFields, Text};
use crate::i18n;
use crate::messages::Msg;
use crate::state::AppState;
use crate::views::SubscriptionView;
use resee_core::store::subscriptions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current)).routes(routes!(tiers)).routes(routes!(change, cancel))
}

/// The signed-in user's subscription.
#[utoipa::path(get, path = "/api/accounts/subscription/", tag = "subscription", security(("bearer" = [])),
    responses((status = 200, description = "The subscription", body = SubscriptionView), (status = 404, description = "No subscription")))]
async fn current(auth: AuthUser) -> ApiResult<Json<SubscriptionView>> {
    auth.subscription.as_ref().map(|s| Json(SubscriptionView::new(s))).ok_or_else(ApiError::not_found)
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TiersQuery {
    /// `monthly` (default) or `yearly`; anything else reads as monthly.
    billing_cycle: Option<String>,
}

impl FromFields for TiersQuery {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self { billing_cycle: f.optional("billing_cycle", Text::new().blank_allowed()) })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierView {
    tier: String,
    tier_display: String,
    level: u8,
    max_interval_days: u32,
    monthly_price: u32,
    /// Price of one billing period (KRW).
    price: u32,
    billing_cycle: String,
    /// 999999 = unlimited.
    content_limit: i64,
    /// 999999 = unlimited.
    category_limit: i64,
    features: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierList {
    tiers: Vec<TierView>,
    billing_cycle: String,
}

/// The plans, with prices for a billing cycle.
#[utoipa::path(get, path = "/api/accounts/subscription/tiers/", tag = "subscription", security(("bearer" = [])), params(TiersQuery),
    responses((status = 200, description = "Every tier (an unknown billing cycle reads as monthly)", body = TierList)))]
async fn tiers(_auth: AuthUser, Params(query): Params<TiersQuery>) -> ApiResult<Json<TierList>> {
    let cycle = cycle_or_monthly(query.billing_cycle.as_deref());
    let lang = i18n::current();
    let limit = |n: Option<u32>| n.map_or(UNLIMITED, i64::from);
    let tiers = Tier::ALL
        .into_iter()
        .map(|tier| TierView {
            tier: tier.code().into(),
            tier_display: tier.display_name().into(),
            level: tier.level(),
            max_interval_days: tier.max_interval_days(),
            monthly_price: tier.monthly_price(),
            price: tier.price(cycle),
            billing_cycle: cycle.code().into(),
            content_limit: limit(tier.content_limit()),
            category_limit: limit(tier.category_limit()),
            features: tier.features(lang),
        })
        .collect();
    Ok(Json(TierList { tiers, billing_cycle: cycle.code().into() }))
}

/// `billing_cycle` of the tiers list: unknown values mean monthly (the original ignored them).
fn cycle_or_monthly(raw: Option<&str>) -> BillingCycle {
    raw.and_then(|raw| raw.trim().parse().ok()).unwrap_or(BillingCycle::Monthly)
}

#[derive(Debug, ToSchema)]
pub struct PlanChange {
    /// `free`, `basic` or `pro`.
    #[schema(value_type = String, pattern = "^(free|basic|pro)$")]
    tier: Tier,
    /// `monthly` (default) or `yearly`.
    #[schema(value_type = Option<String>, pattern = "^(monthly|yearly)$")]
    billing_cycle: BillingCycle,
}

impl FromFields for PlanChange {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        let tier = f.required("tier", Choice(&["free", "basic", "pro"]));
        let cycle = f.optional("billing_cycle", Choice(&["monthly", "yearly"])).unwrap_or("monthly");
        Some(Self { tier: tier?.parse().ok()?, billing_cycle: cycle.parse().ok()? })
    }
}

/// Change plan. Every schedule is re-clamped to the new tier by a background job.
#[utoipa::path(patch, path = "/api/accounts/subscriptions/me/", tag = "subscription", security(("bearer" = [])), request_body = PlanChange,
    responses(
        (status = 200, description = "The new subscription", body = SubscriptionView),
        (status = 400, description = "Unknown tier or billing cycle"),
        (status = 403, description = "Self-service plan changes are switched off on this server"),
    ))]
async fn change(
    State(state): State<AppState>,
    auth: AuthUser,
    Input(body): Input<PlanChange>,
) -> ApiResult<Json<SubscriptionView>> {
    switch(&state, &auth, body.tier, body.billing_cycle).await
}

/// Cancel: back to the free plan.
#[utoipa::path(delete, path = "/api/accounts/subscriptions/me/", tag = "subscription", security(("bearer" = [])),
    responses(
        (status = 200, description = "The subscription, now free", body = SubscriptionView),
        (status = 403, description = "Self-service plan changes are switched off on this server"),
    ))]
async fn cancel(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<SubscriptionView>> {
    switch(&state, &auth, Tier::Free, BillingCycle::Monthly).await
}

async fn switch(
    state: &AppState,
    auth: &AuthUser,
    tier: Tier,
    cycle: BillingCycle,
) -> ApiResult<Json<SubscriptionView>> {
    if !state.config.self_service_plan_changes {
        return Err(ApiError::detail(StatusCode::FORBIDDEN, Msg::PlanChangesByAdministrator.text()));
    }
    let now = Utc::now();
    let before = auth.subscription.as_ref().map_or(Tier::Free, |s| s.effective_tier(now));
    let mut tx = state.db.begin().await?;
    let subscription = subscriptions::change(&mut *tx, auth.user.id, tier, cycle).await?;
    let job = if subscription.effective_tier(now) == before {
        None
    } else {
        let job = ReclampSchedules { user_id: auth.user.id, tier, change_id: uuid::Uuid::new_v4().to_string() };
        Some(outbox::add(&mut tx, &job).await?)
    };
    outbox::commit(tx, &state.db, &state.redis, job).await?;
    Ok(Json(SubscriptionView::new(&subscription)))
}
