//! A membership as operations return it, with the member it shows.

use chrono::{DateTime, Utc};
use roster_domain::{OrganizationId, Role, UserId};
use roster_store::memberships::{self as store, MembershipRow};

use crate::precondition::etag_of;

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub organization_id: OrganizationId,
    pub user: MemberUser,
    pub role: Role,
    /// The tags the member holds beside the role's permissions.
    pub permissions: Vec<String>,
    /// When the membership ends by itself, if it does.
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The part of a user a membership shows.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberUser {
    pub id: UserId,
    pub email: String,
    pub name: Option<String>,
}

impl Membership {
    /// A strong validator that changes with every write of the membership.
    pub fn etag(&self) -> String {
        etag_of(self.user.id.as_uuid(), self.updated_at)
    }
}

impl From<MembershipRow> for Membership {
    /// The membership keeps copies of its user's email and name (kept in step with the user),
    /// which is what it shows.
    fn from(row: MembershipRow) -> Membership {
        Membership {
            organization_id: row.organization_id,
            user: MemberUser {
                id: row.user_id,
                email: row.email,
                name: row.name,
            },
            role: row.role,
            permissions: row.permissions,
            expires_at: row.expires_at.map(|at| at.0),
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        }
    }
}

impl From<(MembershipRow, store::MemberUser)> for Membership {
    fn from((row, user): (MembershipRow, store::MemberUser)) -> Membership {
        Membership {
            user: MemberUser::from(user),
            ..Membership::from(row)
        }
    }
}

impl From<store::MemberUser> for MemberUser {
    fn from(user: store::MemberUser) -> MemberUser {
        MemberUser {
            id: user.id,
            email: user.email,
            name: user.name,
        }
    }
}

/// The ETag of a membership as last written (what `If-Match` is compared with).
pub(crate) fn etag(membership: &MembershipRow) -> String {
    etag_of(membership.user_id.as_uuid(), membership.updated_at.0)
}
