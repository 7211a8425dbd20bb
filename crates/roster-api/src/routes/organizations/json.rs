//! The JSON of organizations and memberships, as requests send it and responses show it.

use chrono::{DateTime, Utc};
use roster_core::members::Invitee;
use roster_core::organizations::{NewMember as NewMemberOp, OrganizationPatch};
use roster_domain::{Address, Email, FieldError, Limits, Role, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{double_option, not_null};
use crate::list_schema;

/// An organization's lifecycle: `closed` is final.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgStateValue {
    Active,
    Inactive,
    Closed,
}

/// Who may read an organization's profile: members only, or any signed-in user.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisibilityValue {
    Private,
    Public,
}

/// The roles every organization has.
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
    /// The organization's id (a UUIDv7).
    pub id: Uuid,
    /// Websafe and unique; usable in paths instead of the id.
    #[schema(example = "acme-inc")]
    pub name: String,
    /// The name people read.
    #[schema(example = "Acme, Inc.")]
    pub display_name: String,
    /// Where invoices go.
    #[schema(format = Email, example = "billing@acme.test")]
    pub billing_email: Option<String>,
    /// A description, for people.
    #[schema(example = "Makers of everything")]
    pub description: Option<String>,
    /// The organization's web site.
    #[schema(format = "uri", example = "https://acme.test")]
    pub website: Option<String>,
    /// Where its logo is.
    #[schema(format = "uri", example = "https://acme.test/logo.png")]
    pub logo_url: Option<String>,
    /// Its postal address.
    pub address: Address,
    /// The integrating application's own id for this organization; unique where set.
    #[schema(example = "crm-4711")]
    pub reference: Option<String>,
    /// Free-form JSON object for the integrating application (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true, example = json!({"plan": "gold"}))]
    pub custom: Value,
    /// `active`, `inactive` or `closed` (final).
    #[schema(value_type = OrgStateValue)]
    pub state: String,
    /// A user's personal organization.
    pub personal: bool,
    /// `private` (members only) or `public` (any signed-in user may read the profile).
    #[schema(value_type = VisibilityValue)]
    pub visibility: String,
    /// What it may hold; set by platform admins.
    pub limits: Limits,
    /// How many current members it has.
    #[schema(example = 3)]
    pub member_count: i64,
    /// When it was created.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
    /// When it was closed, if it was.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub closed_at: Option<DateTime<Utc>>,
    /// With `expand=members`: the first 100 members.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub members: Option<Vec<Membership>>,
}

/// A user's membership in an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    /// The organization's id.
    pub organization_id: Uuid,
    /// Who the member is.
    pub user: MemberUser,
    /// `owner`, `admin`, `member`, `viewer` or a custom role key.
    #[schema(example = "owner")]
    pub role: String,
    /// Extra application-defined permission tags on top of the role's.
    #[schema(example = json!(["billing:read"]))]
    pub permissions: Vec<String>,
    /// When the membership ends by itself, if ever.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the user joined.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When the membership last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

/// The member, as a membership shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberUser {
    /// The user's id.
    pub id: Uuid,
    /// The user's email address.
    #[schema(example = "ada@example.test")]
    pub email: String,
    /// The user's name.
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
}

/// A member to add while creating an organization: an existing account by `user_id` (joins at
/// once), or an `email` (gets a pending invitation, whether or not it has an account).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    /// An existing user, by id (give this or `email`).
    pub user_id: Option<Uuid>,
    /// Someone to invite, by email address (give this or `user_id`).
    #[schema(format = Email, example = "grace@example.test")]
    pub email: Option<String>,
    /// `owner`, `admin`, `member` or `viewer`.
    #[schema(value_type = BuiltinRole)]
    pub role: String,
}

/// A new organization.
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
    /// The name people read; defaults to `name`.
    #[schema(example = "Acme, Inc.", min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// Where invoices go.
    #[schema(format = Email)]
    pub billing_email: Option<String>,
    /// A description, for people.
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// The organization's web site (http or https).
    #[schema(format = "uri")]
    pub website: Option<String>,
    /// Where its logo is (http or https).
    #[schema(format = "uri")]
    pub logo_url: Option<String>,
    /// Its postal address.
    pub address: Option<Address>,
    /// The integrating application's own id for it; unique where set.
    #[schema(max_length = 255)]
    pub reference: Option<String>,
    /// Free-form JSON object (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Value>,
    /// A user's personal organization.
    #[serde(default)]
    pub personal: bool,
    /// `private` (default) or `public`.
    #[schema(value_type = Option<VisibilityValue>)]
    pub visibility: Option<String>,
    /// What it may hold.
    pub limits: Option<Limits>,
    /// More members, created in the same transaction. The caller always becomes `owner`.
    #[serde(default)]
    pub members: Vec<NewMember>,
}

impl CreateOrganization {
    /// The fields as a patch onto an empty organization, and the members parsed.
    pub fn into_parts(self) -> Result<(OrganizationPatch, Vec<NewMemberOp>), ApiError> {
        let members = parse_members(self.members)?;
        let patch = OrganizationPatch {
            name: Some(Some(self.name)),
            display_name: self.display_name.map(Some),
            billing_email: self.billing_email.map(Some),
            description: self.description.map(Some),
            website: self.website.map(Some),
            logo_url: self.logo_url.map(Some),
            address: self
                .address
                .map(|a| Some(serde_json::to_value(a).unwrap_or(Value::Null))),
            reference: self.reference.map(Some),
            custom: self.custom.map(Some),
            state: None,
            personal: Some(Some(self.personal)),
            visibility: self.visibility.map(Some),
            limits: self
                .limits
                .map(|l| Some(serde_json::to_value(l).unwrap_or(Value::Null))),
        };
        Ok((patch, members))
    }
}

/// Each member names exactly one of `user_id` and `email`, and a role.
fn parse_members(members: Vec<NewMember>) -> Result<Vec<NewMemberOp>, ApiError> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (index, member) in members.into_iter().enumerate() {
        let role = Role::parse_field(&member.role, &format!("members[{index}].role"))
            .map_err(|e| errors.push(e))
            .ok();
        let user = match (member.user_id, member.email) {
            (Some(id), None) => Some(Invitee::User(UserId::from_uuid(id))),
            (None, Some(email)) => Email::parse_field(&email, &format!("members[{index}].email"))
                .map(Invitee::Email)
                .map_err(|e| errors.push(e))
                .ok(),
            _ => {
                errors.push(FieldError::new(
                    format!("members[{index}]"),
                    "invalid_value",
                    "give exactly one of user_id and email",
                ));
                None
            }
        };
        if let (Some(who), Some(role)) = (user, role) {
            parsed.push(NewMemberOp { who, role });
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ApiError::validation(errors))
    }
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
    /// The name people read; `null` resets it to the name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub display_name: Option<Option<String>>,
    /// Where invoices go.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email)]
    pub billing_email: Option<Option<String>>,
    /// A description, for people.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    /// The organization's web site (http or https).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub website: Option<Option<String>>,
    /// Where its logo is (http or https).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub logo_url: Option<Option<String>>,
    /// Parts of the postal address to change (merged key by key).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Address>)]
    pub address: Option<Option<Value>>,
    /// The integrating application's own id for it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub reference: Option<Option<String>>,
    /// Keys of `custom` to change (merged key by key; `null` removes a key).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Option<Value>>,
    /// `active` ↔ `inactive`, or `closed` (final; needs `organization:delete`). Not `null`.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = OrgStateValue, nullable = false)]
    pub state: Option<Option<String>>,
    /// A user's personal organization (only the person it was made for changes it). Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub personal: Option<bool>,
    /// `private` or `public`. Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = VisibilityValue, nullable = false)]
    pub visibility: Option<String>,
    /// Limits to change (merged key by key).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Limits>)]
    pub limits: Option<Option<Value>>,
}

impl From<UpdateOrganization> for OrganizationPatch {
    fn from(patch: UpdateOrganization) -> OrganizationPatch {
        OrganizationPatch {
            name: patch.name,
            display_name: patch.display_name,
            billing_email: patch.billing_email,
            description: patch.description,
            website: patch.website,
            logo_url: patch.logo_url,
            address: patch.address,
            reference: patch.reference,
            custom: patch.custom,
            state: patch.state,
            personal: patch.personal.map(Some),
            visibility: patch.visibility.map(Some),
            limits: patch.limits,
        }
    }
}

/// A membership with its organization, for `GET /v1/users/me/organizations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyOrganization {
    /// The organization.
    pub organization: Organization,
    /// The caller's role there.
    #[schema(example = "owner")]
    pub role: String,
    /// The membership's own application permission tags.
    #[schema(example = json!(["billing:*"]))]
    pub permissions: Vec<String>,
    /// Every permission in force there: the role's and the tags together.
    #[schema(example = json!(["organization:read", "members:read", "billing:*"]))]
    pub effective_permissions: Vec<String>,
    /// When the membership ends by itself, if ever.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the caller joined.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
}

list_schema!(OrganizationList, Organization, "A page of organizations.");
list_schema!(MembershipList, Membership, "A page of members.");

/// A new organization, with the invitations made for the emails among its `members`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOrganization {
    #[serde(flatten)]
    pub organization: Organization,
    /// One per email in `members`, each with its one-time `token` (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invitations: Vec<crate::routes::invitations::json::CreatedInvitation>,
}
list_schema!(
    MyOrganizationList,
    MyOrganization,
    "A page of the caller's memberships."
);
