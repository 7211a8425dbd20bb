//! Password hashing and verification on the blocking pool, a few at a time.

use roster_auth::{hash_password, verify_dummy, verify_password};

use crate::error::ApiError;
use crate::state::AppState;

/// Hashes a new password with argon2id.
pub async fn hash(state: &AppState, password: String) -> Result<String, ApiError> {
    let _slot = state
        .password_slots
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    actix_web::web::block(move || hash_password(&password))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Checks a password against a stored hash. With no hash (unknown user) it spends the same
/// time and answers false, so response times don't reveal which emails have accounts.
pub async fn verify(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<bool, ApiError> {
    let _slot = state
        .password_slots
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let ok = actix_web::web::block(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_dummy(&password);
            false
        }
    })
    .await?;
    Ok(ok)
}
