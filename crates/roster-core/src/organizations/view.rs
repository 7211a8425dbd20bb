//! An organization as reads return it, optionally with its first members.

use roster_store::memberships;
use roster_store::{DbConn, StoreError, Ts};

use super::Organization;
use crate::members::Membership;

/// How many members `expand=members` embeds.
pub const EXPANDED_MEMBERS: i64 = 100;

#[derive(Debug, Clone)]
pub struct OrganizationView {
    pub org: Organization,
    /// With `expand=members`: the first members, oldest membership first.
    pub members: Option<Vec<Membership>>,
}

impl OrganizationView {
    pub fn plain(org: impl Into<Organization>) -> OrganizationView {
        OrganizationView {
            org: org.into(),
            members: None,
        }
    }
}

/// The organization with its first members embedded.
pub fn with_members(
    conn: &mut DbConn,
    org: Organization,
    now: Ts,
) -> Result<OrganizationView, StoreError> {
    let members = memberships::list_for_organization(conn, org.id, now, EXPANDED_MEMBERS)?;
    Ok(OrganizationView {
        org,
        members: Some(members.into_iter().map(Membership::from).collect()),
    })
}
