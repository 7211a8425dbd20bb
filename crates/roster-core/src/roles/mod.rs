//! Roles: the four built-in ones, and the custom roles an organization defines (any subset of
//! the catalogue but `organization:delete`, plus application tags).

mod create;
mod delete;
pub(crate) mod events;
mod get;
mod list;
mod update;

use chrono::{DateTime, Utc};
use roster_domain::{optional_text, required_text, FieldError, Role};
use roster_store::roles::RoleRow;

pub use create::CreateRole;
pub use delete::DeleteRole;
pub use get::GetRole;
pub use list::{ListRoles, RoleCursor};
pub use update::UpdateRole;

const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 500;

/// A role as it is shown: built-in or custom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleView {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<String>,
    pub builtin: bool,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl RoleView {
    pub fn builtin(role: &Role) -> RoleView {
        let (name, description) = match role {
            Role::Owner => (
                "Owner",
                "Everything, including deleting the organization, making owners and every application permission (`*`).",
            ),
            Role::Admin => (
                "Admin",
                "Everything but deleting the organization and changing owners; every application permission (`*`).",
            ),
            Role::Member => (
                "Member",
                "Reads the organization, its members, teams and projects.",
            ),
            _ => ("Viewer", "Reads the organization's profile."),
        };
        RoleView {
            key: role.as_str().to_owned(),
            name: name.to_owned(),
            description: Some(description.to_owned()),
            permissions: crate::access::role_grants_of(role, None).to_strings(),
            builtin: true,
            created_at: None,
            updated_at: None,
        }
    }

    pub(crate) fn custom(row: &RoleRow) -> RoleView {
        RoleView::from(row.clone())
    }

    /// A strong validator that changes with every write of a custom role.
    pub fn etag(&self) -> String {
        let version = self.updated_at.map_or(0, |at| at.timestamp_micros());
        format!("\"{}-{version}\"", self.key)
    }
}

fn parse_name(name: &str) -> Result<String, FieldError> {
    required_text(name, "name", NAME_MAX)
}

fn parse_description(description: Option<&str>) -> Result<Option<String>, FieldError> {
    optional_text(description, "description", DESCRIPTION_MAX)
}

impl From<RoleRow> for RoleView {
    fn from(row: RoleRow) -> RoleView {
        RoleView {
            key: row.key,
            name: row.name,
            description: row.description,
            permissions: row.permissions,
            builtin: false,
            created_at: Some(row.created_at.0),
            updated_at: Some(row.updated_at.0),
        }
    }
}
