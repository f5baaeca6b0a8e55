//! Categories: a user's own folders for contents.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn list(db: &PgPool, user_id: i64) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as!(
        Category,
        "SELECT id, user_id, name, slug, description, created_at, updated_at
         FROM categories WHERE user_id = $1 ORDER BY name, id",
        user_id
    )
    .fetch_all(db)
    .await
}

/// One of the user's categories; another user's category is `None`, like a missing one.
pub async fn get(db: impl PgExecutor<'_>, user_id: i64, id: i64) -> sqlx::Result<Option<Category>> {
    sqlx::query_as!(
        Category,
        "SELECT id, user_id, name, slug, description, created_at, updated_at
         FROM categories WHERE id = $1 AND user_id = $2",
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

pub async fn count(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM categories WHERE user_id = $1"#, user_id).fetch_one(db).await
}

/// Whether the user already has a category of this name (case-insensitive), other than `except`.
pub async fn name_taken(db: &PgPool, user_id: i64, name: &str, except: Option<i64>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS(SELECT 1 FROM categories
                         WHERE user_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3) AS "taken!""#,
        user_id,
        name,
        except
    )
    .fetch_one(db)
    .await
}

/// Creates a category with a slug derived from its name, unique for the user (`-2`, `-3`, ...
/// appended when needed). Runs in the caller's transaction, which holds the plan-limit check.
pub async fn create(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    name: &str,
    description: &str,
    base_slug: &str,
) -> sqlx::Result<Category> {
    let taken: Vec<String> = sqlx::query_scalar!(
        "SELECT slug FROM categories WHERE user_id = $1 AND (slug = $2 OR slug LIKE $2 || '-%')",
        user_id,
        base_slug
    )
    .fetch_all(&mut *tx)
    .await?;
    let slug = (1..)
        .map(|n| if n == 1 { base_slug.to_owned() } else { format!("{base_slug}-{n}") })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base_slug.to_owned());
    sqlx::query_as!(
        Category,
        "INSERT INTO categories (user_id, name, slug, description) VALUES ($1, $2, $3, $4)
         RETURNING id, user_id, name, slug, description, created_at, updated_at",
        user_id,
        name,
        slug,
        description
    )
    .fetch_one(&mut *tx)
    .await
}

/// Renames and/or re-describes a category; the slug stays as it was first made.
pub async fn update(
    db: &PgPool,
    user_id: i64,
    id: i64,
    name: Option<&str>,
    description: Option<&str>,
) -> sqlx::Result<Option<Category>> {
    sqlx::query_as!(
        Category,
        "UPDATE categories SET name = COALESCE($3, name), description = COALESCE($4, description)
         WHERE id = $1 AND user_id = $2
         RETURNING id, user_id, name, slug, description, created_at, updated_at",
        id,
        user_id,
        name,
        description
    )
    .fetch_optional(db)
    .await
}

/// Deletes a category; its contents become uncategorised (the foreign key sets them to NULL).
pub async fn delete(db: &PgPool, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM categories WHERE id = $1 AND user_id = $2", id, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}
