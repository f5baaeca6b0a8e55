//! The PostgreSQL pool and the schema's migrations.
//!
//! All migrations live in `core/migrations` and are embedded in every binary; they run once per
//! deploy (`resee-api migrate`), never on each replica's start.

use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions as _, PgPool};

use crate::config::CommonConfig;

/// The embedded migrations of the whole schema.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens a pool without waiting for the database: connections are made on first use, so a
/// process can start (and report itself unhealthy) while PostgreSQL is still coming up. Sessions
/// use generic plans for prepared statements (`plan_cache_mode`).
pub fn pool(config: &CommonConfig) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = config.database_url.expose().parse()?;
    let options = options
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500))
        // Every statement is prepared and cached per connection. With parameters whose values
        // PostgreSQL can cost (a user id with 2 000 rows next to users with 50), it otherwise keeps
        // choosing custom plans and plans each execution anew: that was most of its CPU on the
        // contents list. Our queries are all index lookups by owner and key, where one generic plan
        // fits every value (docs/BENCHMARKS.md).
        .options([("plan_cache_mode", "force_generic_plan")]);
    Ok(PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(config.database_acquire_timeout)
        .connect_lazy_with(options))
}

/// Runs every pending migration.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Whether every embedded migration has been applied successfully.
pub async fn migrations_applied(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(pool)
        .await?;
    Ok(MIGRATOR.iter().filter(|m| m.migration_type.is_up_migration()).all(|m| applied.contains(&m.version)))
}

/// Stores Rust enums in TEXT columns (with a CHECK constraint; no PostgreSQL ENUM types, so
/// migrations stay additive): each type reads and writes its `code()`, and parses with
/// `FromStr`. In `query!`, read such a column as `col AS "col: Type"`.
macro_rules! text_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Postgres> for $ty {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $ty {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                text.parse::<$ty>().map_err(|e| format!("`{text}` in a {} column: {e}", stringify!($ty)).into())
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.code(), buf)
            }
        }
    )+};
}
pub(crate) use text_column;
