/// The values that must be unique, so that a caller learns which one was taken (the store maps
/// its constraint names to these; nothing above it reads a constraint name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unique {
    OrganizationName,
    OrganizationReference,
    UserEmail,
    /// A custom role's key, within its organization.
    RoleKey,
    /// A user's membership of an organization.
    Membership,
    /// The one pending invitation of an email to an organization.
    PendingInvitation,
    /// A team's name, within its organization.
    TeamName,
    /// A project's name, within its organization.
    ProjectName,
    /// A user's membership of a team.
    TeamMember,
    /// A constraint this list does not know yet (its name, or SQLite's message).
    Other(String),
}
