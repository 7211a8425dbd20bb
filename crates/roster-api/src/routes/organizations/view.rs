//! Rows to JSON. Each takes its rows by value and moves their strings into the JSON: a page
//! of rows is rendered once and dropped, so a copy per field would only be work.

use roster_core::organizations::OrganizationView;
use roster_core::users::MyMembership;
use roster_store::memberships::{MemberUser as MemberUserRow, MembershipRow};
use roster_store::OrganizationRow;

use super::json::{MemberUser, Membership, MyOrganization, Organization};

pub fn organization(row: OrganizationRow) -> Organization {
    let limits = row.limits();
    Organization {
        id: row.id.as_uuid(),
        name: row.name,
        display_name: row.display_name,
        billing_email: row.billing_email,
        description: row.description,
        website: row.website,
        logo_url: row.logo_url,
        address: serde_json::from_value(row.address.0).unwrap_or_default(),
        reference: row.reference,
        custom: row.custom.0,
        state: row.state.as_str().to_owned(),
        personal: row.personal,
        visibility: row.visibility.as_str().to_owned(),
        limits,
        member_count: row.member_count,
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
        closed_at: row.closed_at.map(|t| t.0),
        members: None,
    }
}

/// The organization with its members embedded, when the read asked for them.
pub fn organization_view(view: OrganizationView) -> Organization {
    let mut json = organization(view.org);
    json.members = view
        .members
        .map(|members| members.into_iter().map(|(m, u)| membership(m, u)).collect());
    json
}

pub fn membership(row: MembershipRow, user: MemberUserRow) -> Membership {
    Membership {
        organization_id: row.organization_id.as_uuid(),
        user: MemberUser {
            id: user.id.as_uuid(),
            email: user.email,
            name: user.name,
        },
        role: row.role.as_str().to_owned(),
        permissions: row.permissions,
        expires_at: row.expires_at.map(|t| t.0),
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
    }
}

pub fn my_organization(mine: MyMembership) -> MyOrganization {
    MyOrganization {
        organization: organization(mine.organization),
        role: mine.role,
        permissions: mine.permissions,
        effective_permissions: mine.effective_permissions,
        expires_at: mine.membership.expires_at.map(|t| t.0),
        created_at: mine.membership.created_at.0,
    }
}
