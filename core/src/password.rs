//! Password hashing and the rules a new password must pass.
//!
//! New hashes are argon2id (PHC strings). Hashes imported from the old Django backend
//! (`pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and Django's `argon2$argon2id$...`) still
//! verify, and report that they should be replaced by a fresh argon2id hash on the next login.
//!
//! Hashing is deliberately slow and memory-hard (argon2id, 19 MiB, 2 passes), so
//! [`PasswordHasher`] runs it on blocking threads behind a semaphore: a login storm queues for a
//! permit instead of occupying the async workers. Each permit owns one 19 MiB work area that is
//! reused from hash to hash; allocating it per hash made the allocator keep hundreds of MiB
//! resident after a login flood.

use std::collections::HashSet;
use std::io::Read as _;
use std::sync::{Arc, LazyLock, Mutex};

use argon2::password_hash::PasswordVerifier as _;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use rand::RngCore as _;
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

/// The parameters of every hash we write (OWASP's argon2id recommendation).
const PARAMS: Params = Params::DEFAULT;
const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, PARAMS)
}

/// `m=19456,t=2,p=1`: the parameter segment of our PHC strings.
fn params_segment() -> String {
    format!("m={},t={},p={}", PARAMS.m_cost(), PARAMS.t_cost(), PARAMS.p_cost())
}

/// A work area for one hash with [`PARAMS`].
fn work_area() -> Vec<Block> {
    vec![Block::default(); PARAMS.block_count()]
}

/// Hashes a password with argon2id and a random salt into a PHC string.
pub fn hash(password: &str) -> Result<String, HashError> {
    hash_in(password, &mut work_area())
}

fn hash_in(password: &str, memory: &mut [Block]) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; OUTPUT_LEN];
    argon2()
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
        .map_err(|e| HashError(e.to_string()))?;
    Ok(format!(
        "$argon2id$v={}${}${}${}",
        Version::V0x13 as u32,
        params_segment(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
}

/// Checks `password` against a stored hash of any supported scheme. Unknown schemes and
/// Django's unusable-password marker (`!...`) never verify.
pub fn verify(password: &str, stored: &str) -> Verified {
    verify_in(password, stored, &mut work_area())
}

fn verify_in(password: &str, stored: &str, memory: &mut [Block]) -> Verified {
    if let Some(rest) = stored.strip_prefix("pbkdf2_sha256$") {
        return verify_django_pbkdf2(password, rest);
    }
    // Django stores argon2 hashes as `argon2` + the PHC string.
    let (phc, imported) = match stored.strip_prefix("argon2$") {
        Some(rest) => (format!("${rest}"), true),
        None => (stored.to_owned(), false),
    };
    let ok = match own_format(&phc) {
        Some((salt, expected)) => {
            let mut out = vec![0u8; expected.len()];
            argon2().hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory).is_ok()
                && bool::from(out.ct_eq(&expected))
        }
        // Other parameters (imported hashes): the library allocates what they need.
        None => PasswordHash::new(&phc)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()),
    };
    if ok { Verified::Yes { needs_rehash: imported } } else { Verified::No }
}

/// Salt and hash of a PHC string written by [`hash`] (argon2id, v=19, our parameters).
fn own_format(phc: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let parts: Vec<&str> = phc.split('$').collect();
    let ["", "argon2id", "v=19", params, salt, hash] = parts.as_slice() else { return None };
    if *params != params_segment() {
        return None;
    }
    let salt = STANDARD_NO_PAD.decode(salt).ok()?;
    let hash = STANDARD_NO_PAD.decode(hash).ok()?;
    (salt.len() >= argon2::MIN_SALT_LEN && (4..=64).contains(&hash.len())).then_some((salt, hash))
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

/// Runs hashing off the async threads, at most `concurrency` at a time, each in a reused
/// work area.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    work_areas: Arc<Mutex<Vec<Vec<Block>>>>,
}

/// A valid hash of a random string: verifying against it when a user does not exist costs the
/// same time as a real check, so response times do not reveal which emails exist.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash(&crate::crypto::random_token()).ok());

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), work_areas: Arc::default() }
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move |memory| hash_in(&password, memory)).await.unwrap_or_else(|e| Err(HashError(e)))
    }

    pub async fn verify(&self, password: String, stored: String) -> Verified {
        self.run(move |memory| verify_in(&password, &stored, memory)).await.unwrap_or(Verified::No)
    }

    /// Spends the time of one verification without a real hash (unknown user).
    pub async fn verify_dummy(&self, password: String) {
        if let Some(dummy) = DUMMY_HASH.as_ref() {
            let dummy = dummy.clone();
            let _ = self.run(move |memory| verify_in(&password, &dummy, memory)).await;
        }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut [Block]) -> T + Send + 'static) -> Result<T, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        let areas = self.work_areas.clone();
        tokio::task::spawn_blocking(move || {
            // At most one area per permit exists: a permit holder takes one or makes the first.
            let mut memory = areas.lock().ok().and_then(|mut a| a.pop()).unwrap_or_else(work_area);
            let result = work(&mut memory);
            if let Ok(mut a) = areas.lock() {
                a.push(memory);
            }
            result
        })
        .await
        .map_err(|e| e.to_string())
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
    fn our_hashes_and_the_library_s_agree_both_ways() {
        use argon2::password_hash::PasswordHasher as _;
        let ours = hash("shared secret").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("a valid PHC string");
        assert!(Argon2::default().verify_password(b"shared secret", &parsed).is_ok());
        let theirs = Argon2::default().hash_password(b"shared secret").expect("hash").to_string();
        assert_eq!(verify("shared secret", &theirs), Verified::Yes { needs_rehash: false });
        assert_eq!(verify("other secret", &theirs), Verified::No);
    }

    #[test]
    fn hashes_with_other_parameters_still_verify() {
        let params = Params::new(8 * 1024, 1, 1, None).expect("params");
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let stored = argon2::password_hash::PasswordHasher::hash_password(&argon, b"cheap").expect("hash").to_string();
        assert!(stored.contains("m=8192"));
        assert_eq!(verify("cheap", &stored), Verified::Yes { needs_rehash: false });
        assert_eq!(verify("dear", &stored), Verified::No);
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
