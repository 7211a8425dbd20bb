//! Signing access tokens.

use std::fmt;
use std::time::Duration;

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use uuid::Uuid;

use super::claims::{AccessClaims, OrgScope};
use crate::error::AuthError;
use crate::signing_key::SigningKeyPair;

/// Signs access tokens with one key pair (the current one during rotation).
///
/// Built once at start-up (or when the current key changes) and shared: the
/// key is parsed and checked here so `issue` only signs.
#[derive(Clone, Debug)]
pub struct TokenIssuer {
    issuer: String,
    header: Header,
    encoding_key: EncodingKey,
    ttl_secs: i64,
}

/// A freshly signed access token, with what a token response needs.
#[derive(Clone, PartialEq)]
pub struct IssuedToken {
    /// The compact JWT, a bearer credential.
    pub token: String,
    /// Lifetime in seconds, for the `expires_in` of an OAuth-style response.
    pub expires_in: i64,
    /// The claims that were signed.
    pub claims: AccessClaims,
}

impl TokenIssuer {
    /// Prepares to sign with `key`, as `issuer`, for tokens that live `ttl`.
    ///
    /// Fails with [`AuthError::Key`] when the private key does not parse or
    /// does not match the pair's public key, so a bad key row shows up at
    /// start-up rather than at the first sign-in.
    pub fn new(
        key: &SigningKeyPair,
        issuer: impl Into<String>,
        ttl: Duration,
    ) -> Result<Self, AuthError> {
        key.signing_key()?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        Ok(Self {
            issuer: issuer.into(),
            header,
            encoding_key: EncodingKey::from_ed_der(&key.private_pkcs8_der),
            ttl_secs: i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX),
        })
    }

    /// The `kid` this issuer puts in token headers.
    pub fn kid(&self) -> &str {
        self.header.kid.as_deref().unwrap_or_default()
    }

    /// Issues a token for `user_id`, scoped to an organization when `org` is
    /// given.
    pub fn issue(&self, user_id: Uuid, org: Option<OrgScope>) -> Result<IssuedToken, AuthError> {
        self.issue_at(user_id, None, org, Utc::now().timestamp())
    }

    /// Issues a token that belongs to a sign-in session (`sid`, e.g. a refresh-token family),
    /// so that the session can be told apart from the bearer's other sessions.
    pub fn issue_for_session(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        org: Option<OrgScope>,
    ) -> Result<IssuedToken, AuthError> {
        self.issue_at(user_id, Some(session_id), org, Utc::now().timestamp())
    }

    /// `issue` with the clock passed in, so tests can mint expired tokens.
    pub(crate) fn issue_at(
        &self,
        user_id: Uuid,
        session_id: Option<Uuid>,
        org: Option<OrgScope>,
        now: i64,
    ) -> Result<IssuedToken, AuthError> {
        let exp = now.saturating_add(self.ttl_secs);
        let (org_id, org_role, org_permissions) = match org {
            Some(scope) => (
                Some(scope.org_id),
                Some(scope.role),
                Some(scope.permissions),
            ),
            None => (None, None, None),
        };
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            sub: user_id,
            iat: now,
            exp,
            jti: Uuid::now_v7(),
            sid: session_id,
            org_id,
            org_role,
            org_permissions,
        };
        let token = jsonwebtoken::encode(&self.header, &claims, &self.encoding_key)
            .map_err(|e| AuthError::Key(format!("signing failed: {e}")))?;
        Ok(IssuedToken {
            token,
            expires_in: exp.saturating_sub(now),
            claims,
        })
    }
}

/// The token is a credential: keep it out of logs.
impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("claims", &self.claims)
            .finish()
    }
}
