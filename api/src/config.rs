//! `resee-api serve`'s settings: everything beyond the settings every binary shares
//! ([`CommonConfig`]). Variables and defaults are the ones of `.env.example`.

use std::net::SocketAddr;
use std::time::Duration;

use ipnet::IpNet;
use resee_core::ai::AiConfig;
use resee_core::config::{CommonConfig, ConfigError, Env, Rate, Secret, parse_duration};
use resee_core::tiers::Tier;

/// Token signing and lifetimes.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwt_secret: Secret,
    /// The previous signing key, still accepted for verification while tokens it signed live.
    pub jwt_secret_previous: Option<Secret>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub enforce_email_verification: bool,
}

impl AuthConfig {
    fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let jwt_secret = env.required_secret("JWT_SECRET")?;
        if jwt_secret.expose().len() < 32 {
            return Err(ConfigError::new("JWT_SECRET", "must be at least 32 characters long"));
        }
        Ok(Self {
            jwt_secret,
            jwt_secret_previous: env.secret("JWT_SECRET_PREVIOUS")?,
            access_token_ttl: env.parse_with("ACCESS_TOKEN_TTL", "60m", parse_duration)?,
            refresh_token_ttl: env.parse_with("REFRESH_TOKEN_TTL", "7d", parse_duration)?,
            enforce_email_verification: env.bool_or("ENFORCE_EMAIL_VERIFICATION", true)?,
        })
    }
}

/// Request rate limits (`RATE_LIMIT_*`).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub login: Rate,
    pub register: Rate,
    pub email: Rate,
    pub user: Rate,
    pub anon: Rate,
}

impl RateLimits {
    fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let rate = |name: &str, default: &str| env.parse_with(name, default, |raw| raw.parse::<Rate>());
        Ok(Self {
            login: rate("RATE_LIMIT_LOGIN", "5/min")?,
            register: rate("RATE_LIMIT_REGISTER", "3/min")?,
            email: rate("RATE_LIMIT_EMAIL", "10/hour")?,
            user: rate("RATE_LIMIT_USER", "1000/hour")?,
            anon: rate("RATE_LIMIT_ANON", "100/hour")?,
        })
    }
}

/// Google sign-in; off when no client id is configured.
#[derive(Debug, Clone)]
pub struct GoogleConfig {
    pub client_id: Option<String>,
    /// Where Google publishes its signing keys (`GOOGLE_JWKS_URL`; tests point it at a local server).
    pub jwks_url: String,
}

/// Everything `resee-api serve` needs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub common: CommonConfig,
    pub bind_addr: SocketAddr,
    pub auth: AuthConfig,
    pub rate_limits: RateLimits,
    pub default_tier: Tier,
    pub self_service_plan_changes: bool,
    pub cors_allowed_origins: Vec<String>,
    pub trusted_proxies: Vec<IpNet>,
    pub google: GoogleConfig,
    /// How many password hashes may be computed at once (`PASSWORD_HASH_CONCURRENCY`,
    /// default: half the CPUs, at least one). Hashing runs on blocking threads; the cap keeps a
    /// login storm from taking every core, and each slot holds a 19 MiB work area.
    pub password_hash_concurrency: usize,
    /// The AI settings; the api uses `reply_deadline` and the offline fallback.
    pub ai: AiConfig,
}

impl ApiConfig {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let cors_allowed_origins = env.list("CORS_ALLOWED_ORIGINS");
        if let Some(bad) =
            cors_allowed_origins.iter().find(|o| !(o.starts_with("http://") || o.starts_with("https://")))
        {
            return Err(ConfigError::new(
                "CORS_ALLOWED_ORIGINS",
                format!("{bad:?} is not an origin like https://example.com"),
            ));
        }
        let trusted_proxies = env
            .list("TRUSTED_PROXIES")
            .iter()
            .map(|raw| parse_net(raw).map_err(|e| ConfigError::new("TRUSTED_PROXIES", e)))
            .collect::<Result<_, _>>()?;
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Self {
            common: CommonConfig::from_env(env)?,
            bind_addr: env.parse_or("BIND_ADDR", SocketAddr::from(([0, 0, 0, 0], 8000)))?,
            auth: AuthConfig::from_env(env)?,
            rate_limits: RateLimits::from_env(env)?,
            default_tier: env.parse_or("DEFAULT_TIER", Tier::Basic)?,
            self_service_plan_changes: env.bool_or("SELF_SERVICE_PLAN_CHANGES", true)?,
            cors_allowed_origins,
            trusted_proxies,
            google: GoogleConfig {
                client_id: env.get("GOOGLE_CLIENT_ID").map(str::to_owned),
                jwks_url: env.string_or("GOOGLE_JWKS_URL", "https://www.googleapis.com/oauth2/v3/certs"),
            },
            password_hash_concurrency: env.parse_or("PASSWORD_HASH_CONCURRENCY", (cpus / 2).max(1))?.max(1),
            ai: AiConfig::from_env(env)?,
        })
    }
}

/// Parses `10.0.0.0/8` or a bare address (a /32 or /128 network).
fn parse_net(raw: &str) -> Result<IpNet, String> {
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{raw:?} is neither an IP address nor a CIDR network"))
}

#[cfg(test)]
mod tests {
    use resee_core::config::AppEnv;

    use super::*;

    fn minimal() -> Env {
        Env::from_pairs([
            ("DATABASE_URL", "postgres://localhost/resee"),
            ("REDIS_URL", "redis://localhost"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ])
    }

    #[test]
    fn defaults_match_the_documented_ones() {
        let config = ApiConfig::from_env(&minimal()).expect("valid");
        assert_eq!(config.common.app_env, AppEnv::Production);
        assert_eq!(config.bind_addr.port(), 8000);
        assert_eq!(config.auth.access_token_ttl, Duration::from_secs(3600));
        assert_eq!(config.auth.refresh_token_ttl, Duration::from_secs(7 * 86_400));
        assert!(config.auth.enforce_email_verification);
        assert_eq!(config.default_tier, Tier::Basic);
        assert_eq!(config.rate_limits.login.to_string(), "5/min");
        assert_eq!(config.rate_limits.email.to_string(), "10/hour");
        assert!(config.google.client_id.is_none());
    }

    #[test]
    fn a_missing_required_variable_is_named() {
        let mut env = minimal();
        env.set("DATABASE_URL", "");
        let err = ApiConfig::from_env(&env).expect_err("missing");
        assert_eq!(err.var, "DATABASE_URL");
    }

    #[test]
    fn short_jwt_secrets_are_refused() {
        let mut env = minimal();
        env.set("JWT_SECRET", "short");
        assert_eq!(ApiConfig::from_env(&env).expect_err("short").var, "JWT_SECRET");
    }

    #[test]
    fn trusted_proxies_accept_addresses_and_networks() {
        let mut env = minimal();
        env.set("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1");
        let config = ApiConfig::from_env(&env).expect("valid");
        assert_eq!(config.trusted_proxies.len(), 3);
        env.set("TRUSTED_PROXIES", "nonsense");
        assert_eq!(ApiConfig::from_env(&env).expect_err("bad").var, "TRUSTED_PROXIES");
    }

    #[test]
    fn debug_output_of_the_whole_config_has_no_secret() {
        let config = ApiConfig::from_env(&minimal()).expect("valid");
        let debug = format!("{config:?}");
        assert!(!debug.contains("0123456789abcdef"));
        assert!(!debug.contains("postgres://"));
    }
}
