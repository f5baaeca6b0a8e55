//! Alerts to a Slack incoming webhook (`SLACK_WEBHOOK_URL`; off when unset).

use std::time::Duration;

use serde_json::json;

use crate::config::Secret;
use crate::redis::Redis;

/// One alert per topic and window; the ones in between are counted and reported with the next.
const STORM_WINDOW_SECS: u64 = 60;

/// How an alert is coloured in Slack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    Success,
}

impl Level {
    fn color(self) -> &'static str {
        match self {
            Self::Error => "#d32f2f",
            Self::Warning => "#f9a825",
            Self::Info => "#1976d2",
            Self::Success => "#2e7d32",
        }
    }
}

/// Posts alerts; does nothing when no webhook is configured.
#[derive(Debug, Clone)]
pub struct Slack {
    webhook: Option<Secret>,
    http: reqwest::Client,
}

impl Slack {
    pub fn new(webhook: Option<Secret>) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap_or_default();
        Self { webhook, http }
    }

    pub fn enabled(&self) -> bool {
        self.webhook.is_some()
    }

    /// Sends one message with a coloured attachment.
    pub async fn send(&self, level: Level, title: &str, text: &str) -> anyhow::Result<()> {
        let Some(webhook) = &self.webhook else { return Ok(()) };
        let body = json!({
            "text": title,
            "attachments": [{"color": level.color(), "text": text}],
        });
        self.http.post(webhook.expose()).json(&body).send().await?.error_for_status()?;
        Ok(())
    }

    /// Sends an alert unless one of the same `topic` went out in the last minute (from any
    /// process sharing this Redis); a suppressed alert is counted, and the next one that goes
    /// out says how many there were. Returns whether a message was sent.
    pub async fn send_throttled(
        &self,
        redis: &Redis,
        topic: &str,
        level: Level,
        title: &str,
        text: &str,
    ) -> anyhow::Result<bool> {
        if !self.enabled() {
            return Ok(false);
        }
        let count_key = redis.key(format!("alerts:{topic}:count"));
        let window_key = redis.key(format!("alerts:{topic}:window"));
        let mut conn = redis.conn.clone();
        let _: i64 = ::redis::cmd("INCR").arg(&count_key).query_async(&mut conn).await?;
        let opened: Option<String> = ::redis::cmd("SET")
            .arg(&window_key)
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(STORM_WINDOW_SECS)
            .query_async(&mut conn)
            .await?;
        if opened.is_none() {
            return Ok(false);
        }
        let count: Option<i64> = ::redis::cmd("GETDEL").arg(&count_key).query_async(&mut conn).await?;
        let text = match count.unwrap_or(1) {
            n if n > 1 => format!("{text}\n({n} such alerts in the last minute or since the previous message)"),
            _ => text.to_owned(),
        };
        self.send(level, title, &text).await?;
        Ok(true)
    }
}
