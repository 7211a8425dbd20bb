//! Rows to JSON.

use roster_core::organizations::OrganizationView;
use roster_core::users::MyMembership;
use roster_store::memberships::{MemberUser as MemberUserRow, MembershipRow};
use roster_store::OrganizationRow;

use super::json::{MemberUser, Membership, MyOrganization, Organization};

pub fn organization(row: &OrganizationRow) -> Organization {
    Organization {
        id: row.id.as_uuid(),
        name: row.name.clone(),
        display_name: row.display_name.clone(),
        billing_email: row.billing_email.clone(),
        description: row.description.clone(),
        website: row.website.clone(),
        logo_url: row.logo_url.clone(),
        address: serde_json::from_value(row.address.0.clone()).unwrap_or_default(),
        reference: row.reference.clone(),
        custom: row.custom.0.clone(),
        state: row.state.as_str().to_owned(),
        personal: row.personal,
        visibility: row.visibility.as_str().to_owned(),
        limits: row.limits(),
        member_count: row.member_count,
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
        closed_at: row.closed_at.map(|t| t.0),
        members: None,
    }
}

/// The organization with its members embedded, when the read asked for them.
pub fn organization_view(view: &OrganizationView) -> Organization {
    let mut json = organization(&view.org);
    json.members = view
        .members
        .as_ref()
        .map(|members| members.iter().map(|(m, u)| membership(m, u)).collect());
    json
}

pub fn membership(row: &MembershipRow, user: &MemberUserRow) -> Membership {
    Membership {
        organization_id: row.organization_id.as_uuid(),
        user: MemberUser {
            id: user.id.as_uuid(),
            email: user.email.clone(),
            name: user.name.clone(),
        },
        role: row.role.as_str().to_owned(),
        permissions: row.permissions.clone(),
        expires_at: row.expires_at.map(|t| t.0),
        created_at: row.created_at.0,
        updated_at: row.updated_at.0,
    }
}

pub fn my_organization(mine: &MyMembership) -> MyOrganization {
    MyOrganization {
        organization: organization(&mine.organization),
        role: mine.role.clone(),
        permissions: mine.permissions.clone(),
        effective_permissions: mine.effective_permissions.clone(),
        expires_at: mine.membership.expires_at.map(|t| t.0),
        created_at: mine.membership.created_at.0,
    }
}
