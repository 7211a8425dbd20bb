use std::fmt;

use crate::{CatalogueSet, FieldError, Permission};

/// A member's role in an organization: one of the built-ins, or a custom role's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Admin,
    Member,
    Viewer,
    Custom(String),
}

const KEY_MAX_CHARS: usize = 62;

impl Role {
    /// Parses a role key. Custom keys follow the slug alphabet (`[a-z0-9_-]`, ≤ 62 chars).
    pub fn parse_field(raw: &str, field: &str) -> Result<Role, FieldError> {
        Ok(match raw {
            "owner" => Role::Owner,
            "admin" => Role::Admin,
            "member" => Role::Member,
            "viewer" => Role::Viewer,
            custom => {
                let allowed =
                    |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
                if custom.is_empty() || custom.len() > KEY_MAX_CHARS || !custom.chars().all(allowed)
                {
                    return Err(FieldError::new(
                        field,
                        "invalid_format",
                        "a role is owner, admin, member, viewer or a custom role key of a-z, 0-9, _ and -",
                    ));
                }
                Role::Custom(custom.to_owned())
            }
        })
    }

    pub fn parse(raw: &str) -> Result<Role, FieldError> {
        Role::parse_field(raw, "role")
    }

    pub fn as_str(&self) -> &str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
            Role::Custom(key) => key,
        }
    }

    pub fn is_builtin(&self) -> bool {
        !matches!(self, Role::Custom(_))
    }

    /// The catalogue permissions a built-in role grants (`None` for a custom role, whose
    /// permissions are the organization's to define).
    pub fn builtin_catalogue(&self) -> Option<CatalogueSet> {
        let mut all = CatalogueSet::all();
        Some(match self {
            Role::Owner => all,
            Role::Admin => {
                all.remove(Permission::OrganizationDelete);
                all
            }
            Role::Member => [
                Permission::OrganizationRead,
                Permission::MembersRead,
                Permission::TeamsRead,
                Permission::ProjectsRead,
            ]
            .into_iter()
            .collect(),
            Role::Viewer => [Permission::OrganizationRead].into_iter().collect(),
            Role::Custom(_) => return None,
        })
    }

    /// True when this built-in role grants `permission`.
    pub fn grants(&self, permission: Permission) -> bool {
        self.builtin_catalogue()
            .is_some_and(|set| set.contains(permission))
    }

    /// The built-in roles, most powerful first.
    pub const BUILTIN: [Role; 4] = [Role::Owner, Role::Admin, Role::Member, Role::Viewer];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

stored_as_text!(Role, "role", |raw| Role::parse(raw).ok());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_roles_grant_what_the_contract_says() {
        assert!(Role::Owner.grants(Permission::OrganizationDelete));
        assert!(!Role::Admin.grants(Permission::OrganizationDelete));
        assert!(Role::Admin.grants(Permission::OrganizationUpdate));
        assert!(!Role::Member.grants(Permission::OrganizationUpdate));
        assert!(Role::Member.grants(Permission::MembersRead));
        assert_eq!(
            Role::Viewer
                .builtin_catalogue()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            vec![Permission::OrganizationRead]
        );
        assert_eq!(Role::Custom("x".into()).builtin_catalogue(), None);
    }

    #[test]
    fn parses_builtin_and_custom_keys() {
        assert_eq!(Role::parse("owner"), Ok(Role::Owner));
        assert_eq!(
            Role::parse("billing-admin"),
            Ok(Role::Custom("billing-admin".into()))
        );
        assert!(Role::parse("Owner!").is_err());
        assert!(Role::parse("").is_err());
    }
}
