//! Verification of Google ID tokens (sign-in with Google).
//!
//! Tokens are RS256 JWTs signed by one of Google's published keys (a JWKS document). The key set
//! is cached for the `max-age` Google sends (an hour when absent) and fetched again early when a
//! token names a key id we have not seen, at most once a minute, so rotation is picked up
//! without letting bad tokens hammer Google.

use std::time::{Duration, Instant};

use crate::config::GoogleConfig;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tokio::sync::RwLock;

/// The claims of an ID token that we use.
#[derive(Debug, Clone, Deserialize)]
pub struct GoogleClaims {
    pub sub: String,
    pub email: String,
    #[serde(default, deserialize_with = "bool_or_string")]
    pub email_verified: bool,
    pub name: Option<String>,
    pub picture: Option<String>,
    pub locale: Option<String>,
}

/// Google sends `email_verified` as a boolean, older tokens as the string "true".
fn bool_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(s) => s == "true",
    })
}

#[derive(Debug, thiserror::Error)]
pub enum GoogleError {
    #[error("Google sign-in is not configured")]
    Disabled,
    #[error("invalid Google token: {0}")]
    InvalidToken(String),
    #[error("could not fetch Google's keys: {0}")]
    Keys(String),
}

struct CachedKeys {
    keys: JwkSet,
    fetched: Instant,
    max_age: Duration,
}

pub struct GoogleVerifier {
    config: GoogleConfig,
    http: reqwest::Client,
    cache: RwLock<Option<CachedKeys>>,
}

impl std::fmt::Debug for GoogleVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoogleVerifier").field("config", &self.config).finish_non_exhaustive()
    }
}

const ISSUERS: [&str; 2] = ["accounts.google.com", "https://accounts.google.com"];
const MIN_REFETCH: Duration = Duration::from_secs(60);

impl GoogleVerifier {
    pub fn new(config: GoogleConfig) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap_or_default();
        Self { config, http, cache: RwLock::new(None) }
    }

    pub fn enabled(&self) -> bool {
        self.config.client_id.is_some()
    }

    /// Verifies signature, audience, issuer and expiry, and that Google vouches for the email.
    pub async fn verify(&self, token: &str) -> Result<GoogleClaims, GoogleError> {
        let client_id = self.config.client_id.as_deref().ok_or(GoogleError::Disabled)?;
        let header = jsonwebtoken::decode_header(token).map_err(|e| GoogleError::InvalidToken(e.to_string()))?;
        if header.alg != Algorithm::RS256 {
            return Err(GoogleError::InvalidToken("unexpected algorithm".into()));
        }
        let kid = header.kid.ok_or_else(|| GoogleError::InvalidToken("no key id".into()))?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[client_id]);
        validation.set_issuer(&ISSUERS);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Allow for a little clock skew between Google and this host, not a minute.
        validation.leeway = 10;
        let claims = jsonwebtoken::decode::<GoogleClaims>(token, &key, &validation)
            .map_err(|e| GoogleError::InvalidToken(e.to_string()))?
            .claims;
        if !claims.email_verified {
            return Err(GoogleError::InvalidToken("Google has not verified this email".into()));
        }
        Ok(claims)
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, GoogleError> {
        {
            let cache = self.cache.read().await;
            if let Some(cached) = cache.as_ref()
                && cached.fetched.elapsed() < cached.max_age
                && let Some(jwk) = cached.keys.find(kid)
            {
                return DecodingKey::from_jwk(jwk).map_err(|e| GoogleError::Keys(e.to_string()));
            }
        }
        let mut cache = self.cache.write().await;
        let fresh_enough = cache.as_ref().is_some_and(|c| c.fetched.elapsed() < MIN_REFETCH);
        if !fresh_enough {
            *cache = Some(self.fetch().await?);
        }
        let jwk = cache
            .as_ref()
            .and_then(|c| c.keys.find(kid))
            .ok_or_else(|| GoogleError::InvalidToken("unknown signing key".into()))?;
        DecodingKey::from_jwk(jwk).map_err(|e| GoogleError::Keys(e.to_string()))
    }

    async fn fetch(&self) -> Result<CachedKeys, GoogleError> {
        let response = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| GoogleError::Keys(e.to_string()))?;
        let max_age = response
            .headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').find_map(|d| d.trim().strip_prefix("max-age=")?.parse::<u64>().ok()))
            .map_or(Duration::from_secs(3600), Duration::from_secs);
        let keys = response.json::<JwkSet>().await.map_err(|e| GoogleError::Keys(e.to_string()))?;
        Ok(CachedKeys { keys, fetched: Instant::now(), max_age })
    }
}
