//! AI provider settings (`AI_*`, `ANTHROPIC_*`, `OPENAI_*`).

use std::str::FromStr;
use std::time::Duration;

use super::{ConfigError, Env, Secret, parse_duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Offline,
    Anthropic,
    OpenAi,
}

impl FromStr for ProviderKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "offline" => Ok(Self::Offline),
            "anthropic" => Ok(Self::Anthropic),
            "openai" => Ok(Self::OpenAi),
            other => Err(format!("`{other}` is not one of offline, anthropic, openai")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AiConfig {
    /// `AI_PROVIDER`; unset: anthropic when `ANTHROPIC_API_KEY` is set, else openai when
    /// `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else offline.
    pub kind: ProviderKind,
    /// `ANTHROPIC_BASE_URL` (https://api.anthropic.com) or `OPENAI_BASE_URL`
    /// (https://api.openai.com/v1), without a trailing slash.
    pub base_url: String,
    /// `ANTHROPIC_API_KEY` (required for anthropic) or `OPENAI_API_KEY` (optional: self-hosted
    /// endpoints often need none).
    pub api_key: Option<Secret>,
    /// `AI_MODEL`; defaults per provider.
    pub model: String,
    /// One call's time limit (`AI_TIMEOUT`, 25s).
    pub timeout: Duration,
    /// Calls in flight at once per process (`AI_MAX_CONCURRENCY`, 4).
    pub max_concurrency: usize,
    /// How long the api waits for a worker's answer before it falls back (`AI_REPLY_DEADLINE`, 25s).
    pub reply_deadline: Duration,
}

impl AiConfig {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let anthropic_key = env.secret("ANTHROPIC_API_KEY")?;
        let openai_key = env.secret("OPENAI_API_KEY")?;
        let openai_base = env.get("OPENAI_BASE_URL").map(str::to_owned);
        let inferred = if anthropic_key.is_some() {
            ProviderKind::Anthropic
        } else if openai_key.is_some() || openai_base.is_some() {
            ProviderKind::OpenAi
        } else {
            ProviderKind::Offline
        };
        let kind = env.parse_or("AI_PROVIDER", inferred)?;
        let (base_url, api_key, model) = match kind {
            ProviderKind::Offline => (String::new(), None, "offline".to_owned()),
            ProviderKind::Anthropic => {
                let key = anthropic_key.ok_or_else(|| {
                    ConfigError::new("ANTHROPIC_API_KEY", "is required when AI_PROVIDER is anthropic")
                })?;
                let base = env.string_or("ANTHROPIC_BASE_URL", "https://api.anthropic.com");
                (base, Some(key), env.string_or("AI_MODEL", "claude-sonnet-4-5"))
            }
            ProviderKind::OpenAi => {
                let base = openai_base.unwrap_or_else(|| "https://api.openai.com/v1".to_owned());
                (base, openai_key, env.string_or("AI_MODEL", "gpt-4o-mini"))
            }
        };
        let var = if kind == ProviderKind::Anthropic { "ANTHROPIC_BASE_URL" } else { "OPENAI_BASE_URL" };
        if kind != ProviderKind::Offline && !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::new(var, "must start with http:// or https://"));
        }
        let max_concurrency: usize = env.parse_or("AI_MAX_CONCURRENCY", 4)?;
        if max_concurrency == 0 {
            return Err(ConfigError::new("AI_MAX_CONCURRENCY", "must be at least 1"));
        }
        Ok(Self {
            kind,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            model,
            timeout: env.parse_with("AI_TIMEOUT", "25s", parse_duration)?,
            max_concurrency,
            reply_deadline: env.parse_with("AI_REPLY_DEADLINE", "25s", parse_duration)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_unless_a_key_or_endpoint_is_configured() {
        let config = AiConfig::from_env(&Env::from_pairs::<&str, &str>([])).expect("config");
        assert_eq!(config.kind, ProviderKind::Offline);
        assert_eq!(config.timeout, Duration::from_secs(25));
        let config = AiConfig::from_env(&Env::from_pairs([("ANTHROPIC_API_KEY", "k")])).expect("config");
        assert_eq!((config.kind, config.base_url.as_str()), (ProviderKind::Anthropic, "https://api.anthropic.com"));
        let config =
            AiConfig::from_env(&Env::from_pairs([("OPENAI_BASE_URL", "http://127.0.0.1:1/v1/")])).expect("config");
        assert_eq!((config.kind, config.base_url.as_str()), (ProviderKind::OpenAi, "http://127.0.0.1:1/v1"));
        let forced = AiConfig::from_env(&Env::from_pairs([("AI_PROVIDER", "offline"), ("ANTHROPIC_API_KEY", "k")]));
        assert_eq!(forced.expect("config").kind, ProviderKind::Offline);
    }

    #[test]
    fn anthropic_without_a_key_names_the_variable() {
        let err = AiConfig::from_env(&Env::from_pairs([("AI_PROVIDER", "anthropic")])).expect_err("no key");
        assert!(err.to_string().contains("ANTHROPIC_API_KEY"), "{err}");
    }
}
