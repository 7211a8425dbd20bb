//! `GET /v1/auth/whoami`.

use crate::refusals::Refusals;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use roster_core::sessions::WhoAmI;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::extract::Call;
use crate::routes::api_keys::json::{api_key, ApiKey};
use crate::routes::invitations::json::InvitingOrganization;
use crate::routes::users::json::User;

/// Who a credential is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Identity {
    /// `user` (an access token) or `api_key`.
    #[schema(example = "user")]
    pub kind: &'static str,
    /// The user: the token's, or the one the API key acts for.
    pub user: User,
    /// The API key, when the credential is one.
    pub api_key: Option<ApiKey>,
    /// The organization the credential is confined to (a scoped token's, an organization
    /// key's); `null` when it acts account-wide.
    pub organization: Option<InvitingOrganization>,
    /// The role there.
    #[schema(example = "admin")]
    pub role: Option<String>,
    /// The permissions in force there.
    #[schema(example = json!(["organization:read", "members:read"]))]
    pub permissions: Vec<String>,
    /// When the credential stops working by itself.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who am I
///
/// Who the presented credential is (an access token or an API key), where it is confined and
/// what it may do there.
#[utoipa::path(
    get,
    path = "/v1/auth/whoami",
    tag = "auth",
    responses((status = 200, description = "The credential's holder", body = Identity))
)]
pub async fn whoami(call: Call<WhoAmI>) -> Result<HttpResponse, ApiError> {
    let identity = call.execute(WhoAmI).await?;
    Ok(HttpResponse::Ok().json(Identity {
        kind: if identity.api_key.is_some() {
            "api_key"
        } else {
            "user"
        },
        user: User::from(&identity.user),
        api_key: identity.api_key.as_ref().map(api_key),
        organization: identity.organization.map(|org| InvitingOrganization {
            id: org.id.as_uuid(),
            name: org.name,
            display_name: org.display_name,
        }),
        role: identity.role,
        permissions: identity.permissions,
        expires_at: identity.expires_at,
    }))
}

impl Refusals for WhoAmI {}
