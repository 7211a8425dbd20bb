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

/// A JSON Web Key Set (RFC 7517): the public keys that verify Roster's access tokens.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "0193a5c2-7d1e-7c3a-9f4b-2f1e5d6c7b8a", "alg": "EdDSA", "use": "sig"}]}))]
pub struct Jwks {
    /// The keys that verify tokens now, the signing key first; retired keys leave the set.
    pub keys: Vec<Jwk>,
}

/// One public key (RFC 8037: an Ed25519 key for EdDSA). Verifiers skip members they do not
/// know, and so may a key carry more.
#[derive(Serialize, ToSchema)]
pub struct Jwk {
    /// The key type: `OKP`.
    #[schema(example = "OKP")]
    pub kty: String,
    /// The curve: `Ed25519`.
    #[schema(example = "Ed25519")]
    pub crv: String,
    /// The public key, base64url without padding.
    #[schema(example = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")]
    pub x: String,
    /// The key's id, as the `kid` of the tokens it verifies.
    #[schema(example = "0193a5c2-7d1e-7c3a-9f4b-2f1e5d6c7b8a")]
    pub kid: String,
    /// The algorithm: `EdDSA`.
    #[schema(example = "EdDSA")]
    pub alg: String,
    /// What it is for: `sig`.
    #[serde(rename = "use")]
    #[schema(example = "sig")]
    pub key_use: String,
}
