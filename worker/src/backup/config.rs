//! Backup settings, from the environment (`.env.example`; docs/OPERATIONS.md → Backups).

use resee_core::config::{ConfigError, Env, Secret};

/// Server-side encryption of the backup objects (`S3_SSE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sse {
    Aes256,
    /// SSE-KMS with this key (`S3_KMS_KEY_ID`), or the bucket's default KMS key.
    Kms(Option<String>),
}

#[derive(Debug, Clone)]
pub struct BackupConfig {
    pub bucket: String,
    /// Key prefix without slashes at either end (`S3_PREFIX`, `resee-backups`).
    pub prefix: String,
    pub region: String,
    /// An S3-compatible endpoint (`S3_ENDPOINT`); AWS when unset.
    pub endpoint: Option<String>,
    pub force_path_style: bool,
    pub sse: Option<Sse>,
    /// zstd level 1–19 (`BACKUP_COMPRESSION_LEVEL`, 3).
    pub compression_level: i32,
    /// Size of each multipart part (`BACKUP_PART_SIZE`, 16 MiB; S3 needs at least 5 MiB).
    pub part_size: usize,
    pub retention_days: u32,
    pub keep_last: usize,
    /// The longest one S3 request may take, retries included (`BACKUP_S3_TIMEOUT`, 2m): a
    /// stalled S3 fails the backup instead of holding pg_dump's snapshot open forever.
    pub s3_timeout: std::time::Duration,
    pub pg_dump: String,
    pub pg_restore: String,
    /// The database to back up (`DATABASE_URL`).
    pub database_url: Secret,
    /// Static credentials read from files (`AWS_SECRET_ACCESS_KEY_FILE` and `AWS_ACCESS_KEY_ID`
    /// or `AWS_ACCESS_KEY_ID_FILE`); otherwise the AWS SDK's own chain finds them.
    pub file_credentials: Option<(Secret, Secret)>,
}

const MIB: usize = 1024 * 1024;

impl BackupConfig {
    pub fn from_env(env: &Env, database_url: Secret) -> Result<Self, ConfigError> {
        let bucket = env.required("S3_BUCKET")?;
        let sse = match env.get("S3_SSE").map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("aes256") => Some(Sse::Aes256),
            Some("aws:kms" | "kms") => Some(Sse::Kms(env.get("S3_KMS_KEY_ID").map(str::to_owned))),
            Some(other) => return Err(ConfigError::new("S3_SSE", format!("`{other}` is not AES256 or aws:kms"))),
        };
        let compression_level: i32 = env.parse_or("BACKUP_COMPRESSION_LEVEL", 3)?;
        if !(1..=19).contains(&compression_level) {
            return Err(ConfigError::new("BACKUP_COMPRESSION_LEVEL", "must be between 1 and 19"));
        }
        let part_mib: usize = env.parse_or("BACKUP_PART_SIZE_MIB", 16)?;
        if !(5..=512).contains(&part_mib) {
            return Err(ConfigError::new(
                "BACKUP_PART_SIZE_MIB",
                "must be between 5 and 512 (S3's minimum part is 5 MiB)",
            ));
        }
        let keep_last: usize = env.parse_or("BACKUP_KEEP_LAST", 3)?;
        if keep_last == 0 {
            return Err(ConfigError::new("BACKUP_KEEP_LAST", "must be at least 1: the newest backup is never pruned"));
        }
        let file_credentials = match env.get("AWS_SECRET_ACCESS_KEY_FILE") {
            None => None,
            Some(_) => {
                let id = env.secret("AWS_ACCESS_KEY_ID")?.ok_or_else(|| {
                    ConfigError::new(
                        "AWS_ACCESS_KEY_ID",
                        "is needed with AWS_SECRET_ACCESS_KEY_FILE (or AWS_ACCESS_KEY_ID_FILE)",
                    )
                })?;
                let secret = env.secret("AWS_SECRET_ACCESS_KEY")?.ok_or_else(|| {
                    ConfigError::new("AWS_SECRET_ACCESS_KEY_FILE", "names an empty or unreadable file")
                })?;
                Some((id, secret))
            }
        };
        Ok(Self {
            file_credentials,
            bucket,
            prefix: env.string_or("S3_PREFIX", "resee-backups").trim_matches('/').to_owned(),
            region: env.get("S3_REGION").or_else(|| env.get("AWS_REGION")).unwrap_or("us-east-1").to_owned(),
            endpoint: env.get("S3_ENDPOINT").map(str::to_owned),
            force_path_style: env.bool_or("S3_FORCE_PATH_STYLE", false)?,
            sse,
            compression_level,
            part_size: part_mib * MIB,
            retention_days: env.parse_or("BACKUP_RETENTION_DAYS", 30)?,
            keep_last,
            s3_timeout: env.parse_with("BACKUP_S3_TIMEOUT", "2m", resee_core::config::parse_duration)?,
            pg_dump: env.string_or("PG_DUMP_PATH", "pg_dump"),
            pg_restore: env.string_or("PG_RESTORE_PATH", "pg_restore"),
            database_url,
        })
    }
}

/// A PostgreSQL URL split for libpq tools: the URL without its password (safe on a command
/// line, which other local users can read) and the password (passed as `PGPASSWORD`).
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), None) };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let Some((userinfo, host)) = authority.rsplit_once('@') else { return (url.to_owned(), None) };
    match userinfo.split_once(':') {
        Some((user, password)) => (format!("{scheme}://{user}@{host}{path}"), Some(decoded(password))),
        None => (url.to_owned(), None),
    }
}

/// The database name of a PostgreSQL URL (`postgres` when it names none).
pub fn database_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |at| &rest[at + 1..]);
    let name = path.split(['?', '#']).next().unwrap_or_default();
    if name.is_empty() { "postgres".to_owned() } else { decoded(name) }
}

/// The same URL pointing at another database.
pub fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, tail) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, ""),
    };
    let query = tail.find('?').map_or("", |at| &tail[at..]);
    format!("{scheme}://{authority}/{database}{query}")
}

/// The decoded value; one that does not decode is taken as written.
fn decoded(raw: &str) -> String {
    resee_core::config::percent_decode(raw).unwrap_or_else(|_| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_for_libpq_tools() {
        let (url, password) = split_password("postgres://resee:p%40ss@db:5432/resee?sslmode=disable");
        assert_eq!(url, "postgres://resee@db:5432/resee?sslmode=disable");
        assert_eq!(password.as_deref(), Some("p@ss"));
        assert_eq!(split_password("postgres://postgres@127.0.0.1/x").1, None);
        assert_eq!(database_name("postgres://u@h:5432/resee?sslmode=disable"), "resee");
        assert_eq!(database_name("postgres://u@h:5432"), "postgres");
        assert_eq!(
            with_database("postgres://u:p@h:5432/resee?sslmode=disable", "copy"),
            "postgres://u:p@h:5432/copy?sslmode=disable"
        );
    }

    #[test]
    fn settings_are_validated() {
        let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)));
        let url = || Secret::new("postgres://x/db");
        assert!(BackupConfig::from_env(&env(&[]), url()).is_err(), "S3_BUCKET is required");
        let ok = BackupConfig::from_env(&env(&[("S3_BUCKET", "b"), ("S3_PREFIX", "/backups/")]), url()).expect("valid");
        assert_eq!((ok.prefix.as_str(), ok.part_size, ok.keep_last), ("backups", 16 * MIB, 3));
        assert!(BackupConfig::from_env(&env(&[("S3_BUCKET", "b"), ("S3_SSE", "rot13")]), url()).is_err());
        assert!(BackupConfig::from_env(&env(&[("S3_BUCKET", "b"), ("BACKUP_PART_SIZE_MIB", "1")]), url()).is_err());
        let kms =
            BackupConfig::from_env(&env(&[("S3_BUCKET", "b"), ("S3_SSE", "aws:kms"), ("S3_KMS_KEY_ID", "k1")]), url());
        assert_eq!(kms.expect("valid").sse, Some(Sse::Kms(Some("k1".into()))));
    }
}
