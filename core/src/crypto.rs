//! One-time tokens (email verification, password reset, unsubscribe).
//!
//! A token is 32 random bytes, URL-safe base64 without padding. Only its SHA-256 is stored, so a
//! database leak does not hand out working links.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// A fresh random token for a link.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 digest under which a token is stored.
pub fn token_digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_url_safe_and_43_chars() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn the_digest_is_stable_and_32_bytes() {
        assert_eq!(token_digest("x"), token_digest("x"));
        assert_eq!(token_digest("x").len(), 32);
        assert_ne!(token_digest("x"), token_digest("y"));
    }
}
