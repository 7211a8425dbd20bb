//! The one place where Roster decides who may do what. Every operation's requirement is checked
//! here ([`admit`] before it runs, [`authorize_organization`] when it names its organization),
//! from live rows: a disabled user, an ended session or a lost membership counts at once.
//!
//! A platform admin may do anything; a current member may do what the role grants; any
//! signed-in user may read a public organization's profile. Everyone else gets 404, never 403,
//! so a non-member never learns that a private organization exists.

use roster_domain::{Permission, Visibility, PERMISSION_CATALOGUE};
use roster_store::memberships::MembershipRow;
use roster_store::org_access;
use roster_store::organizations::{Lookup, OrgKey};
use roster_store::users::UserRow;
use roster_store::{users, DbConn, OrganizationRow, Ts};

use crate::{Caller, CoreError, Forbidden, Principal, Requirement, UserCredential};

/// Checks a requirement that names no organization, loading the caller when there is one.
/// `Organization` requirements are checked by [`authorize_organization`] instead, when the
/// operation names its organization (the caller is loaded in that same query).
pub(crate) fn admit(
    conn: &mut DbConn,
    principal: &Principal,
    requirement: Requirement,
) -> Result<Option<Caller>, CoreError> {
    let credential = match (principal, requirement) {
        // The operator at the console holds the database itself: what a platform admin may do,
        // it may do too.
        (Principal::Operator, Requirement::Operator | Requirement::PlatformAdmin) => {
            return Ok(None)
        }
        (_, Requirement::Operator) | (Principal::Operator, _) => {
            return Err(CoreError::forbidden(Forbidden::Policy(
                "this is done by the operator at the console",
            )))
        }
        (Principal::Anonymous, Requirement::Public) => return Ok(None),
        (Principal::Anonymous, _) => {
            return Err(CoreError::Unauthenticated(
                "this endpoint needs a bearer token".into(),
            ))
        }
        (Principal::User(_), Requirement::Organization(_)) => return Ok(None),
        (Principal::User(credential), _) => credential,
    };
    let caller = load_caller(conn, credential)?;
    let account_wide = || match caller.scope {
        None => Ok(()),
        Some(_) => Err(CoreError::forbidden(Forbidden::ScopedCredential)),
    };
    match requirement {
        Requirement::AccountWide => account_wide()?,
        Requirement::PlatformAdmin => {
            account_wide()?;
            if !caller.is_platform_admin() {
                return Err(CoreError::forbidden(Forbidden::PlatformAdminOnly));
            }
        }
        _ => {}
    }
    Ok(Some(caller))
}

/// The caller behind a credential, if its user exists and is active and its session is live
/// (one query).
pub(crate) fn load_caller(
    conn: &mut DbConn,
    credential: &UserCredential,
) -> Result<Caller, CoreError> {
    let found = users::find_with_session(conn, credential.user, credential.session)?;
    let (user, live) = match found {
        Some((user, live)) => (Some(user), live),
        None => (None, false),
    };
    live_caller(credential, user, live)
}

fn live_caller(
    credential: &UserCredential,
    user: Option<UserRow>,
    session_live: bool,
) -> Result<Caller, CoreError> {
    match user {
        None => Err(CoreError::Unauthenticated(
            "this user no longer exists".into(),
        )),
        Some(_) if !session_live => Err(CoreError::Unauthenticated(
            "this session has been signed out".into(),
        )),
        Some(user) if !user.is_active() => {
            Err(CoreError::Unauthenticated("this user is disabled".into()))
        }
        Some(user) => Ok(Caller {
            user,
            session: credential.session,
            scope: credential.scope,
        }),
    }
}

/// An organization the caller may see, and the caller's standing in it.
#[derive(Debug, Clone)]
pub struct OrgAccess {
    pub org: OrganizationRow,
    pub membership: Option<MembershipRow>,
    pub caller: Caller,
}

impl OrgAccess {
    /// The catalogue permissions the caller holds here.
    pub fn permissions(&self) -> Vec<Permission> {
        permissions_of(&self.caller, self.membership.as_ref())
    }

    /// 403 unless the caller holds `permission` here: the same check as an operation's
    /// declared requirement, for the permissions a request needs beyond it (closing an
    /// organization in a PATCH needs `organization:delete`).
    pub fn require(&self, permission: Permission) -> Result<(), CoreError> {
        require(&self.permissions(), permission)
    }
}

/// What a caller may do in an organization it can see, from its membership.
pub fn permissions_of(caller: &Caller, membership: Option<&MembershipRow>) -> Vec<Permission> {
    if caller.is_platform_admin() {
        return PERMISSION_CATALOGUE.to_vec();
    }
    match membership {
        Some(membership) => membership.role.builtin_permissions(),
        // Not a member, but allowed to see it: a public profile, read-only.
        None => vec![Permission::OrganizationRead],
    }
}

fn require(granted: &[Permission], permission: Permission) -> Result<(), CoreError> {
    if granted.contains(&permission) {
        Ok(())
    } else {
        Err(CoreError::forbidden(Forbidden::Missing(permission)))
    }
}

/// Where an organization key led, for a caller who may see the organization.
pub enum Located {
    Here(Box<OrgAccess>),
    /// A former name: the organization is now called otherwise.
    Moved(Box<OrganizationRow>),
}

/// Loads the caller (checking its credential still works), the organization named by `key`
/// (id, name or former name) and the caller's membership, in one round trip for the common
/// case; then checks that the caller may see it (404 otherwise) and holds `permission` (403).
pub(crate) fn authorize_organization(
    conn: &mut DbConn,
    credential: &UserCredential,
    key: &OrgKey,
    permission: Permission,
    now: Ts,
) -> Result<Located, CoreError> {
    let standing = org_access::load(conn, credential.user, Some(credential.session), key, now)?;
    let (user, live, organization, membership) = match standing {
        Some(s) => (Some(s.user), s.session_live, s.organization, s.membership),
        None => (None, false, Lookup::Missing, None),
    };
    let caller = live_caller(credential, user, live)?;
    let (org, moved) = match organization {
        Lookup::Found(org) => (*org, false),
        Lookup::Renamed(org) => (*org, true),
        Lookup::Missing => return Err(CoreError::NotFound("organization")),
    };
    // A token scoped to one organization sees no other.
    if caller.scope.is_some_and(|scope| scope != org.id) {
        return Err(CoreError::NotFound("organization"));
    }
    let visible =
        caller.is_platform_admin() || membership.is_some() || org.visibility == Visibility::Public;
    if !visible {
        return Err(CoreError::NotFound("organization"));
    }
    if moved {
        return Ok(Located::Moved(Box::new(org)));
    }
    let access = OrgAccess {
        org,
        membership,
        caller,
    };
    access.require(permission)?;
    Ok(Located::Here(Box::new(access)))
}

/// The permission strings a membership carries: its role's, then its extra tags.
pub fn membership_permission_strings(membership: &MembershipRow) -> Vec<String> {
    let mut all: Vec<String> = membership
        .role
        .builtin_permissions()
        .iter()
        .map(|p| p.as_str().to_owned())
        .collect();
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
