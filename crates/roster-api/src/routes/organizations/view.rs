//! Rows to JSON, and the ETag of an organization.

use roster_store::memberships::{self, MemberUser as MemberUserRow, MembershipRow};
use roster_store::{DbConn, OrganizationRow, StoreError, Ts};

use super::json::{Address, Limits, MemberUser, Membership, Organization};
use crate::access::membership_tags;

/// How many members `expand=members` embeds.
pub const EXPANDED_MEMBERS: i64 = 100;

pub fn organization(row: &OrganizationRow) -> Organization {
    Organization {
        id: row.id.0,
        name: row.name.clone(),
        display_name: row.display_name.clone(),
        billing_email: row.billing_email.clone(),
        description: row.description.clone(),
        website: row.website.clone(),
        logo_url: row.logo_url.clone(),
        address: serde_json::from_value::<Address>(row.address.0.clone()).unwrap_or_default(),
        reference: row.reference.clone(),
        custom: row.custom.0.clone(),
        state: row.state.clone(),
        personal: row.personal,
        visibility: row.visibility.clone(),
        limits: Limits {
            max_members: row.max_members,
            max_api_keys: row.max_api_keys,
        },
        member_count: row.member_count,
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
        closed_at: row.closed_at.map(|t| t.0),
        members: None,
    }
}

pub fn membership(row: &MembershipRow, user: &MemberUserRow) -> Membership {
    Membership {
        organization_id: row.organization_id.0,
        user: MemberUser {
            id: user.id.0,
            email: user.email.clone(),
            name: user.name.clone(),
        },
        role: row.role.clone(),
        permissions: membership_tags(row),
        expires_at: row.expires_at.map(|t| t.0),
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
    }
}

/// The organization with its first members embedded.
pub fn with_members(conn: &mut DbConn, row: &OrganizationRow) -> Result<Organization, StoreError> {
    let members = memberships::list_for_organization(conn, row.id, Ts::now(), EXPANDED_MEMBERS)?;
    let mut json = organization(row);
    json.members = Some(members.iter().map(|(m, u)| membership(m, u)).collect());
    Ok(json)
}

/// A strong validator that changes with every write of the organization.
pub fn etag(row: &OrganizationRow) -> String {
    format!("\"{}-{}\"", row.id.0.simple(), row.version)
}
