//! Who may see and do what in an organization, decided from live rows on every request.
//!
//! A platform admin may do anything; a current member may do what the role grants; any
//! signed-in user may read a public organization's profile. Everyone else gets 404, never 403,
//! so a non-member never learns that a private organization exists.

use roster_domain::{Permission, Role, PERMISSION_CATALOGUE};
use roster_store::memberships::MembershipRow;
use roster_store::org_access;
use roster_store::organizations::{Lookup, OrgKey};
use roster_store::{DbConn, DbId, OrganizationRow, Ts};

use crate::error::ApiError;
use crate::extract::{Authenticated, Caller};

/// An organization the caller may see, and the caller's standing in it.
#[derive(Debug, Clone)]
pub struct OrgAccess {
    pub org: OrganizationRow,
    pub membership: Option<MembershipRow>,
    pub is_admin: bool,
}

/// Where an organization key led, for a caller who may see the organization.
pub enum Resolved {
    Here(Box<OrgAccess>),
    /// A former name: answer 308 to the canonical location.
    MovedTo(Box<OrganizationRow>),
}

impl OrgAccess {
    pub fn role(&self) -> Option<Role> {
        self.membership
            .as_ref()
            .and_then(|m| Role::parse(&m.role).ok())
    }

    /// The catalogue permissions the caller holds here.
    pub fn permissions(&self) -> Vec<Permission> {
        if self.is_admin {
            return PERMISSION_CATALOGUE.to_vec();
        }
        match self.role() {
            Some(role) => role.builtin_permissions(),
            // Not a member, but allowed to see it: a public profile, read-only.
            None => vec![Permission::OrganizationRead],
        }
    }

    /// 403 unless the caller holds `permission` (the organization is already known to be visible).
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.permissions().contains(&permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {} permission",
                permission.as_str()
            )))
        }
    }
}

/// Loads the caller (checking the user is active), the organization named `key` (id, name or
/// former name) and the caller's membership, in one round trip for the common case.
pub fn resolve(
    conn: &mut DbConn,
    auth: &Authenticated,
    key: &str,
    now: Ts,
) -> Result<(Caller, Resolved), ApiError> {
    let Some(key) = OrgKey::parse(key) else {
        return Err(ApiError::not_found("organization"));
    };
    let session = auth.session_id.map(DbId);
    let standing = org_access::load(conn, DbId(auth.user_id), session, &key, now)?;
    let live = standing.as_ref().is_some_and(|s| s.session_live);
    let caller = auth.caller(standing.as_ref().map(|s| &s.user), live)?;
    let Some(standing) = standing else {
        return Err(ApiError::unauthorized("this user no longer exists"));
    };
    let (org, moved) = match standing.organization {
        Lookup::Found(org) => (*org, false),
        Lookup::Renamed(org) => (*org, true),
        Lookup::Missing => return Err(ApiError::not_found("organization")),
    };
    // A token scoped to one organization sees no other.
    if caller.org_scope.is_some_and(|scope| scope != org.id.0) {
        return Err(ApiError::not_found("organization"));
    }
    let membership = standing.membership;
    let visible = caller.is_admin || membership.is_some() || org.visibility == "public";
    if !visible {
        return Err(ApiError::not_found("organization"));
    }
    if moved {
        return Ok((caller, Resolved::MovedTo(Box::new(org))));
    }
    let is_admin = caller.is_admin;
    Ok((
        caller,
        Resolved::Here(Box::new(OrgAccess {
            org,
            membership,
            is_admin,
        })),
    ))
}

/// Like [`resolve`], for requests that cannot follow a redirect: a former name is 404.
pub fn resolve_here(
    conn: &mut DbConn,
    auth: &Authenticated,
    key: &str,
    now: Ts,
) -> Result<(Caller, OrgAccess), ApiError> {
    match resolve(conn, auth, key, now)? {
        (caller, Resolved::Here(access)) => Ok((caller, *access)),
        (_, Resolved::MovedTo(_)) => Err(ApiError::not_found("organization")),
    }
}

/// The permission strings a membership carries: its role's, then its extra tags.
pub fn membership_permission_strings(membership: &MembershipRow) -> Vec<String> {
    let role = Role::parse(&membership.role)
        .map(|r| r.builtin_permissions())
        .unwrap_or_default();
    let mut all: Vec<String> = role.iter().map(|p| p.as_str().to_owned()).collect();
    all.extend(membership_tags(membership));
    all
}

/// The membership's extra permission tags (a JSON array of strings in the row).
pub fn membership_tags(membership: &MembershipRow) -> Vec<String> {
    membership
        .permissions
        .0
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
