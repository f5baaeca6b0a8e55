//! Email: rendering (templates kept as files under `worker/templates/email/<language>/`,
//! compiled in) and sending over SMTP with lettre.
//!
//! Exactly once per `message_id`: the handler (`crate::jobs::email`) inserts the id into `sent_emails` inside a
//! transaction, sends, and commits only after the SMTP server accepted the message. A second
//! delivery of the same job finds the row and stops; one running at the same moment waits on the
//! row lock and then finds it. (A crash between the server's acceptance and the commit sends the
//! email again: at-least-once, never silently lost.) The `Message-ID` header is derived from the
//! job's `message_id`, so even that rare duplicate is recognisable to mail clients.

use std::time::Duration;

use anyhow::Context as _;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use minijinja::Environment;
use resee_core::i18n::Language;
use resee_core::jobs::{Email, SendEmail};
use serde_json::json;

use crate::config::{SmtpConfig, SmtpTls, WorkerConfig};

/// Every template: `(<language>/<name>, source)`, and the HTML layout they extend.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/email/base.html")),
    ("ko/verification.subject.txt", include_str!("../templates/email/ko/verification.subject.txt")),
    ("ko/verification.txt", include_str!("../templates/email/ko/verification.txt")),
    ("ko/verification.html", include_str!("../templates/email/ko/verification.html")),
    ("ko/welcome.subject.txt", include_str!("../templates/email/ko/welcome.subject.txt")),
    ("ko/welcome.txt", include_str!("../templates/email/ko/welcome.txt")),
    ("ko/welcome.html", include_str!("../templates/email/ko/welcome.html")),
    ("ko/password_reset.subject.txt", include_str!("../templates/email/ko/password_reset.subject.txt")),
    ("ko/password_reset.txt", include_str!("../templates/email/ko/password_reset.txt")),
    ("ko/password_reset.html", include_str!("../templates/email/ko/password_reset.html")),
    ("ko/review_reminder.subject.txt", include_str!("../templates/email/ko/review_reminder.subject.txt")),
    ("ko/review_reminder.txt", include_str!("../templates/email/ko/review_reminder.txt")),
    ("ko/review_reminder.html", include_str!("../templates/email/ko/review_reminder.html")),
    ("en/verification.subject.txt", include_str!("../templates/email/en/verification.subject.txt")),
    ("en/verification.txt", include_str!("../templates/email/en/verification.txt")),
    ("en/verification.html", include_str!("../templates/email/en/verification.html")),
    ("en/welcome.subject.txt", include_str!("../templates/email/en/welcome.subject.txt")),
    ("en/welcome.txt", include_str!("../templates/email/en/welcome.txt")),
    ("en/welcome.html", include_str!("../templates/email/en/welcome.html")),
    ("en/password_reset.subject.txt", include_str!("../templates/email/en/password_reset.subject.txt")),
    ("en/password_reset.txt", include_str!("../templates/email/en/password_reset.txt")),
    ("en/password_reset.html", include_str!("../templates/email/en/password_reset.html")),
    ("en/review_reminder.subject.txt", include_str!("../templates/email/en/review_reminder.subject.txt")),
    ("en/review_reminder.txt", include_str!("../templates/email/en/review_reminder.txt")),
    ("en/review_reminder.html", include_str!("../templates/email/en/review_reminder.html")),
];

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe URL (`List-Unsubscribe`), for reminders.
    pub unsubscribe: Option<String>,
}

/// Renders and sends; without SMTP settings (development only) it logs instead of sending.
pub struct Mailer {
    templates: Environment<'static>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).field("smtp", &self.transport.is_some()).finish()
    }
}

impl Mailer {
    pub fn new(config: &WorkerConfig) -> anyhow::Result<Self> {
        let mut templates = Environment::new();
        for (name, source) in TEMPLATES {
            templates.add_template(name, source).with_context(|| format!("email template {name}"))?;
        }
        let from: Mailbox = config.mail_from.parse().with_context(|| format!("MAIL_FROM `{}`", config.mail_from))?;
        let transport = config.smtp.as_ref().map(transport).transpose()?;
        Ok(Self { templates, transport, from, public_url: config.common.public_url.trim_end_matches('/').to_owned() })
    }

    /// Subject and both bodies of `email` in `language`.
    pub fn render(&self, email: &Email, language: Language) -> anyhow::Result<Rendered> {
        let review_link = format!("{}/review", self.public_url);
        let (name, context, unsubscribe) = match email {
            Email::Verification { link, .. } => ("verification", json!({ "link": link }), None),
            Email::Welcome => ("welcome", json!({ "app_link": self.public_url, "review_link": review_link }), None),
            Email::PasswordReset { link, .. } => ("password_reset", json!({ "link": link }), None),
            Email::ReviewReminder { due_titles, due_count, unsubscribe_token } => {
                // The page asks before it unsubscribes (mail scanners open links); the header's
                // URL is the RFC 8058 one-click POST endpoint.
                let unsubscribe_link = format!("{}/unsubscribe?token={unsubscribe_token}", self.public_url);
                let one_click = format!("{}/api/accounts/unsubscribe/?token={unsubscribe_token}", self.public_url);
                let context = json!({
                    "due_titles": due_titles,
                    "due_count": due_count,
                    "more": due_count.saturating_sub(u32::try_from(due_titles.len()).unwrap_or(u32::MAX)),
                    "review_link": review_link,
                    "unsubscribe_link": unsubscribe_link,
                });
                ("review_reminder", context, Some(one_click))
            }
        };
        let lang = language.code();
        let render = |part: &str| -> anyhow::Result<String> {
            let template = self.templates.get_template(&format!("{lang}/{name}.{part}"))?;
            Ok(template.render(&context)?)
        };
        Ok(Rendered {
            subject: render("subject.txt")?.trim().to_owned(),
            text: render("txt")?,
            html: render("html")?,
            unsubscribe,
        })
    }

    /// Builds the MIME message (multipart/alternative, plain text first).
    pub fn message(&self, job: &SendEmail, rendered: &Rendered) -> anyhow::Result<Message> {
        let to: Mailbox = job.to.parse().with_context(|| format!("`{}` is not an email address", job.to))?;
        let domain = self.from.email.domain().to_owned();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&rendered.subject)
            .message_id(Some(format!("<{}@{domain}>", sanitize_id(&job.message_id))));
        if let Some(url) = &rendered.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let body = MultiPart::alternative()
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(rendered.text.clone()))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(rendered.html.clone()));
        Ok(builder.multipart(body)?)
    }
}

fn transport(smtp: &SmtpConfig) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let builder = match smtp.tls {
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
    };
    let mut builder = builder.port(smtp.port).timeout(Some(Duration::from_secs(30)));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
    }
    Ok(builder.build())
}

/// A 5xx that no retry will change (the recipient or the message is refused). Authentication
/// failures are 5xx too (530, 534, 535, 538) but heal when the credentials are fixed: retried.
fn rejected_for_good(e: &lettre::transport::smtp::Error) -> bool {
    let auth = e.status().is_some_and(|code| matches!(code.to_string().as_str(), "530" | "534" | "535" | "538"));
    e.is_permanent() && !auth
}

/// Keeps a message id usable inside `<...@domain>`.
fn sanitize_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '.' }).collect()
}

pub fn template_name(email: &Email) -> &'static str {
    match email {
        Email::Verification { .. } => "verification",
        Email::Welcome => "welcome",
        Email::PasswordReset { .. } => "password_reset",
        Email::ReviewReminder { .. } => "review_reminder",
    }
}

/// Why a message was not delivered.
#[derive(Debug)]
pub struct Undelivered {
    /// No retry will change it (the recipient or the message is refused).
    pub permanent: bool,
    pub error: anyhow::Error,
}

impl Mailer {
    /// Hands `message` to the SMTP server; without one (development only: production refuses
    /// to start without SMTP) logs the whole text, links included, so a developer can follow them.
    pub async fn deliver(&self, message: Message, job: &SendEmail, rendered: &Rendered) -> Result<(), Undelivered> {
        match &self.transport {
            Some(transport) => {
                transport.send(message).await.map_err(|e| Undelivered {
                    permanent: rejected_for_good(&e),
                    error: anyhow::anyhow!("SMTP: {e}"),
                })?;
            }
            None => tracing::info!(template = template_name(&job.email), to = %job.to, subject = %rendered.subject,
                body = %rendered.text, "no SMTP server configured (SMTP_URL / SMTP_HOST): email logged, not sent"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use resee_core::config::Env;

    use super::*;

    fn mailer() -> Mailer {
        let env = Env::from_pairs([
            ("DATABASE_URL", "postgres://localhost/x"),
            ("REDIS_URL", "redis://localhost"),
            ("PUBLIC_URL", "https://resee.example"),
            ("MAIL_FROM", "Resee <no-reply@resee.example>"),
            ("APP_ENV", "development"),
        ]);
        Mailer::new(&WorkerConfig::from_env(&env).expect("config")).expect("mailer")
    }

    #[test]
    fn every_email_renders_in_both_languages() {
        let m = mailer();
        let emails = [
            Email::Verification { token: "t".into(), link: "https://resee.example/verify-email?token=t".into() },
            Email::Welcome,
            Email::PasswordReset { token: "t".into(), link: "https://resee.example/reset-password?token=t".into() },
            Email::ReviewReminder {
                due_titles: vec!["<b>Ohm</b>".into()],
                due_count: 3,
                unsubscribe_token: "u1".into(),
            },
        ];
        for email in &emails {
            for language in [Language::Ko, Language::En] {
                let r = m.render(email, language).expect("renders");
                assert!(!r.subject.is_empty() && !r.text.trim().is_empty() && r.html.contains("<html"), "{email:?}");
            }
        }
        let reminder = m.render(&emails[3], Language::En).expect("renders");
        assert!(
            reminder.html.contains("<li>&lt;b&gt;Ohm") && !reminder.html.contains("<b>Ohm"),
            "titles are escaped in HTML: {}",
            reminder.html
        );
        assert!(reminder.text.contains("<b>Ohm</b>") && reminder.text.contains("https://resee.example/review"));
        assert!(reminder.text.contains("https://resee.example/unsubscribe?token=u1"));
        assert_eq!(reminder.unsubscribe.as_deref(), Some("https://resee.example/api/accounts/unsubscribe/?token=u1"));
    }

    #[test]
    fn message_ids_are_stable_and_safe() {
        assert_eq!(sanitize_id("reminder:12:2026-11-30"), "reminder.12.2026-11-30");
    }
}
