//! Operations' answers to JSON. Each takes its value by value and moves its strings into the
//! JSON: a page is rendered once and dropped, so a copy per field would only be work.

use roster_core::members;
use roster_core::organizations::{self as core, OrganizationView};
use roster_core::users::MyMembership;

use super::json::{MemberUser, Membership, MyOrganization, Organization};

pub fn organization(org: core::Organization) -> Organization {
    Organization {
        id: org.id.as_uuid(),
        name: org.name,
        display_name: org.display_name,
        billing_email: org.billing_email,
        description: org.description,
        website: org.website,
        logo_url: org.logo_url,
        address: org.address,
        reference: org.reference,
        custom: org.custom,
        state: org.state.as_str().to_owned(),
        personal: org.personal,
        visibility: org.visibility.as_str().to_owned(),
        limits: org.limits,
        member_count: org.member_count,
        created_at: org.created_at,
        updated_at: org.updated_at,
        closed_at: org.closed_at,
        members: None,
    }
}

/// The organization with its members embedded, when the read asked for them.
pub fn organization_view(view: OrganizationView) -> Organization {
    let mut json = organization(view.org);
    json.members = view
        .members
        .map(|members| members.into_iter().map(membership).collect());
    json
}

pub fn membership(membership: members::Membership) -> Membership {
    Membership {
        organization_id: membership.organization_id.as_uuid(),
        user: MemberUser {
            id: membership.user.id.as_uuid(),
            email: membership.user.email,
            name: membership.user.name,
        },
        role: membership.role.as_str().to_owned(),
        permissions: membership.permissions,
        expires_at: membership.expires_at,
        created_at: membership.created_at,
        updated_at: membership.updated_at,
    }
}

pub fn my_organization(mine: MyMembership) -> MyOrganization {
    MyOrganization {
        organization: organization(mine.organization),
        role: mine.role,
        permissions: mine.permissions,
        effective_permissions: mine.effective_permissions,
        expires_at: mine.membership.expires_at,
        created_at: mine.membership.created_at,
    }
}
