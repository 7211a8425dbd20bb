//! Password hashing with argon2id.
//!
//! Every function here costs about 20 ms of CPU (argon2id with the crate's
//! defaults: m=19456 KiB, t=2, p=1). Call them from a blocking pool
//! (`actix_web::web::block`, `tokio::task::spawn_blocking`) with bounded
//! concurrency, never directly on an async executor thread.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use rand::rngs::OsRng;
use rand::RngCore;

use crate::error::AuthError;

/// Stored hashes asking for more memory than this (in KiB, 1 GiB) are refused:
/// argon2 allocates `m` KiB up front, so a corrupt or hostile row could
/// otherwise exhaust the process's memory. Far above what we produce.
const MAX_M_COST_KIB: u32 = 1024 * 1024;
/// Same idea for passes over memory: a huge `t` would pin a core for hours.
const MAX_T_COST: u32 = 64;
/// Same idea for lanes.
const MAX_P_COST: u32 = 16;

/// Hashes `password` with argon2id, the crate's default parameters and a fresh
/// random 16-byte salt, returning the PHC string to store
/// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
///
/// CPU-heavy (~20 ms): run it in a blocking pool.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt_bytes = [0u8; 16];
    // try_fill_bytes rather than SaltString::generate, which panics if the OS
    // RNG fails.
    OsRng
        .try_fill_bytes(&mut salt_bytes)
        .map_err(|e| AuthError::Hash(format!("random salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AuthError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Checks `password` against a stored PHC string.
///
/// Returns `false` for a wrong password and also for a malformed or
/// unreasonably expensive `phc`, so a corrupt row locks the account rather than
/// erroring out. Parameters come from the stored string, so hashes made with
/// older defaults keep verifying.
///
/// CPU-heavy (~20 ms): run it in a blocking pool.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    if params.m_cost() > MAX_M_COST_KIB
        || params.t_cost() > MAX_T_COST
        || params.p_cost() > MAX_P_COST
    {
        return false;
    }
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

/// Spends the time of one real verification and throws the result away.
///
/// Sign-in calls this when no account has the given email, so "unknown email"
/// and "wrong password" take the same time and an attacker cannot enumerate
/// accounts by timing. The dummy hash is computed on first use (that first
/// call costs one extra hash) with the same defaults as `hash_password`.
///
/// CPU-heavy (~20 ms): run it in a blocking pool.
pub fn verify_dummy(password: &str) {
    match dummy_hash() {
        Some(phc) => {
            let _ = verify_password(password, phc);
        }
        // Hashing failed once (the OS RNG did): a hash costs what a
        // verification costs, so timing still matches.
        None => {
            let _ = hash_password(password);
        }
    }
}

fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| hash_password("roster-dummy-password").ok())
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correct_password_verifies() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery staple", &phc));
    }

    #[test]
    fn wrong_password_does_not_verify() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(!verify_password("Correct horse battery staple", &phc));
    }

    #[test]
    fn same_password_gets_a_different_salt_each_time() {
        assert_ne!(hash_password("pw").unwrap(), hash_password("pw").unwrap());
    }

    #[test]
    fn garbage_phc_is_false_not_a_panic() {
        for phc in [
            "",
            "not a hash",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$$",
            "$$$$",
        ] {
            assert!(!verify_password("pw", phc), "{phc:?}");
        }
    }

    #[test]
    fn absurd_memory_cost_is_refused_without_allocating() {
        let phc = hash_password("pw").unwrap();
        let hostile = phc.replace("m=19456", "m=4294967295");
        assert!(!verify_password("pw", &hostile));
    }

    #[test]
    fn dummy_verification_runs() {
        verify_dummy("anything");
        assert!(dummy_hash().is_some());
    }
}
