/// A permission from Roster's catalogue. Roles grant subsets of these. (Each is one bit of a
/// [`crate::CatalogueSet`]: at most 32.)
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
}
