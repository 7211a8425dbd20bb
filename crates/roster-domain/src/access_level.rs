//! What a project grants: an access level, and who reads it without a grant.

use serde::{Deserialize, Serialize};

/// An access level on a project, ordered `reader` < `writer` < `owner`: where several apply,
/// the highest holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    Reader,
    Writer,
    Owner,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 3] =
        [AccessLevel::Reader, AccessLevel::Writer, AccessLevel::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Reader => "reader",
            AccessLevel::Writer => "writer",
            AccessLevel::Owner => "owner",
        }
    }

    pub fn parse(raw: &str) -> Option<AccessLevel> {
        AccessLevel::ALL.into_iter().find(|l| l.as_str() == raw)
    }

    /// How the level is stored: its rank, so that the highest of several grants is their MAX.
    pub fn rank(self) -> i32 {
        match self {
            AccessLevel::Reader => 1,
            AccessLevel::Writer => 2,
            AccessLevel::Owner => 3,
        }
    }

    pub fn from_rank(rank: i32) -> Option<AccessLevel> {
        AccessLevel::ALL.into_iter().find(|l| l.rank() == rank)
    }
}

impl From<AccessLevel> for i32 {
    fn from(level: AccessLevel) -> i32 {
        level.rank()
    }
}

impl TryFrom<i32> for AccessLevel {
    type Error = crate::UnknownValue;
    fn try_from(rank: i32) -> Result<AccessLevel, crate::UnknownValue> {
        AccessLevel::from_rank(rank).ok_or(crate::UnknownValue {
            kind: "access level",
            value: rank.to_string(),
        })
    }
}

/// Who reads a project without a grant: nobody (`private`) or every member of its
/// organization (`organization`, as `reader`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectVisibility {
    #[default]
    Private,
    Organization,
}

impl ProjectVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectVisibility::Private => "private",
            ProjectVisibility::Organization => "organization",
        }
    }

    pub fn parse(raw: &str) -> Option<ProjectVisibility> {
        match raw {
            "private" => Some(ProjectVisibility::Private),
            "organization" => Some(ProjectVisibility::Organization),
            _ => None,
        }
    }
}

stored_as_text!(ProjectVisibility, "project visibility");

/// A member's place in a team: a `maintainer` manages the team's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    #[default]
    Member,
    Maintainer,
}

impl TeamRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Member => "member",
            TeamRole::Maintainer => "maintainer",
        }
    }

    pub fn parse(raw: &str) -> Option<TeamRole> {
        match raw {
            "member" => Some(TeamRole::Member),
            "maintainer" => Some(TeamRole::Maintainer),
            _ => None,
        }
    }
}

stored_as_text!(TeamRole, "team role");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_stored_by_rank() {
        assert!(AccessLevel::Reader < AccessLevel::Writer);
        assert!(AccessLevel::Writer < AccessLevel::Owner);
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::from_rank(level.rank()), Some(level));
            assert_eq!(AccessLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(AccessLevel::from_rank(0), None);
    }
}
