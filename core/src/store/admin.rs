//! What staff pages read across tables: counts over all users (read-only; each table's own
//! statements are in its module).

use sqlx::PgPool;

/// Counts across every user.
#[derive(Debug)]
pub struct Totals {
    pub users: i64,
    pub active_users: i64,
    pub verified_users: i64,
    pub new_users_7_days: i64,
    pub contents: i64,
    pub categories: i64,
    pub reviews: i64,
    pub reviews_24_hours: i64,
    pub exams: i64,
    pub completed_exams: i64,
}

pub async fn totals(db: &PgPool) -> sqlx::Result<Totals> {
    sqlx::query_as!(
        Totals,
        r#"SELECT
             (SELECT count(*) FROM users) AS "users!",
             (SELECT count(*) FROM users WHERE is_active) AS "active_users!",
             (SELECT count(*) FROM users WHERE is_email_verified) AS "verified_users!",
             (SELECT count(*) FROM users WHERE date_joined > now() - interval '7 days') AS "new_users_7_days!",
             (SELECT count(*) FROM contents) AS "contents!",
             (SELECT count(*) FROM categories) AS "categories!",
             (SELECT count(*) FROM review_history) AS "reviews!",
             (SELECT count(*) FROM review_history WHERE review_date > now() - interval '1 day') AS "reviews_24_hours!",
             (SELECT count(*) FROM exams) AS "exams!",
             (SELECT count(*) FROM exams WHERE status = 'completed') AS "completed_exams!""#
    )
    .fetch_one(db)
    .await
}
