//! Password hashing and the rules a new password must pass.
//!
//! New hashes are argon2id (PHC strings). Hashes imported from the old Django backend
//! (`pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and Django's `argon2$argon2id$...`) still
//! verify, and report that they should be replaced by a fresh argon2id hash on the next login.
//!
//! Hashing is deliberately slow, so [`PasswordHasher`] runs it on blocking threads behind a
//! semaphore: a login storm queues for a permit instead of occupying the async workers.

use std::collections::HashSet;
use std::io::Read as _;
use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq as _;
use tokio::sync::Semaphore;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes {
        /// The stored hash uses an old scheme and should be replaced.
        needs_rehash: bool,
    },
}

impl Verified {
    pub fn is_ok(self) -> bool {
        matches!(self, Self::Yes { .. })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes a password with argon2id and a random salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
}

/// Checks `password` against a stored hash of any supported scheme. Unknown schemes and
/// Django's unusable-password marker (`!...`) never verify.
pub fn verify(password: &str, stored: &str) -> Verified {
    if let Some(rest) = stored.strip_prefix("pbkdf2_sha256$") {
        return verify_django_pbkdf2(password, rest);
    }
    // Django stores argon2 hashes as `argon2` + the PHC string.
    let (phc, imported) = match stored.strip_prefix("argon2$") {
        Some(rest) => (format!("${rest}"), true),
        None => (stored.to_owned(), false),
    };
    let Ok(parsed) = PasswordHash::new(&phc) else {
        return Verified::No;
    };
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Verified::Yes { needs_rehash: imported },
        Err(_) => Verified::No,
    }
}

fn verify_django_pbkdf2(password: &str, rest: &str) -> Verified {
    let mut parts = rest.splitn(3, '$');
    let (Some(iterations), Some(salt), Some(expected)) = (parts.next(), parts.next(), parts.next()) else {
        return Verified::No;
    };
    let Ok(iterations) = iterations.parse::<u32>() else {
        return Verified::No;
    };
    let Ok(expected) = STANDARD.decode(expected) else {
        return Verified::No;
    };
    if iterations == 0 || expected.is_empty() || expected.len() > 64 {
        return Verified::No;
    }
    let mut derived = vec![0u8; expected.len()];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt.as_bytes(), iterations, &mut derived);
    if bool::from(derived.ct_eq(&expected)) { Verified::Yes { needs_rehash: true } } else { Verified::No }
}

/// Runs hashing off the async threads, at most `concurrency` at a time.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

/// A valid argon2id hash of a random string: verifying against it when a user does not exist
/// costs the same time as a real check, so response times do not reveal which emails exist.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash(&crate::crypto::random_token()).ok());

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))) }
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash(&password)).await.unwrap_or_else(|e| Err(HashError(e)))
    }

    pub async fn verify(&self, password: String, stored: String) -> Verified {
        self.run(move || verify(&password, &stored)).await.unwrap_or(Verified::No)
    }

    /// Spends the time of one verification without a real hash (unknown user).
    pub async fn verify_dummy(&self, password: String) {
        if let Some(dummy) = DUMMY_HASH.as_ref() {
            let dummy = dummy.clone();
            let _ = self.run(move || verify(&password, &dummy)).await;
        }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(work).await.map_err(|e| e.to_string())
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    AllDigits,
    TooCommon,
    TooSimilarToEmail,
}

pub const MIN_LENGTH: usize = 8;

/// The 20 000 most common passwords (the list Django's `CommonPasswordValidator` uses).
static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut text = String::new();
    let gz = include_bytes!("../data/common-passwords.txt.gz");
    if flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).is_err() {
        return HashSet::new();
    }
    text.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
});

/// Checks a new password against the rules of the old backend: at least 8 characters, not
/// only digits, not a common password, not too close to the email address (or its parts).
pub fn check_policy(password: &str, email: &str) -> Vec<PasswordProblem> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_LENGTH {
        problems.push(PasswordProblem::TooShort);
    }
    if !password.is_empty() && password.chars().all(|c| c.is_ascii_digit()) {
        problems.push(PasswordProblem::AllDigits);
    }
    if COMMON.contains(&password.trim().to_lowercase()) {
        problems.push(PasswordProblem::TooCommon);
    }
    if too_similar(password, email) {
        problems.push(PasswordProblem::TooSimilarToEmail);
    }
    problems
}

/// Similar when the password equals, or shares most of its characters in order with, the
/// whole email or any of its word-like parts (ratio 2·LCS / total length ≥ 0.7, as Django's
/// `UserAttributeSimilarityValidator` measures it).
fn too_similar(password: &str, email: &str) -> bool {
    let password: Vec<char> = password.to_lowercase().chars().collect();
    let email = email.to_lowercase();
    let parts = std::iter::once(email.as_str()).chain(email.split(|c: char| !c.is_alphanumeric()));
    parts.filter(|p| p.chars().count() >= 3).any(|part| {
        let part: Vec<char> = part.chars().collect();
        let total = password.len() + part.len();
        total > 0 && 2.0 * lcs(&password, &part) as f64 / total as f64 >= 0.7
    })
}

fn lcs(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &ca in a {
        let mut diagonal = 0;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb { diagonal + 1 } else { above.max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_need_no_rehash() {
        let stored = hash("correct horse battery").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert_eq!(verify("correct horse battery", &stored), Verified::Yes { needs_rehash: false });
        assert_eq!(verify("wrong", &stored), Verified::No);
    }

    #[test]
    fn django_pbkdf2_hashes_verify_and_ask_for_a_rehash() {
        // Django's format, with 1000 iterations so the test stays fast.
        let mut derived = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"resee-pass-123", b"abcdefghijklmnop", 1000, &mut derived);
        let stored = format!("pbkdf2_sha256$1000$abcdefghijklmnop${}", STANDARD.encode(derived));
        assert_eq!(verify("resee-pass-123", &stored), Verified::Yes { needs_rehash: true });
        assert_eq!(verify("resee-pass-124", &stored), Verified::No);
    }

    #[test]
    fn a_known_django_vector_verifies() {
        // PBKDF2-HMAC-SHA256("password", "salt", 1 iteration), the published test vector, computed
        // independently with Python's hashlib.pbkdf2_hmac.
        let stored = "pbkdf2_sha256$1$salt$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=";
        assert_eq!(verify("password", stored), Verified::Yes { needs_rehash: true });
    }

    #[test]
    fn malformed_and_unusable_hashes_never_verify() {
        for stored in
            ["", "!unusable", "pbkdf2_sha256$x$salt$abc", "pbkdf2_sha256$1$salt", "md5$a$b", "$argon2id$garbage"]
        {
            assert_eq!(verify("password", stored), Verified::No, "{stored}");
        }
    }

    #[test]
    fn policy_rejects_short_numeric_common_and_email_like_passwords() {
        assert!(check_policy("short1", "a@b.com").contains(&PasswordProblem::TooShort));
        assert!(check_policy("1234567890", "a@b.com").contains(&PasswordProblem::AllDigits));
        assert!(check_policy("password1", "a@b.com").contains(&PasswordProblem::TooCommon));
        assert!(check_policy("jihoonkim", "jihoonkim@example.com").contains(&PasswordProblem::TooSimilarToEmail));
        assert!(check_policy("jihoonkim1", "jihoonkim@example.com").contains(&PasswordProblem::TooSimilarToEmail));
        assert_eq!(check_policy("Tr4vel-Quietly-42", "jihoonkim@example.com"), vec![]);
    }

    #[tokio::test]
    async fn the_hasher_runs_off_thread_and_verifies() {
        let hasher = PasswordHasher::new(2);
        let stored = hasher.hash("async-secret-pass".into()).await.expect("hash");
        assert!(hasher.verify("async-secret-pass".into(), stored.clone()).await.is_ok());
        assert!(!hasher.verify("nope".into(), stored).await.is_ok());
    }
}
