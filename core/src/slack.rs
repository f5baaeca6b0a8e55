//! Alerts to a Slack incoming webhook (`SLACK_WEBHOOK_URL`; off when unset).

use std::time::Duration;

use serde_json::json;

use crate::config::Secret;

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
}
