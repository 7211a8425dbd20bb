use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::extract::double_option;

/// An organization's state (documentation of the string field).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgStateValue {
    Active,
    Inactive,
    Closed,
}

/// Who may read an organization's profile (documentation of the string field).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisibilityValue {
    Private,
    Public,
}

/// The roles every organization has (documentation of the string field).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    Owner,
    Admin,
    Member,
    Viewer,
}

/// An organization: one customer account of the integrating application.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    /// Websafe and unique; usable in paths instead of the id.
    #[schema(example = "acme-inc")]
    pub name: String,
    #[schema(example = "Acme, Inc.")]
    pub display_name: String,
    #[schema(format = Email, example = "billing@acme.test")]
    pub billing_email: Option<String>,
    pub description: Option<String>,
    #[schema(format = "uri", example = "https://acme.test")]
    pub website: Option<String>,
    #[schema(format = "uri", example = "https://acme.test/logo.png")]
    pub logo_url: Option<String>,
    pub address: Address,
    /// The integrating application's own id for this organization; unique where set.
    #[schema(example = "crm-4711")]
    pub reference: Option<String>,
    /// Free-form JSON object (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = Object, example = json!({"plan": "gold"}))]
    pub custom: Value,
    /// `active`, `inactive` or `closed` (final).
    #[schema(value_type = OrgStateValue)]
    pub state: String,
    pub personal: bool,
    /// `private` (members only) or `public` (any signed-in user may read the profile).
    #[schema(value_type = VisibilityValue)]
    pub visibility: String,
    pub limits: Limits,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// With `expand=members`: the first 100 members.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub members: Option<Vec<Membership>>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "CH")]
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// At most this many members (`null`: unlimited).
    pub max_members: Option<i64>,
    /// At most this many API keys (`null`: unlimited).
    pub max_api_keys: Option<i64>,
}

/// A user's membership in an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    pub organization_id: Uuid,
    pub user: MemberUser,
    /// `owner`, `admin`, `member`, `viewer` or a custom role key.
    #[schema(example = "owner")]
    pub role: String,
    /// Extra application-defined permission tags on top of the role's.
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberUser {
    pub id: Uuid,
    pub email: String,
    pub name: Option<String>,
}

/// A member to add while creating an organization: by `user_id` or by `email`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub user_id: Option<Uuid>,
    pub email: Option<String>,
    /// `owner`, `admin`, `member` or `viewer`.
    #[schema(value_type = BuiltinRole)]
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "acme-inc", "display_name": "Acme, Inc.", "billing_email": "billing@acme.test", "custom": {"plan": "gold"}}))]
pub struct CreateOrganization {
    /// Websafe, unique, not a reserved word and not shaped like a UUID.
    #[schema(
        example = "acme-inc",
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
    )]
    pub name: String,
    /// Defaults to `name`.
    #[schema(example = "Acme, Inc.", min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    #[schema(format = Email)]
    pub billing_email: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[schema(format = "uri")]
    pub website: Option<String>,
    #[schema(format = "uri")]
    pub logo_url: Option<String>,
    pub address: Option<Address>,
    #[schema(max_length = 255)]
    pub reference: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub personal: bool,
    /// `private` (default) or `public`.
    #[schema(value_type = Option<VisibilityValue>)]
    pub visibility: Option<String>,
    pub limits: Option<Limits>,
    /// More members, created in the same transaction. The caller always becomes `owner`.
    #[serde(default)]
    pub members: Vec<NewMember>,
}

/// A JSON merge patch (RFC 7396) of an organization: an absent field is unchanged, `null`
/// clears it, `address`, `limits` and `custom` merge key by key.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Acme Incorporated", "description": "Makers of everything"}))]
pub struct UpdateOrganization {
    /// A new name; the former one keeps resolving (308) until another organization takes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    pub name: Option<Option<String>>,
    /// `null` resets it to the name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub display_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email)]
    pub billing_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub logo_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Object>)]
    pub address: Option<Option<Value>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub reference: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Object>)]
    pub custom: Option<Option<Value>>,
    /// `active` ↔ `inactive`, or `closed` (final).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<OrgStateValue>)]
    pub state: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub personal: Option<Option<bool>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<VisibilityValue>)]
    pub visibility: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Object>)]
    pub limits: Option<Option<Value>>,
}

/// A membership with its organization, for `GET /v1/users/me/organizations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyOrganization {
    pub organization: Organization,
    #[schema(example = "owner")]
    pub role: String,
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// When the caller joined.
    pub created_at: DateTime<Utc>,
}
