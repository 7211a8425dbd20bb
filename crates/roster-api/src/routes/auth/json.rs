use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The grants the token endpoint knows.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    Password,
    RefreshToken,
}

/// An OAuth2 token request (form-encoded, or the same fields as JSON).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grant_type": "password", "username": "ada@example.test", "password": "correct horse battery"}))]
pub struct TokenRequest {
    /// `password` or `refresh_token`.
    #[schema(value_type = GrantType)]
    pub grant_type: String,
    /// The email address (password grant).
    #[schema(example = "ada@example.test")]
    pub username: Option<String>,
    /// The password (password grant).
    #[schema(format = Password)]
    pub password: Option<String>,
    /// The refresh token (refresh_token grant).
    pub refresh_token: Option<String>,
    /// Scope the access token to one organization (id or name).
    pub organization: Option<String>,
    /// Accepted for OAuth2 clients (Swagger UI sends it); Roster has no scopes.
    pub scope: Option<String>,
    /// Accepted for OAuth2 clients; Roster has no client registration.
    pub client_id: Option<String>,
    /// Accepted for OAuth2 clients; ignored.
    pub client_secret: Option<String>,
}

/// A new pair of tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// An EdDSA-signed JWT; verify it with `/.well-known/jwks.json`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Use once with `grant_type=refresh_token`; each use returns a new one.
    pub refresh_token: String,
}

/// A refresh token to revoke (RFC 7009).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "rrt_…"}))]
pub struct RevokeRequest {
    /// The refresh token to revoke, with every token rotated from the same sign-in.
    pub token: String,
    /// Accepted for RFC 7009 clients; only refresh tokens can be revoked.
    pub token_type_hint: Option<String>,
}
