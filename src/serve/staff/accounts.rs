//! Staff accounts: those of the settings file, then those of the store;
//! passwords hashed with Argon2id (the PHC string format).

use crate::serve::clock::Random;
use crate::serve::store::{StaffAccount, Store, StoreError};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str, random: &dyn Random) -> Result<String, String> {
    let mut salt = [0u8; 16];
    random.fill(&mut salt);
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("the password could not be hashed: {e}"))
}

/// Whether `password` matches the PHC string `hash` (false for a hash
/// that does not read).
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A hash nobody's password matches, verified when the login is unknown
/// so that an unknown login takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let random = crate::serve::clock::OsRandom;
        hash_password("a decoy nobody types", &random).unwrap_or_default()
    })
}

/// The account with this login: the settings file's first, then the store's.
pub async fn find(
    configured: &[StaffAccount],
    store: &dyn Store,
    login: &str,
) -> Result<Option<StaffAccount>, StoreError> {
    if let Some(a) = configured.iter().find(|a| a.login == login) {
        return Ok(Some(a.clone()));
    }
    store.staff_account(login).await
}

/// A login: 1 to 64 letters, digits, `.`, `-`, `_` or `@`.
pub fn valid_login(login: &str) -> bool {
    (1..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'@'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::clock::SeededRandom;

    #[test]
    fn hashes_verify_their_password_only() {
        let h = hash_password("correct horse", &SeededRandom::new(1)).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(valid_login("marie.dupont"));
        assert!(!valid_login("marie dupont"));
        assert!(!valid_login(""));
    }
}
