//! An organization as reads return it, optionally with its first members.

use roster_store::memberships::{self, MemberUser, MembershipRow};
use roster_store::{DbConn, OrganizationRow, StoreError, Ts};

/// How many members `expand=members` embeds.
pub const EXPANDED_MEMBERS: i64 = 100;

#[derive(Debug, Clone)]
pub struct OrganizationView {
    pub org: OrganizationRow,
    /// With `expand=members`: the first members, oldest membership first.
    pub members: Option<Vec<(MembershipRow, MemberUser)>>,
}

impl OrganizationView {
    pub fn plain(org: OrganizationRow) -> OrganizationView {
        OrganizationView { org, members: None }
    }
}

/// The organization with its first members embedded.
pub fn with_members(
    conn: &mut DbConn,
    org: OrganizationRow,
    now: Ts,
) -> Result<OrganizationView, StoreError> {
    let members = memberships::list_for_organization(conn, org.id, now, EXPANDED_MEMBERS)?;
    Ok(OrganizationView {
        org,
        members: Some(members),
    })
}

/// A strong validator that changes with every write of the organization.
pub fn etag(row: &OrganizationRow) -> String {
    format!("\"{}-{}\"", row.id.as_uuid().simple(), row.version)
}
