//! Users, with their subscription and notification preferences created alongside.

use crate::tiers::Tier;
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

use super::subscriptions::Subscription;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub username: Option<String>,
    pub password_hash: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub is_email_verified: bool,
    pub weekly_goal: i32,
    pub token_version: i32,
    pub date_joined: DateTime<Utc>,
    pub email_verification_sent_at: Option<DateTime<Utc>>,
}

/// What registration (or Google sign-in, or `create-admin`) stores.
#[derive(Debug)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub is_email_verified: bool,
    pub is_staff: bool,
    pub tier: Tier,
}

/// The signed-in user as the auth extractor loads it, with subscription and time zone: one query
/// per request.
pub async fn find_with_subscription(db: &PgPool, id: i64) -> sqlx::Result<Option<(User, Option<Subscription>)>> {
    Ok(find_for_request(db, id, None).await?.map(|r| (r.user, r.subscription)))
}

/// What an authenticated request knows about its user.
#[derive(Debug, Clone)]
pub struct RequestUser {
    pub user: User,
    pub subscription: Option<Subscription>,
    /// IANA time zone (Asia/Seoul without preferences).
    pub timezone: String,
    /// How many contents the user has (kept by a trigger).
    pub content_count: i64,
    /// Whether the token's session was ended (logout, a replayed refresh token).
    pub session_revoked: bool,
}

/// [`find_with_subscription`] plus the user's time zone and content count.
/// The signed-in user of a request, read in one statement with what every request needs; `sid`:
/// the token's session, checked against `revoked_sessions`.
pub async fn find_for_request(db: &PgPool, id: i64, sid: Option<&str>) -> sqlx::Result<Option<RequestUser>> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.username, u.password_hash, u.is_active, u.is_staff, u.is_superuser,
                  u.is_email_verified, u.weekly_goal, u.token_version, u.date_joined, u.email_verification_sent_at,
                  u.content_count, s.id AS "sub_id?", s.tier AS "tier?", s.max_interval_days AS "max_interval_days?",
                  s.start_date AS "start_date?", s.end_date, s.is_active AS "sub_active?",
                  s.auto_renewal AS "auto_renewal?", s.billing_cycle AS "billing_cycle?",
                  s.next_billing_date, s.payment_method, p.timezone AS "timezone?",
                  EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.sid = $2) AS "session_revoked!"
           FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id
           LEFT JOIN notification_preferences p ON p.user_id = u.id
           WHERE u.id = $1"#,
        id,
        sid
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let user = User {
            id: r.id,
            email: r.email,
            username: r.username,
            password_hash: r.password_hash,
            is_active: r.is_active,
            is_staff: r.is_staff,
            is_superuser: r.is_superuser,
            is_email_verified: r.is_email_verified,
            weekly_goal: r.weekly_goal,
            token_version: r.token_version,
            date_joined: r.date_joined,
            email_verification_sent_at: r.email_verification_sent_at,
        };
        let subscription = match (
            r.sub_id,
            r.tier,
            r.max_interval_days,
            r.start_date,
            r.sub_active,
            r.auto_renewal,
            r.billing_cycle,
        ) {
            (
                Some(id),
                Some(tier),
                Some(max_interval_days),
                Some(start_date),
                Some(is_active),
                Some(auto_renewal),
                Some(billing_cycle),
            ) => Some(Subscription {
                id,
                user_id: user.id,
                tier: tier.parse().unwrap_or(Tier::Free),
                max_interval_days,
                start_date,
                end_date: r.end_date,
                is_active,
                auto_renewal,
                billing_cycle: billing_cycle.parse().unwrap_or(crate::tiers::BillingCycle::Monthly),
                next_billing_date: r.next_billing_date,
                payment_method: r.payment_method,
            }),
            _ => None,
        };
        RequestUser {
            user,
            subscription,
            timezone: r.timezone.unwrap_or_else(|| "Asia/Seoul".to_owned()),
            content_count: i64::from(r.content_count),
            session_revoked: r.session_revoked,
        }
    }))
}

/// Locks the user's row until the transaction ends: serialises plan-limit checks of one user.
pub async fn lock(tx: &mut sqlx::PgConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query!("SELECT id FROM users WHERE id = $1 FOR UPDATE", id).fetch_one(tx).await?;
    Ok(())
}

pub async fn find(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        "SELECT id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                weekly_goal, token_version, date_joined, email_verification_sent_at
         FROM users WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

/// Finds a user by email (case-insensitive) or, failing that, by username.
pub async fn find_by_login(db: &PgPool, login: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        "SELECT id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                weekly_goal, token_version, date_joined, email_verification_sent_at
         FROM users WHERE lower(email) = lower($1) OR lower(username) = lower($1)
         ORDER BY (lower(email) = lower($1)) DESC LIMIT 1",
        login
    )
    .fetch_optional(db)
    .await
}

pub async fn find_by_email(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        "SELECT id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                weekly_goal, token_version, date_joined, email_verification_sent_at
         FROM users WHERE lower(email) = lower($1)",
        email
    )
    .fetch_optional(db)
    .await
}

/// Creates a user with a subscription and default notification preferences, in one transaction.
pub async fn create(db: &PgPool, new: &NewUser<'_>) -> sqlx::Result<User> {
    let mut tx = db.begin().await?;
    let user = sqlx::query_as!(
        User,
        "INSERT INTO users (email, password_hash, is_email_verified, is_staff, is_superuser)
         VALUES ($1, $2, $3, $4, $4)
         RETURNING id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                   weekly_goal, token_version, date_joined, email_verification_sent_at",
        new.email,
        new.password_hash,
        new.is_email_verified,
        new.is_staff,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO subscriptions (user_id, tier, max_interval_days) VALUES ($1, $2, $3)",
        user.id,
        new.tier.code(),
        i32::try_from(new.tier.max_interval_days()).unwrap_or(i32::MAX),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO notification_preferences (user_id, unsubscribe_token) VALUES ($1, $2)",
        user.id,
        crate::crypto::random_token(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Stores the digest of a new email-verification token and when it was sent.
pub async fn set_verification_token(db: impl PgExecutor<'_>, user_id: i64, digest: &[u8]) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET email_verification_token_hash = $2, email_verification_sent_at = now() WHERE id = $1",
        user_id,
        digest
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Marks the email verified when the token matches and is younger than 24 hours. The token is
/// spent either way it matched, so a link works once.
pub async fn verify_email(db: impl PgExecutor<'_>, email: &str, digest: &[u8]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "UPDATE users SET is_email_verified = TRUE, email_verification_token_hash = NULL
         WHERE lower(email) = lower($1) AND email_verification_token_hash = $2
           AND email_verification_sent_at > now() - interval '24 hours' AND NOT is_email_verified
         RETURNING id",
        email,
        digest
    )
    .fetch_optional(db)
    .await
}

/// Replaces the password hash. With `revoke_tokens`, every token issued so far stops working.
pub async fn set_password(db: impl PgExecutor<'_>, user_id: i64, hash: &str, revoke_tokens: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, token_version = token_version + CASE WHEN $3 THEN 1 ELSE 0 END
         WHERE id = $1",
        user_id,
        hash,
        revoke_tokens
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ends every token of the user (access and refresh): they carry the old `token_version`.
pub async fn revoke_tokens(db: &PgPool, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("UPDATE users SET token_version = token_version + 1 WHERE id = $1", user_id).execute(db).await?;
    Ok(())
}

pub async fn record_login(db: &PgPool, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("UPDATE users SET last_login = now() WHERE id = $1", user_id).execute(db).await?;
    Ok(())
}

/// Changes what the profile form edits; `None` leaves a field alone.
pub async fn update_profile(
    db: &PgPool,
    user_id: i64,
    username: Option<Option<&str>>,
    weekly_goal: Option<i32>,
) -> sqlx::Result<User> {
    sqlx::query_as!(
        User,
        "UPDATE users SET
             username = CASE WHEN $2 THEN $3 ELSE username END,
             weekly_goal = COALESCE($4, weekly_goal)
         WHERE id = $1
         RETURNING id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                   weekly_goal, token_version, date_joined, email_verification_sent_at",
        user_id,
        username.is_some(),
        username.flatten(),
        weekly_goal,
    )
    .fetch_one(db)
    .await
}

/// Whether another user already has this username (case-insensitive).
pub async fn username_taken(db: &PgPool, username: &str, except_user: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS(SELECT 1 FROM users WHERE lower(username) = lower($1) AND id <> $2) AS "taken!""#,
        username,
        except_user
    )
    .fetch_one(db)
    .await
}

/// Deletes a user and, through the cascades, everything they own.
pub async fn delete(db: &PgPool, user_id: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query!("DELETE FROM users WHERE id = $1", user_id).execute(db).await?.rows_affected() == 1)
}

/// Admin edits; `None` leaves a field alone.
#[derive(Debug, Default)]
pub struct AdminPatch<'a> {
    pub username: Option<Option<&'a str>>,
    pub weekly_goal: Option<i32>,
    pub is_active: Option<bool>,
    pub is_staff: Option<bool>,
    pub is_email_verified: Option<bool>,
}

pub async fn admin_update(db: &PgPool, user_id: i64, patch: &AdminPatch<'_>) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        "UPDATE users SET
             username = CASE WHEN $2 THEN $3 ELSE username END,
             weekly_goal = COALESCE($4, weekly_goal),
             is_active = COALESCE($5, is_active),
             is_staff = COALESCE($6, is_staff),
             is_email_verified = COALESCE($7, is_email_verified),
             token_version = token_version + CASE WHEN $5 = FALSE THEN 1 ELSE 0 END
         WHERE id = $1
         RETURNING id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                   weekly_goal, token_version, date_joined, email_verification_sent_at",
        user_id,
        patch.username.is_some(),
        patch.username.flatten(),
        patch.weekly_goal,
        patch.is_active,
        patch.is_staff,
        patch.is_email_verified,
    )
    .fetch_optional(db)
    .await
}

/// One page of users, oldest first, and the total.
pub async fn list(db: &PgPool, limit: i64, offset: i64) -> sqlx::Result<(Vec<User>, i64)> {
    let users = sqlx::query_as!(
        User,
        "SELECT id, email, username, password_hash, is_active, is_staff, is_superuser, is_email_verified,
                weekly_goal, token_version, date_joined, email_verification_sent_at
         FROM users ORDER BY id LIMIT $1 OFFSET $2",
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    let total = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#).fetch_one(db).await?;
    Ok((users, total))
}

/// Makes `email` a verified staff user with this password, creating it when needed.
pub async fn upsert_admin(db: &PgPool, email: &str, password_hash: &str, tier: Tier) -> sqlx::Result<User> {
    if let Some(user) = find_by_email(db, email).await? {
        sqlx::query!(
            "UPDATE users SET is_staff = TRUE, is_superuser = TRUE, is_email_verified = TRUE, is_active = TRUE,
                 password_hash = $2, token_version = token_version + 1 WHERE id = $1",
            user.id,
            password_hash
        )
        .execute(db)
        .await?;
        return Ok(user);
    }
    create(db, &NewUser { email, password_hash, is_email_verified: true, is_staff: true, tier }).await
}
