use crate::FieldError;

/// A permission from Roster's catalogue. Roles grant subsets of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    OrganizationRead,
    OrganizationUpdate,
    OrganizationDelete,
    MembersRead,
    MembersWrite,
    RolesRead,
    RolesWrite,
    InvitationsRead,
    InvitationsWrite,
    ApiKeysRead,
    ApiKeysWrite,
    TeamsRead,
    TeamsWrite,
    ProjectsRead,
    ProjectsWrite,
    EventsRead,
}

/// Every catalogue permission, in the order they are documented.
pub const PERMISSION_CATALOGUE: &[Permission] = &[
    Permission::OrganizationRead,
    Permission::OrganizationUpdate,
    Permission::OrganizationDelete,
    Permission::MembersRead,
    Permission::MembersWrite,
    Permission::RolesRead,
    Permission::RolesWrite,
    Permission::InvitationsRead,
    Permission::InvitationsWrite,
    Permission::ApiKeysRead,
    Permission::ApiKeysWrite,
    Permission::TeamsRead,
    Permission::TeamsWrite,
    Permission::ProjectsRead,
    Permission::ProjectsWrite,
    Permission::EventsRead,
];

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OrganizationRead => "organization:read",
            Permission::OrganizationUpdate => "organization:update",
            Permission::OrganizationDelete => "organization:delete",
            Permission::MembersRead => "members:read",
            Permission::MembersWrite => "members:write",
            Permission::RolesRead => "roles:read",
            Permission::RolesWrite => "roles:write",
            Permission::InvitationsRead => "invitations:read",
            Permission::InvitationsWrite => "invitations:write",
            Permission::ApiKeysRead => "api_keys:read",
            Permission::ApiKeysWrite => "api_keys:write",
            Permission::TeamsRead => "teams:read",
            Permission::TeamsWrite => "teams:write",
            Permission::ProjectsRead => "projects:read",
            Permission::ProjectsWrite => "projects:write",
            Permission::EventsRead => "events:read",
        }
    }

    pub fn parse(raw: &str) -> Option<Permission> {
        PERMISSION_CATALOGUE
            .iter()
            .copied()
            .find(|p| p.as_str() == raw)
    }
}

const TAG_MAX_CHARS: usize = 62;

/// Checks an application-defined permission tag: ≤ 62 chars of `[a-z0-9:._*-]`.
pub fn validate_permission_tag(tag: &str, field: &str) -> Result<(), FieldError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ":._*-".contains(c);
    if tag.is_empty() || tag.len() > TAG_MAX_CHARS || !tag.chars().all(allowed) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "a permission is 1 to 62 characters of a-z, 0-9 and : . _ * -",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_names_round_trip() {
        for permission in PERMISSION_CATALOGUE {
            assert_eq!(Permission::parse(permission.as_str()), Some(*permission));
        }
        assert_eq!(PERMISSION_CATALOGUE.len(), 16);
    }

    #[test]
    fn tags_follow_the_alphabet() {
        assert!(validate_permission_tag("billing:export.*", "permissions[0]").is_ok());
        assert!(validate_permission_tag("Billing", "permissions[0]").is_err());
        assert!(validate_permission_tag(&"a".repeat(63), "permissions[0]").is_err());
    }
}
