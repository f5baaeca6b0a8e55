//! Reading typed values out of the environment.
//!
//! The process environment is captured once into an [`Env`]; settings structs read from it and
//! never call `std::env::var` themselves, so tests can build any configuration from a list of
//! pairs. Every error names the variable that caused it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A configuration problem, naming the variable at fault.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in {var}: {problem}")]
pub struct ConfigError {
    /// The environment variable (or its `_FILE` twin) that is missing or invalid.
    pub var: String,
    /// What is wrong with it, in words an operator can act on.
    pub problem: String,
}

impl ConfigError {
    pub fn new(var: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { var: var.into(), problem: problem.into() }
    }
}

/// A secret value: printed as `[redacted]` by `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call it only where the value is handed to the library that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A snapshot of environment variables. Empty values count as unset.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// Captures the current process environment.
    pub fn from_process() -> Self {
        Self { vars: std::env::vars().collect() }
    }

    /// Builds an environment from explicit pairs (tests, tools).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Self { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// Sets or replaces one variable.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    /// The trimmed value of `name`, or `None` when unset or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// The trimmed value of `name` even when empty (`None` only when unset): for settings where
    /// an empty value means "off" rather than "default".
    pub fn get_even_empty(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.trim())
    }

    pub fn required(&self, name: &str) -> Result<String, ConfigError> {
        self.get(name).map(str::to_owned).ok_or_else(|| ConfigError::new(name, "is required but not set"))
    }

    pub fn string_or(&self, name: &str, default: &str) -> String {
        self.get(name).unwrap_or(default).to_owned()
    }

    /// A secret from `NAME`, or from the file named by `NAME_FILE` (trailing newline dropped).
    /// Setting both is an error, so a stale variable cannot silently win.
    pub fn secret(&self, name: &str) -> Result<Option<Secret>, ConfigError> {
        let file_var = format!("{name}_FILE");
        match (self.vars.get(name).filter(|v| !v.is_empty()), self.get(&file_var)) {
            (Some(_), Some(_)) => Err(ConfigError::new(name, format!("set either {name} or {file_var}, not both"))),
            (Some(value), None) => Ok(Some(Secret::new(value.clone()))),
            (None, Some(path)) => {
                let value = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::new(&file_var, format!("cannot read {path}: {e}")))?;
                let value = value.trim_end_matches(['\n', '\r']);
                if value.is_empty() {
                    return Err(ConfigError::new(&file_var, format!("{path} is empty")));
                }
                Ok(Some(Secret::new(value)))
            }
            (None, None) => Ok(None),
        }
    }

    pub fn required_secret(&self, name: &str) -> Result<Secret, ConfigError> {
        self.secret(name)?
            .ok_or_else(|| ConfigError::new(name, format!("is required but neither {name} nor {name}_FILE is set")))
    }

    /// Parses `name` with `FromStr`, falling back to `default` when unset.
    pub fn parse_or<T>(&self, name: &str, default: T) -> Result<T, ConfigError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|e| ConfigError::new(name, format!("invalid value {raw:?}: {e}"))),
        }
    }

    /// Parses `name` with `parse`, using `default` (also parsed) when unset.
    pub fn parse_with<T>(
        &self,
        name: &str,
        default: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let raw = self.get(name).unwrap_or(default);
        parse(raw).map_err(|e| ConfigError::new(name, format!("invalid value {raw:?}: {e}")))
    }

    pub fn bool_or(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        self.parse_with(name, if default { "true" } else { "false" }, parse_bool)
    }

    /// A comma-separated list; empty items are dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|raw| raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

/// Parses durations written as `<number><unit>` with unit `ms`, `s`, `m`, `h` or `d` (`250ms`,
/// `60m`, `7d`); a bare number is seconds.
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (digits, unit) = raw.split_at(split);
    let n: u64 = digits.parse().map_err(|_| "expected a number followed by ms, s, m, h or d (e.g. 60m)".to_owned())?;
    let duration = match unit.trim() {
        "ms" => Duration::from_millis(n),
        "s" | "" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.saturating_mul(60)),
        "h" => Duration::from_secs(n.saturating_mul(3600)),
        "d" => Duration::from_secs(n.saturating_mul(86_400)),
        other => return Err(format!("unknown unit {other:?}; use ms, s, m, h or d")),
    };
    if duration.is_zero() {
        return Err("must be greater than zero".into());
    }
    Ok(duration)
}

/// A rate limit written as `<count>/<period>` (`5/min`, `10/hour`, `1000/day`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub period: Duration,
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let (count, period) = raw.split_once('/').ok_or("expected <count>/<period>, e.g. 5/min")?;
        let count: u32 = count.trim().parse().map_err(|_| format!("{count:?} is not a whole number"))?;
        let period = match period.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            "d" | "day" => Duration::from_secs(86_400),
            other => return Err(format!("unknown period {other:?}; use second, min, hour or day")),
        };
        if count == 0 {
            return Err("count must be at least 1".into());
        }
        Ok(Self { count, period })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let period = match self.period.as_secs() {
            1 => "second",
            60 => "min",
            3600 => "hour",
            _ => "day",
        };
        write!(f, "{}/{period}", self.count)
    }
}

/// Decodes `%XX` escapes (URL user info); errors on a bad escape or invalid UTF-8.
pub fn percent_decode(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3).ok_or("has a cut-off %-escape")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("has a bad %-escape `%{hex}`"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "decodes to invalid UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
    }

    #[test]
    fn secret_is_read_from_its_file_variant() {
        let dir = std::env::temp_dir().join(format!("resee-secret-{}", uuid::Uuid::new_v4()));
        std::fs::write(&dir, "from-file\n").expect("write temp file");
        let env = Env::from_pairs([("JWT_SECRET_FILE", dir.to_string_lossy().to_string())]);
        assert_eq!(env.required_secret("JWT_SECRET").expect("secret").expose(), "from-file");
        std::fs::remove_file(dir).ok();
    }

    #[test]
    fn both_secret_variants_set_is_an_error_naming_the_variable() {
        let env = Env::from_pairs([("JWT_SECRET", "a"), ("JWT_SECRET_FILE", "/x")]);
        let err = env.secret("JWT_SECRET").expect_err("must refuse");
        assert_eq!(err.var, "JWT_SECRET");
    }

    #[test]
    fn durations_and_rates_parse() {
        assert_eq!(parse_duration("60m"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("0ms").is_err());
        assert!(parse_duration("7w").is_err());
        assert_eq!("5/min".parse(), Ok(Rate { count: 5, period: Duration::from_secs(60) }));
        assert_eq!("10/hour".parse::<Rate>().map(|r| r.to_string()), Ok("10/hour".to_owned()));
        assert!("0/min".parse::<Rate>().is_err());
        assert!("five/min".parse::<Rate>().is_err());
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let env = Env::from_pairs([("ACCESS_TOKEN_TTL", "soon")]);
        let err = env.parse_with("ACCESS_TOKEN_TTL", "60m", parse_duration).expect_err("invalid");
        assert_eq!(err.var, "ACCESS_TOKEN_TTL");
        assert!(err.to_string().contains("ACCESS_TOKEN_TTL"));
    }
}
