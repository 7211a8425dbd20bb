use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder};
use chrono::{DateTime, Utc};
use roster_core::users::{self as core, ProfileChanges};
use roster_domain::Email;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{double_option, not_null};
use crate::list_schema;

/// Whether a user may sign in: a disabled user's credentials stop working at once.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStateValue {
    Active,
    Disabled,
}

/// A user. Never carries a password or its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// The user's id (a UUIDv7).
    pub id: Uuid,
    /// The email address, lowercased; unique.
    #[schema(example = "ada@example.test")]
    pub email: String,
    /// The name people read.
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    /// `active` or `disabled`.
    #[schema(value_type = UserStateValue)]
    pub state: String,
    /// A platform admin manages users and every organization.
    pub is_admin: bool,
    /// When the account was created.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
    /// Whether `email` is proven: a link mailed there was followed (or an invitation sent
    /// there accepted). Only a verified address receives invitations.
    pub email_verified: bool,
    /// When it was proven; `null` while it is not.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub email_verified_at: Option<DateTime<Utc>>,
    /// A new address the user asked for, waiting until the link mailed there is followed; it
    /// holds nothing meanwhile (not sign-in, not invitations, not uniqueness).
    #[schema(example = json!(null), format = Email)]
    pub pending_email: Option<String>,
}

impl From<&core::User> for User {
    fn from(user: &core::User) -> Self {
        User {
            id: user.id.as_uuid(),
            email: user.email.clone(),
            name: user.name.clone(),
            state: user.state.as_str().to_owned(),
            is_admin: user.is_admin,
            created_at: user.created_at,
            updated_at: user.updated_at,
            email_verified: user.email_verified(),
            email_verified_at: user.email_verified_at,
            pending_email: user.pending_email.clone(),
        }
    }
}

/// A user after a platform admin's change.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdatedUser {
    #[serde(flatten)]
    pub user: User,
    /// The open organizations that disabling this user left without an active owner, for the
    /// admin to repair (by making another member owner); empty otherwise.
    pub organizations_without_owner: Vec<OrganizationRef>,
}

/// An organization, named.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRef {
    /// The organization's id.
    pub id: Uuid,
    /// Its websafe name.
    #[schema(example = "acme-inc")]
    pub name: String,
}

/// The user as JSON, with its ETag.
pub fn respond(mut builder: HttpResponseBuilder, user: &core::User) -> HttpResponse {
    builder
        .insert_header((header::ETAG, user.etag()))
        .json(User::from(user))
}

/// The profile fields of a patch, parsed: `name` (`null` clears it) and `email`.
pub fn profile_changes(
    name: Option<Option<String>>,
    email: Option<String>,
) -> Result<ProfileChanges, ApiError> {
    Ok(ProfileChanges {
        name: name
            .map(|n| ProfileChanges::parse_name(n.as_deref()))
            .transpose()?,
        email: email.map(|e| Email::parse(&e)).transpose()?,
    })
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.test", "password": "correct horse battery", "name": "Ada Lovelace"}))]
pub struct CreateUser {
    /// The email address to sign in with; unique, compared case-insensitively.
    #[schema(format = Email, example = "ada@example.test")]
    pub email: String,
    /// At least 8 characters.
    #[schema(format = Password, min_length = 8)]
    pub password: String,
    /// The name people read.
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    /// Platform admins only: create another platform admin.
    #[serde(default)]
    pub is_admin: bool,
}

/// Merge patch of the caller's profile: absent fields stay, `null` clears `name`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Ada King"}))]
pub struct UpdateMe {
    /// The name people read; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// A new email address. It waits in `pending_email`, and a link is mailed there; the
    /// account's `email` changes once the link is followed (the old address is told then).
    /// Your current address withdraws a change that waits.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, format = Email)]
    pub email: Option<String>,
}

/// A password change: the current password proves it is the owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct horse battery", "new_password": "a longer, newer passphrase"}))]
pub struct ChangePassword {
    /// The password the caller has now.
    #[schema(format = Password)]
    pub current_password: String,
    /// The new one: at least 8 characters.
    #[schema(format = Password, min_length = 8)]
    pub new_password: String,
}

/// A platform admin's merge patch of any user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state": "disabled"}))]
pub struct UpdateUser {
    /// The name people read; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// A new email address.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, format = Email)]
    pub email: Option<String>,
    /// `active` or `disabled`; disabling also ends the user's sessions.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = UserStateValue)]
    pub state: Option<String>,
    /// Make or unmake a platform admin (the last active one stays).
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub is_admin: Option<bool>,
}

/// A one-time token from a mailed link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmail {
    /// The token from the verification link (`rsv_…`).
    #[schema(
        example = "rsv_5Qm0kS3rW8o1V6yZt2Xc9Bn4Hd7Jf0Lg3Pa6Re9Tu1w",
        pattern = "^rsv_[A-Za-z0-9_-]{43}$"
    )]
    pub token: String,
}

/// Who forgot their password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The account's email address.
    #[schema(format = Email, example = "ada@example.test")]
    pub email: String,
}

/// A new password, with the token from the reset link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "rsp_5Qm0kS3rW8o1V6yZt2Xc9Bn4Hd7Jf0Lg3Pa6Re9Tu1w", "new_password": "a longer, newer passphrase"}))]
pub struct PasswordResetConfirm {
    /// The token from the reset link (`rsp_…`).
    #[schema(pattern = "^rsp_[A-Za-z0-9_-]{43}$")]
    pub token: String,
    /// The new password: at least 8 characters.
    #[schema(format = Password, min_length = 8)]
    pub new_password: String,
}

/// A password a platform admin sets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "a temporary passphrase"}))]
pub struct SetPassword {
    /// The new password: at least 8 characters.
    #[schema(format = Password, min_length = 8)]
    pub password: String,
}

/// The current password, proving it is the owner who deletes the account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "correct horse battery"}))]
pub struct DeleteMe {
    /// The password the caller has now.
    #[schema(format = Password)]
    pub password: String,
}

list_schema!(UserList, User, "A page of users.");
