//! The worker's settings, from the environment (`.env.example` lists them with their defaults).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use chrono_tz::Tz;
use resee_core::ai::AiConfig;
use resee_core::config::{AppEnv, CommonConfig, ConfigError, Env, Secret, parse_duration, percent_decode};
use resee_core::jobs::{JobKind, RetryPolicy};

use crate::backup::BackupConfig;
use crate::scheduler::cron::Cron;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub common: CommonConfig,
    /// `/metrics` and `/healthz` (`METRICS_ADDR`, 0.0.0.0:9100).
    pub metrics_addr: SocketAddr,
    /// Outgoing mail; `None` when neither `SMTP_URL` nor `SMTP_HOST` is set.
    pub smtp: Option<SmtpConfig>,
    /// `MAIL_FROM`, the sender of every email.
    pub mail_from: String,
    /// Time zone of the cron schedules (`SCHEDULER_TZ`, Asia/Seoul).
    pub scheduler_tz: Tz,
    /// `REMINDER_SCHEDULE` (every 5 minutes); empty switches reminders off.
    pub reminder_schedule: Option<Cron>,
    /// `HOUSEKEEPING_SCHEDULE` (daily 04:30); empty switches it off.
    pub housekeeping_schedule: Option<Cron>,
    /// `BACKUP_SCHEDULE`; empty (the default) = off.
    pub backup_schedule: Option<Cron>,
    /// Jobs of one type run at most this many at a time (`WORKER_CONCURRENCY`).
    pub concurrency: HashMap<JobKind, usize>,
    /// Overrides of the per-type retry policies (`JOB_RETRY_POLICY`).
    pub retry: HashMap<JobKind, RetryPolicy>,
    /// A job whose worker stopped renewing its lease this long ago is given to another worker
    /// (`JOB_VISIBILITY_TIMEOUT`, 30s).
    pub visibility_timeout: Duration,
    /// On SIGTERM, running jobs get this long to finish (`SHUTDOWN_GRACE_PERIOD`, 30s).
    pub shutdown_grace: Duration,
    /// Where backups go; `None` without `S3_BUCKET` (backup jobs then fail, saying so).
    pub backup: Option<BackupConfig>,
    /// The AI provider the jobs call (`AI_PROVIDER` and friends).
    pub ai: AiConfig,
}

/// How to reach the SMTP server.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (required), port 587 by default.
    StartTls,
    /// TLS from the first byte (SMTPS), port 465 by default.
    Tls,
    /// No encryption: only for a relay on the same host or network, port 25 by default.
    None,
}

impl std::str::FromStr for SmtpTls {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "starttls" => Ok(Self::StartTls),
            "tls" => Ok(Self::Tls),
            "none" => Ok(Self::None),
            other => Err(format!("`{other}` is not one of starttls, tls, none")),
        }
    }
}

/// Concurrency per job type unless `WORKER_CONCURRENCY` says otherwise: emails and the AI
/// requests a user waits for each have their own budget, so neither can starve the other.
fn default_concurrency(kind: JobKind) -> usize {
    match kind {
        JobKind::SendEmail => 8,
        JobKind::ValidateContent | JobKind::GradeAnswer => 8,
        JobKind::GenerateMcChoices | JobKind::GenerateExam => 4,
        JobKind::ReclampSchedules => 2,
        JobKind::BackupDatabase | JobKind::SendReminders | JobKind::Housekeeping => 1,
        JobKind::Noop => 64,
    }
}

impl WorkerConfig {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let common = CommonConfig::from_env(env)?;
        let scheduler_tz: Tz = env.parse_or("SCHEDULER_TZ", chrono_tz::Asia::Seoul)?;
        let cron = |name: &str, default: &str| -> Result<Option<Cron>, ConfigError> {
            // Set but empty (or `off`) switches a schedule off; unset takes the default.
            let raw = env.get_even_empty(name).unwrap_or(default);
            if raw.is_empty() || raw.eq_ignore_ascii_case("off") {
                return Ok(None);
            }
            Cron::parse(raw).map(Some).map_err(|e| ConfigError::new(name, e))
        };
        let smtp = smtp_config(env)?;
        if smtp.is_none() && common.app_env == AppEnv::Production {
            return Err(ConfigError::new(
                "SMTP_URL",
                "is required in production (or SMTP_HOST): emails could not be sent",
            ));
        }
        Ok(Self {
            metrics_addr: env.parse_or("METRICS_ADDR", SocketAddr::from(([0, 0, 0, 0], 9100)))?,
            smtp,
            mail_from: env.string_or("MAIL_FROM", "Resee <no-reply@localhost>"),
            scheduler_tz,
            reminder_schedule: cron("REMINDER_SCHEDULE", "*/5 * * * *")?,
            housekeeping_schedule: cron("HOUSEKEEPING_SCHEDULE", "30 4 * * *")?,
            backup_schedule: cron("BACKUP_SCHEDULE", "")?,
            concurrency: concurrency(env.get("WORKER_CONCURRENCY").unwrap_or(""))
                .map_err(|e| ConfigError::new("WORKER_CONCURRENCY", e))?,
            retry: retry_policies(env.get("JOB_RETRY_POLICY").unwrap_or(""))
                .map_err(|e| ConfigError::new("JOB_RETRY_POLICY", e))?,
            visibility_timeout: env.parse_with("JOB_VISIBILITY_TIMEOUT", "30s", parse_duration)?,
            shutdown_grace: env.parse_with("SHUTDOWN_GRACE_PERIOD", "30s", parse_duration)?,
            backup: match env.get("S3_BUCKET") {
                Some(_) => Some(BackupConfig::from_env(env, common.database_url.clone())?),
                None => None,
            },
            ai: AiConfig::from_env(env)?,
            common,
        })
    }

    pub fn concurrency_of(&self, kind: JobKind) -> usize {
        self.concurrency.get(&kind).copied().unwrap_or_else(|| default_concurrency(kind))
    }

    /// The retry policy of a type: core's, unless `JOB_RETRY_POLICY` overrides it.
    pub fn policy_of(&self, kind: JobKind) -> RetryPolicy {
        self.retry.get(&kind).copied().unwrap_or_else(|| kind.policy())
    }
}

/// `send_email=3/200ms,grade_answer=2/1s/5s`: max attempts / first delay [/ longest delay].
fn retry_policies(raw: &str) -> Result<HashMap<JobKind, RetryPolicy>, String> {
    let mut out = HashMap::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) =
            item.split_once('=').ok_or_else(|| format!("`{item}` is not `job_type=attempts/delay[/max_delay]`"))?;
        let kind = JobKind::from_name(name.trim()).ok_or_else(|| format!("unknown job type `{}`", name.trim()))?;
        let parts: Vec<&str> = value.split('/').map(str::trim).collect();
        let (attempts, base, max) = match parts.as_slice() {
            [a, b] => (*a, *b, None),
            [a, b, m] => (*a, *b, Some(*m)),
            _ => return Err(format!("`{value}` is not `attempts/delay[/max_delay]`")),
        };
        let max_attempts: u32 = attempts.parse().map_err(|_| format!("`{attempts}` is not a whole number"))?;
        if max_attempts == 0 {
            return Err(format!("{name} needs at least 1 attempt"));
        }
        let base_delay = parse_duration(base)?;
        let max_delay = max.map(parse_duration).transpose()?.unwrap_or_else(|| base_delay.max(kind.policy().max_delay));
        out.insert(kind, RetryPolicy { max_attempts, base_delay, max_delay, ..kind.policy() });
    }
    Ok(out)
}

/// `send_email=4,noop=100`: overrides of the per-type defaults.
fn concurrency(raw: &str) -> Result<HashMap<JobKind, usize>, String> {
    let mut out = HashMap::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) = item.split_once('=').ok_or_else(|| format!("`{item}` is not `job_type=number`"))?;
        let kind = JobKind::from_name(name.trim()).ok_or_else(|| format!("unknown job type `{}`", name.trim()))?;
        let n: usize = value.trim().parse().map_err(|_| format!("`{}` is not a whole number", value.trim()))?;
        if n == 0 {
            return Err(format!("{name} must be at least 1"));
        }
        out.insert(kind, n);
    }
    Ok(out)
}

fn smtp_config(env: &Env) -> Result<Option<SmtpConfig>, ConfigError> {
    if let Some(url) = env.secret("SMTP_URL")? {
        return parse_smtp_url(url.expose()).map(Some).map_err(|e| ConfigError::new("SMTP_URL", e));
    }
    let Some(host) = env.get("SMTP_HOST").map(str::trim).filter(|h| !h.is_empty()) else { return Ok(None) };
    let tls: SmtpTls = env.parse_or("SMTP_TLS", SmtpTls::StartTls)?;
    Ok(Some(SmtpConfig {
        host: host.to_owned(),
        port: env.parse_or("SMTP_PORT", default_port(tls))?,
        tls,
        username: env.get("SMTP_USERNAME").filter(|u| !u.is_empty()).map(str::to_owned),
        password: env.secret("SMTP_PASSWORD")?,
    }))
}

fn default_port(tls: SmtpTls) -> u16 {
    match tls {
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
        SmtpTls::None => 25,
    }
}

/// `smtp://[user[:password]@]host[:port]` (STARTTLS), `smtps://…` (TLS) or
/// `smtp://…?tls=none`; user and password percent-decoded.
fn parse_smtp_url(raw: &str) -> Result<SmtpConfig, String> {
    let (scheme, rest) = raw.split_once("://").ok_or("must look like smtp://user:password@host:port")?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut tls = match scheme {
        "smtp" => SmtpTls::StartTls,
        "smtps" => SmtpTls::Tls,
        other => return Err(format!("unknown scheme `{other}` (smtp or smtps)")),
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("tls", value)) => tls = value.parse()?,
            _ => return Err(format!("unknown option `{pair}` (only tls=starttls|tls|none)")),
        }
    }
    let (credentials, host_port) = match rest.rsplit_once('@') {
        Some((c, h)) => (Some(c), h),
        None => (None, rest),
    };
    let host_port = host_port.trim_end_matches('/');
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("`{p}` is not a port"))?),
        None => (host_port, default_port(tls)),
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    let (username, password) = match credentials {
        Some(c) => {
            let (u, p) = c.split_once(':').unwrap_or((c, ""));
            (Some(percent_decode(u)?), (!p.is_empty()).then(|| percent_decode(p)).transpose()?.map(Secret::new))
        }
        None => (None, None),
    };
    Ok(SmtpConfig { host: host.to_owned(), port, tls, username, password })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let c = parse_smtp_url("smtp://mailer%40x.com:p%3Ass@mail.example.com:2525").expect("valid");
        assert_eq!((c.host.as_str(), c.port, c.tls), ("mail.example.com", 2525, SmtpTls::StartTls));
        assert_eq!(c.username.as_deref(), Some("mailer@x.com"));
        assert_eq!(c.password.as_ref().map(Secret::expose), Some("p:ss"));
        let c = parse_smtp_url("smtps://smtp.example.com").expect("valid");
        assert_eq!((c.port, c.tls), (465, SmtpTls::Tls));
        let c = parse_smtp_url("smtp://127.0.0.1:1025?tls=none").expect("valid");
        assert_eq!((c.port, c.tls, c.username), (1025, SmtpTls::None, None));
        assert!(parse_smtp_url("http://x").is_err());
        assert!(parse_smtp_url("smtp://x:notaport").is_err());
        assert!(parse_smtp_url("smtp://x?tls=maybe").is_err());
    }

    #[test]
    fn concurrency_overrides() {
        let map = concurrency("send_email=3, noop=100").expect("valid");
        assert_eq!(map.get(&JobKind::SendEmail), Some(&3));
        assert!(concurrency("nope=1").is_err());
        assert!(concurrency("send_email=0").is_err());
        assert!(concurrency("send_email").is_err());
    }

    #[test]
    fn retry_policy_overrides() {
        let map = retry_policies("send_email=3/200ms, grade_answer=2/1s/5s").expect("valid");
        let email = map.get(&JobKind::SendEmail).expect("set");
        assert_eq!((email.max_attempts, email.base_delay), (3, Duration::from_millis(200)));
        assert_eq!(email.timeout, JobKind::SendEmail.policy().timeout);
        assert_eq!(map.get(&JobKind::GradeAnswer).map(|p| p.max_delay), Some(Duration::from_secs(5)));
        assert!(retry_policies("send_email=0/1s").is_err());
        assert!(retry_policies("send_email=3").is_err());
        assert!(retry_policies("nope=3/1s").is_err());
    }

    #[test]
    fn smtp_is_required_in_production_only() {
        let prod = Env::from_pairs([("DATABASE_URL", "postgres://x"), ("REDIS_URL", "redis://x")]);
        let err = WorkerConfig::from_env(&prod).expect_err("production without SMTP");
        assert!(err.to_string().contains("SMTP_URL"), "{err}");
        let dev =
            Env::from_pairs([("DATABASE_URL", "postgres://x"), ("REDIS_URL", "redis://x"), ("APP_ENV", "development")]);
        assert!(WorkerConfig::from_env(&dev).is_ok());
    }

    #[test]
    fn schedules_default_on_except_backups() {
        let env = Env::from_pairs([("DATABASE_URL", "postgres://x"), ("REDIS_URL", "redis://x"), ("APP_ENV", "dev")]);
        let config = WorkerConfig::from_env(&env).expect("valid");
        assert!(config.reminder_schedule.is_some() && config.housekeeping_schedule.is_some());
        assert!(config.backup_schedule.is_none());
        assert_eq!(config.scheduler_tz, chrono_tz::Asia::Seoul);
        let off = Env::from_pairs([
            ("DATABASE_URL", "postgres://x"),
            ("REDIS_URL", "redis://x"),
            ("APP_ENV", "dev"),
            ("REMINDER_SCHEDULE", ""),
            ("HOUSEKEEPING_SCHEDULE", "off"),
        ]);
        let config = WorkerConfig::from_env(&off).expect("valid");
        assert!(config.reminder_schedule.is_none() && config.housekeeping_schedule.is_none());
        let bad = Env::from_pairs([
            ("DATABASE_URL", "postgres://x"),
            ("REDIS_URL", "redis://x"),
            ("APP_ENV", "dev"),
            ("BACKUP_SCHEDULE", "3 am"),
        ]);
        let err = WorkerConfig::from_env(&bad).expect_err("invalid cron");
        assert!(err.to_string().contains("BACKUP_SCHEDULE"), "{err}");
    }
}
