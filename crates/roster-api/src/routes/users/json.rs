use chrono::{DateTime, Utc};
use roster_store::users::UserRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::extract::{double_option, not_null};

/// A user's state (documentation of the string field).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStateValue {
    Active,
    Disabled,
}

/// A user. Never carries a password or its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    #[schema(example = "ada@example.test")]
    pub email: String,
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    /// `active` or `disabled`.
    #[schema(value_type = UserStateValue)]
    pub state: String,
    /// A platform admin manages users and every organization.
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&UserRow> for User {
    fn from(row: &UserRow) -> Self {
        User {
            id: row.id.0,
            email: row.email.clone(),
            name: row.name.clone(),
            state: row.state.clone(),
            is_admin: row.is_admin,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.test", "password": "correct horse battery", "name": "Ada Lovelace"}))]
pub struct CreateUser {
    #[schema(format = Email, example = "ada@example.test")]
    pub email: String,
    /// At least 8 characters.
    #[schema(format = Password, min_length = 8)]
    pub password: String,
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
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, format = Email)]
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct horse battery", "new_password": "a longer, newer passphrase"}))]
pub struct ChangePassword {
    #[schema(format = Password)]
    pub current_password: String,
    #[schema(format = Password, min_length = 8)]
    pub new_password: String,
}

/// A platform admin's merge patch of any user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state": "disabled"}))]
pub struct UpdateUser {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, format = Email)]
    pub email: Option<String>,
    /// `active` or `disabled`; disabling also ends the user's sessions.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = UserStateValue)]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub is_admin: Option<bool>,
}
