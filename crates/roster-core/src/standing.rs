//! What the access checks read about a caller, as roster-core types: the store's rows are
//! turned into these once, when read, so that a check decides the same way whether its facts
//! came from the database or from the read cache, which keeps these (and never a password
//! hash, nor a key's).

use roster_domain::AccessLevel;
use roster_store::{api_keys, org_access, organizations::Lookup, projects};

use crate::api_keys::ApiKey;
use crate::members::Membership;
use crate::organizations::Organization;
use crate::projects::Project;
use crate::roles::RoleView;
use crate::users::User;

/// Where an organization key led.
#[derive(Debug, Clone)]
pub enum OrgLookup {
    Found(Box<Organization>),
    /// The key is a former name of this organization.
    Renamed(Box<Organization>),
    Missing,
}

impl From<Lookup> for OrgLookup {
    fn from(lookup: Lookup) -> OrgLookup {
        match lookup {
            Lookup::Found(org) => OrgLookup::Found(Box::new((*org).into())),
            Lookup::Renamed(org) => OrgLookup::Renamed(Box::new((*org).into())),
            Lookup::Missing => OrgLookup::Missing,
        }
    }
}

/// A user's standing in an organization: the user, whether their session is live, the
/// organization, and their membership there with its custom role.
#[derive(Debug, Clone)]
pub struct OrgStanding {
    pub user: User,
    /// Always false when no session was asked about.
    pub session_live: bool,
    pub organization: OrgLookup,
    pub membership: Option<Membership>,
    /// The membership's custom role, when it has one.
    pub custom_role: Option<RoleView>,
}

impl From<org_access::OrgStanding> for OrgStanding {
    fn from(read: org_access::OrgStanding) -> OrgStanding {
        OrgStanding {
            user: read.user.into(),
            session_live: read.session_live,
            organization: read.organization.into(),
            membership: read.membership.map(Membership::from),
            custom_role: read.custom_role.map(RoleView::from),
        }
    }
}

/// Someone else's standing in an organization: the user, and their membership there with its
/// custom role.
pub type SubjectStanding = (User, Option<Membership>, Option<RoleView>);

pub(crate) fn subject_standing(
    (user, membership, custom_role): org_access::SubjectStanding,
) -> SubjectStanding {
    (
        user.into(),
        membership.map(Membership::from),
        custom_role.map(RoleView::from),
    )
}

/// A presented API key, the user it acts for, and (for an organization key with a custom
/// role) that role.
#[derive(Debug, Clone)]
pub struct PresentedKey {
    pub key: ApiKey,
    pub user: User,
    pub custom_role: Option<RoleView>,
}

impl From<api_keys::PresentedKey> for PresentedKey {
    fn from(read: api_keys::PresentedKey) -> PresentedKey {
        PresentedKey {
            key: read.key.into(),
            user: read.user.into(),
            custom_role: read.custom_role.map(RoleView::from),
        }
    }
}

/// A project (shown for nobody in particular), and what the grants of someone's teams give
/// to it.
pub type ProjectWithTeamAccess = (Project, Option<AccessLevel>);

pub(crate) fn project_with_team_access(
    (row, team): projects::ProjectWithTeamAccess,
) -> ProjectWithTeamAccess {
    (Project::of(row, None), team)
}

/// A project (shown for nobody in particular), and what the teams of two users (the one who
/// asks, the one asked about) give to it.
pub type ProjectForBoth = (Project, Option<AccessLevel>, Option<AccessLevel>);

/// A user's current membership of an organization and its custom role, read from the
/// database ([`org_access::member_standing`]).
pub(crate) fn member_standing(
    conn: &mut roster_store::DbConn,
    organization: roster_domain::OrganizationId,
    user: roster_domain::UserId,
    now: roster_store::Ts,
) -> Result<(Option<Membership>, Option<RoleView>), roster_store::StoreError> {
    let (membership, custom_role) = org_access::member_standing(conn, organization, user, now)?;
    Ok((
        membership.map(Membership::from),
        custom_role.map(RoleView::from),
    ))
}
