//! The one error type of this crate.

/// Why a credential operation failed.
///
/// The variants are coarse on purpose: callers at the HTTP edge answer every
/// `InvalidToken` the same way (401), so the string is for logs, not clients.
#[derive(thiserror::Error, Debug)]
pub enum AuthError {
    /// The token is malformed, has a bad signature, uses an algorithm other than
    /// EdDSA or carries the wrong issuer.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// The token names a `kid` this verifier does not hold. Invalid like the rest, but a
    /// verifier that shares keys with other instances may reload its keys once and retry.
    #[error("invalid token: unknown kid {0:?}")]
    UnknownKey(String),
    /// The token was valid once but its `exp` has passed; callers may answer
    /// differently (a client should refresh rather than sign in again).
    #[error("token expired")]
    ExpiredToken,
    /// A signing or verification key could not be generated, parsed or used.
    #[error("key error: {0}")]
    Key(String),
    /// Roster could not be asked (for its keys, or about a credential): unreachable, or an
    /// answer that is not what Roster sends.
    #[error("asking Roster failed: {0}")]
    Roster(String),
    /// Password hashing failed (not a wrong password: that is `false` from
    /// `verify_password`).
    #[error("password hashing failed: {0}")]
    Hash(String),
}
