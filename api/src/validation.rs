//! Input rules shared by several endpoints, with their messages.

use resee_core::password::{self, PasswordProblem};

use crate::error::FieldErrors;
use crate::messages::Msg;

/// Collects field errors; `finish` fails when any were added.
#[derive(Debug, Default)]
pub struct Errors(FieldErrors);

impl Errors {
    pub fn add(&mut self, field: &str, message: String) {
        crate::error::add_message(&mut self.0, field, message);
    }

    pub fn into_result(self) -> Result<(), crate::error::ApiError> {
        if self.0.is_empty() { Ok(()) } else { Err(crate::error::ApiError::Fields(self.0)) }
    }
}

/// Normalises an email address (trimmed, domain lower-cased) or says what is wrong with it.
pub fn email(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let invalid = || Msg::InvalidEmailAddress.text();
    let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.split('.').all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
    if local.is_empty()
        || local.len() > 64
        || raw.len() > 254
        || !domain_ok
        || local.contains(char::is_whitespace)
        || local.contains('@')
    {
        return Err(invalid());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// The messages for a new password that breaks the policy (empty when it is fine).
pub fn password(password: &str, email: &str) -> Vec<String> {
    password::check_policy(password, email)
        .into_iter()
        .map(|problem| match problem {
            PasswordProblem::TooShort => Msg::PasswordTooShort(password::MIN_LENGTH).text(),
            PasswordProblem::AllDigits => Msg::PasswordAllDigits.text(),
            PasswordProblem::TooCommon => Msg::PasswordTooCommon.text(),
            PasswordProblem::TooSimilarToEmail => Msg::PasswordTooSimilarToEmail.text(),
        })
        .collect()
}

pub fn passwords_differ() -> String {
    Msg::PasswordsDiffer.text()
}

/// Checks a username change: `None` = leave it, `Some(None)` (null or blank) = remove it,
/// `Some(Some(name))` = a valid name no other user has (case-insensitive). Problems go to
/// `errors` under `username`.
pub async fn username_change(
    db: &sqlx::PgPool,
    requested: Option<Option<String>>,
    user_id: i64,
    errors: &mut Errors,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let raw = match requested {
        None => return Ok(None),
        Some(raw) => raw.filter(|r| !r.trim().is_empty()),
    };
    let Some(raw) = raw else { return Ok(Some(None)) };
    match username(&raw) {
        Ok(name) => {
            if resee_core::store::users::username_taken(db, &name, user_id).await? {
                errors.add("username", Msg::UsernameTaken.text());
            }
            Ok(Some(Some(name)))
        }
        Err(message) => {
            errors.add("username", message);
            Ok(None)
        }
    }
}

/// Usernames: 1–150 characters of letters, digits and `@ . + - _` (Django's rule).
pub fn username(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let ok =
        (1..=150).contains(&name.chars().count()) && name.chars().all(|c| c.is_alphanumeric() || "@.+-_".contains(c));
    if ok { Ok(name.to_owned()) } else { Err(Msg::InvalidUsername.text()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_domains_lower_cased() {
        assert_eq!(email(" Kim@Example.COM "), Ok("Kim@example.com".to_owned()));
        for bad in ["", "kim", "kim@", "@example.com", "kim@example", "kim@exa mple.com", "a b@example.com", "kim@.com"]
        {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_follow_the_django_rule() {
        assert_eq!(username(" jihoon.kim "), Ok("jihoon.kim".to_owned()));
        assert!(username("지훈").is_ok());
        assert!(username("has space").is_err());
        assert!(username("").is_err());
    }
}
