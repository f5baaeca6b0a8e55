//! Access and refresh tokens.
//!
//! Both are HS256 JWTs with the claims of the old backend (`token_type`, `exp`, `iat`, `jti`,
//! `user_id`) plus `ver`, the user's token version: a password change bumps the version in the
//! database, which invalidates every token issued before it. The previous signing key
//! (`JWT_SECRET_PREVIOUS`) is still accepted for verification, so keys rotate without logging
//! anyone out.
//!
//! Refresh tokens also have state in Redis (see [`RefreshStore`]): issued, rotated (with its
//! successor) or revoked, each record living as long as the token.

use std::time::Duration;

use crate::config::AuthConfig;
use crate::messages::Msg;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use redis::Script;
use resee_core::redis::Redis;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub token_type: TokenType,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub user_id: i64,
    #[serde(default)]
    pub ver: i32,
    /// The sign-in session (a login's chain of refresh tokens and the access tokens issued with
    /// them); absent in tokens issued before sessions were tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token expired")]
    Expired,
    #[error("token invalid")]
    Invalid,
    #[error("token of the wrong type")]
    WrongType,
}

impl TokenError {
    /// simplejwt's words for the problem (its Korean catalog translates only the wrong type).
    pub fn message(self) -> String {
        match self {
            Self::Expired => Msg::TokenExpired.text(),
            Self::Invalid => Msg::TokenInvalid.text(),
            Self::WrongType => Msg::TokenWrongType.text(),
        }
    }
}

/// Signs and verifies tokens.
pub struct Tokens {
    encoding: EncodingKey,
    decoding: Vec<DecodingKey>,
    validation: Validation,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("access_ttl", &self.access_ttl).finish_non_exhaustive()
    }
}

impl Tokens {
    pub fn new(config: &AuthConfig) -> Self {
        let secret = config.jwt_secret.expose().as_bytes();
        let mut decoding = vec![DecodingKey::from_secret(secret)];
        decoding.extend(config.jwt_secret_previous.iter().map(|s| DecodingKey::from_secret(s.expose().as_bytes())));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iat"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding,
            validation,
            access_ttl: config.access_token_ttl,
            refresh_ttl: config.refresh_token_ttl,
        }
    }

    /// Signs a new token of `token_type` for a user.
    pub fn issue(&self, token_type: TokenType, user_id: i64, ver: i32, sid: &str) -> anyhow::Result<(String, Claims)> {
        let ttl = match token_type {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
        };
        let now = Utc::now().timestamp();
        let claims = Claims {
            token_type,
            iat: now,
            exp: now + i64::try_from(ttl.as_secs())?,
            jti: uuid::Uuid::new_v4().simple().to_string(),
            user_id,
            ver,
            sid: Some(sid.to_owned()),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// Verifies signature (current or previous key), expiry and type.
    pub fn verify(&self, token: &str, expected: Option<TokenType>) -> Result<Claims, TokenError> {
        let mut last = TokenError::Invalid;
        for key in &self.decoding {
            match jsonwebtoken::decode::<Claims>(token, key, &self.validation) {
                Ok(data) if expected.is_none_or(|t| t == data.claims.token_type) => return Ok(data.claims),
                Ok(_) => return Err(TokenError::WrongType),
                Err(e) if matches!(e.kind(), ErrorKind::ExpiredSignature) => last = TokenError::Expired,
                Err(_) => {}
            }
        }
        Err(last)
    }
}

/// What became of a presented refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// It was current: the new token now replaces it.
    Rotated,
    /// It was rotated moments ago (parallel requests): here is the successor it already has.
    AlreadyRotated { successor: String },
    /// Unknown or revoked.
    Refused,
    /// Rotated before and presented again after the grace period (stolen): every refresh token
    /// of the user is revoked.
    Replayed,
}

/// Refresh-token state in Redis.
///
/// `<prefix>:refresh:<jti>` is a hash `{user_id, gen, state, successor, rotated_at}` that expires
/// with the token. `<prefix>:refresh-gen:<user_id>` is the user's token generation: a replayed
/// token bumps it, and every record of an older generation stops working: the whole family of
/// that user's refresh tokens is revoked at once.
#[derive(Debug, Clone)]
pub struct RefreshStore {
    redis: Redis,
}

/// Window in which a rotated token still yields its successor (two tabs refreshing at once).
pub const ROTATION_GRACE_SECS: i64 = 30;

const ROTATE: &str = r"
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'refused'} end
local gen = redis.call('GET', KEYS[3]) or '0'
if redis.call('HGET', KEYS[1], 'gen') ~= gen then return {'refused'} end
if state == 'active' then
  redis.call('HSET', KEYS[1], 'state', 'rotated', 'successor', ARGV[1], 'rotated_at', ARGV[2])
  redis.call('HSET', KEYS[2], 'user_id', ARGV[4], 'gen', gen, 'state', 'active')
  redis.call('EXPIRE', KEYS[2], ARGV[5])
  return {'rotated'}
end
if state == 'rotated' then
  local at = tonumber(redis.call('HGET', KEYS[1], 'rotated_at'))
  if tonumber(ARGV[2]) - at <= tonumber(ARGV[3]) then
    return {'grace', redis.call('HGET', KEYS[1], 'successor')}
  end
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[6])
  return {'replayed'}
end
return {'refused'}
";

impl RefreshStore {
    pub fn new(redis: Redis) -> Self {
        Self { redis }
    }

    fn record_key(&self, jti: &str) -> String {
        self.redis.key(format_args!("refresh:{jti}"))
    }

    fn generation_key(&self, user_id: i64) -> String {
        self.redis.key(format_args!("refresh-gen:{user_id}"))
    }

    /// Records a freshly issued refresh token (login).
    pub async fn issued(&self, claims: &Claims) -> redis::RedisResult<()> {
        let ttl = (claims.exp - claims.iat).max(1);
        let mut conn = self.redis.conn.clone();
        let generation: Option<i64> =
            redis::cmd("GET").arg(self.generation_key(claims.user_id)).query_async(&mut conn).await?;
        redis::pipe()
            .atomic()
            .hset_multiple(
                self.record_key(&claims.jti),
                &[
                    ("user_id", claims.user_id.to_string()),
                    ("gen", generation.unwrap_or(0).to_string()),
                    ("state", "active".to_owned()),
                ],
            )
            .ignore()
            .expire(self.record_key(&claims.jti), ttl)
            .ignore()
            .query_async(&mut conn)
            .await
    }

    /// Atomically replaces `old` by `new` (whose signed form is `new_token`).
    pub async fn rotate(&self, old: &Claims, new: &Claims, new_token: &str) -> redis::RedisResult<Rotation> {
        let now = Utc::now().timestamp();
        let mut conn = self.redis.conn.clone();
        let reply: Vec<String> = Script::new(ROTATE)
            .key(self.record_key(&old.jti))
            .key(self.record_key(&new.jti))
            .key(self.generation_key(old.user_id))
            .arg(new_token)
            .arg(now)
            .arg(ROTATION_GRACE_SECS)
            .arg(new.user_id)
            .arg((new.exp - now).max(1))
            .arg(new.exp - new.iat + 86_400)
            .invoke_async(&mut conn)
            .await?;
        Ok(match reply.as_slice() {
            [state] if state == "rotated" => Rotation::Rotated,
            [state, successor] if state == "grace" => Rotation::AlreadyRotated { successor: successor.clone() },
            [state] if state == "replayed" => Rotation::Replayed,
            _ => Rotation::Refused,
        })
    }

    /// Revokes one refresh token (logout). Unknown tokens are ignored.
    pub async fn revoke(&self, jti: &str) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn.clone();
        let key = self.record_key(jti);
        let exists: bool = redis::cmd("EXISTS").arg(&key).query_async(&mut conn).await?;
        if exists {
            let () = redis::cmd("HSET").arg(&key).arg("state").arg("revoked").query_async(&mut conn).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use resee_core::config::Secret;

    use super::*;

    fn config(secret: &str, previous: Option<&str>) -> AuthConfig {
        AuthConfig {
            jwt_secret: Secret::new(secret),
            jwt_secret_previous: previous.map(Secret::new),
            access_token_ttl: Duration::from_secs(60),
            refresh_token_ttl: Duration::from_secs(600),
            enforce_email_verification: true,
        }
    }

    const OLD: &str = "old-secret-old-secret-old-secret-000";
    const NEW: &str = "new-secret-new-secret-new-secret-111";

    #[test]
    fn tokens_verify_with_their_type_only() {
        let tokens = Tokens::new(&config(NEW, None));
        let (access, claims) = tokens.issue(TokenType::Access, 7, 2, "s1").expect("issue");
        assert_eq!(tokens.verify(&access, Some(TokenType::Access)), Ok(claims));
        assert_eq!(tokens.verify(&access, Some(TokenType::Refresh)), Err(TokenError::WrongType));
        assert_eq!(tokens.verify("not.a.jwt", None), Err(TokenError::Invalid));
    }

    #[test]
    fn the_previous_key_still_verifies_during_rotation() {
        let (token, _) = Tokens::new(&config(OLD, None)).issue(TokenType::Access, 1, 0, "s1").expect("issue");
        assert!(Tokens::new(&config(NEW, Some(OLD))).verify(&token, None).is_ok());
        assert_eq!(Tokens::new(&config(NEW, None)).verify(&token, None), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_tokens_are_reported_as_expired() {
        let tokens = Tokens::new(&config(NEW, None));
        let now = Utc::now().timestamp();
        let claims = Claims {
            token_type: TokenType::Access,
            exp: now - 5,
            iat: now - 65,
            jti: "j".into(),
            user_id: 1,
            ver: 0,
            sid: None,
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(NEW.as_bytes()))
                .expect("encode");
        assert_eq!(tokens.verify(&token, None), Err(TokenError::Expired));
    }
}
