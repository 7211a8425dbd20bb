//! The one query behind every organization request: the caller's user row, the organization,
//! the caller's current membership in it and (for a custom role) that role's permissions, in
//! a single round trip.

use diesel::prelude::*;

use crate::memberships::MembershipRow;
use crate::named::NameOrId;
use crate::organizations::{self, Lookup, OrgKey};
use crate::projects::ProjectRow;
use crate::roles::RoleRow;
use crate::schema::{memberships, organizations as orgs, projects, roles, users};
use crate::team_grants::{NoTeamAccess, TeamAccess};
use crate::users::UserRow;
use roster_domain::{AccessLevel, OrganizationId, SessionId, UserId};

use crate::{DbConn, DbId, OrganizationRow, StoreError, Ts};

/// What the caller needs to know to decide on an organization request.
#[derive(Clone)]
pub struct OrgStanding {
    pub user: UserRow,
    /// The caller's sign-in session is still live (always false when no session was given).
    pub session_live: bool,
    pub organization: Lookup,
    pub membership: Option<MembershipRow>,
    /// The membership's custom role, when it has one.
    pub custom_role: Option<RoleRow>,
}

type Loaded = (
    UserRow,
    bool,
    Option<OrganizationRow>,
    Option<MembershipRow>,
    Option<RoleRow>,
);

/// Loads the user, the organization named by `key` and the user's unexpired membership in it.
/// `None` when the user does not exist. A key that is only a former name costs two more queries.
pub fn load(
    conn: &mut DbConn,
    user_id: UserId,
    session: Option<SessionId>,
    key: &OrgKey,
    now: Ts,
) -> Result<Option<OrgStanding>, StoreError> {
    // The nil id names no session, so one query shape serves callers without one.
    let session = session.unwrap_or(SessionId::from_uuid(uuid::Uuid::nil()));
    let current = memberships::organization_id
        .eq(orgs::id)
        .and(memberships::user_id.eq(users::id))
        .and(crate::memberships::unexpired(now));
    let custom_role = roles::organization_id
        .eq(memberships::organization_id)
        .and(roles::key.eq(memberships::role));
    let select = (
        UserRow::as_select(),
        crate::refresh_tokens::session_is_live(session),
        Option::<OrganizationRow>::as_select(),
        Option::<MembershipRow>::as_select(),
        Option::<RoleRow>::as_select(),
    );
    // Two static query shapes (rather than one boxed query) so Postgres can reuse prepared plans.
    let loaded: Option<Loaded> = match key {
        OrgKey::Id(id) => users::table
            .left_join(orgs::table.on(orgs::id.eq(DbId::from(*id))))
            .left_join(memberships::table.on(current))
            .left_join(roles::table.on(custom_role))
            .filter(users::id.eq(DbId::from(user_id)))
            .select(select)
            .first(conn)
            .optional()?,
        OrgKey::Name(name) => users::table
            .left_join(orgs::table.on(orgs::name.eq(name.clone())))
            .left_join(memberships::table.on(current))
            .left_join(roles::table.on(custom_role))
            .filter(users::id.eq(DbId::from(user_id)))
            .select(select)
            .first(conn)
            .optional()?,
    };
    let Some((user, session_live, organization, membership, custom_role)) = loaded else {
        return Ok(None);
    };
    let organization = match organization {
        Some(org) => Lookup::Found(Box::new(org)),
        None => organizations::lookup(conn, key)?,
    };
    let (membership, custom_role) = match (&organization, membership) {
        (Lookup::Renamed(org), _) => member_standing(conn, org.id, user_id, now)?,
        (_, membership) => (membership, custom_role),
    };
    Ok(Some(OrgStanding {
        user,
        session_live,
        organization,
        membership,
        custom_role,
    }))
}

/// A user, its current membership in one organization (if any) and that membership's custom role.
pub type SubjectStanding = (UserRow, Option<MembershipRow>, Option<RoleRow>);

/// Someone an operation asks about (not the caller): the user, its current membership in the
/// organization and that membership's custom role, in one query. `None` for no such user.
pub fn subject_standing(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
    now: Ts,
) -> Result<Option<SubjectStanding>, StoreError> {
    let current = memberships::user_id
        .eq(users::id)
        .and(memberships::organization_id.eq(DbId::from(organization_id)))
        .and(crate::memberships::unexpired(now));
    let custom_role = roles::organization_id
        .eq(memberships::organization_id)
        .and(roles::key.eq(memberships::role));
    Ok(users::table
        .left_join(memberships::table.on(current))
        .left_join(roles::table.on(custom_role))
        .filter(users::id.eq(DbId::from(user_id)))
        .select((
            UserRow::as_select(),
            Option::<MembershipRow>::as_select(),
            Option::<RoleRow>::as_select(),
        ))
        .first(conn)
        .optional()?)
}

/// A project as [`subject_with_project`] finds it: the row, and the access the asker's teams
/// and the subject's teams give to it.
pub type ProjectForBoth = (ProjectRow, Option<AccessLevel>, Option<AccessLevel>);

/// [`subject_standing`] and the project `key` names in the organization, with the access the
/// teams of `asker` (`None`: no teams read) and of the subject give to it, in one query: the
/// access question about someone else and a project costs the round trip it costs without one.
pub fn subject_with_project(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
    key: &NameOrId,
    asker: Option<UserId>,
    now: Ts,
) -> Result<Option<(SubjectStanding, Option<ProjectForBoth>)>, StoreError> {
    let org = DbId::from(organization_id);
    let current = memberships::user_id
        .eq(users::id)
        .and(memberships::organization_id.eq(org))
        .and(crate::memberships::unexpired(now));
    let custom_role = roles::organization_id
        .eq(memberships::organization_id)
        .and(roles::key.eq(memberships::role));
    // One statement for either kind of key: an id matches no name and a name no id.
    let (id, name) = match key {
        NameOrId::Id(id) => (DbId::from(*id), String::new()),
        NameOrId::Name(name) => (DbId::from(uuid::Uuid::nil()), name.clone()),
    };
    let named = projects::organization_id
        .eq(org)
        .and(projects::id.eq(id).or(projects::name.eq(name)));
    let joined = users::table
        .left_join(memberships::table.on(current))
        .left_join(roles::table.on(custom_role))
        .left_join(projects::table.on(named))
        .filter(users::id.eq(DbId::from(user_id)));
    let subject = TeamAccess {
        user: user_id.into(),
    };
    type Found = (
        UserRow,
        Option<MembershipRow>,
        Option<RoleRow>,
        Option<ProjectRow>,
        Option<i32>,
        Option<i32>,
    );
    let found: Option<Found> = match asker {
        Some(asker) => joined
            .select((
                UserRow::as_select(),
                Option::<MembershipRow>::as_select(),
                Option::<RoleRow>::as_select(),
                Option::<ProjectRow>::as_select(),
                TeamAccess { user: asker.into() },
                subject,
            ))
            .first(conn)
            .optional()?,
        None => joined
            .select((
                UserRow::as_select(),
                Option::<MembershipRow>::as_select(),
                Option::<RoleRow>::as_select(),
                Option::<ProjectRow>::as_select(),
                NoTeamAccess,
                subject,
            ))
            .first(conn)
            .optional()?,
    };
    let level = |rank: Option<i32>| rank.and_then(AccessLevel::from_rank);
    Ok(
        found.map(|(user, membership, role, project, asker, subject)| {
            let project = project.map(|row| (row, level(asker), level(subject)));
            ((user, membership, role), project)
        }),
    )
}

/// A user's current membership in an organization and its custom role, if any (one query).
pub fn member_standing(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
    now: Ts,
) -> Result<(Option<MembershipRow>, Option<RoleRow>), StoreError> {
    let custom_role = roles::organization_id
        .eq(memberships::organization_id)
        .and(roles::key.eq(memberships::role));
    let found: Option<(MembershipRow, Option<RoleRow>)> = memberships::table
        .left_join(roles::table.on(custom_role))
        .filter(memberships::organization_id.eq(DbId::from(organization_id)))
        .filter(memberships::user_id.eq(DbId::from(user_id)))
        .filter(crate::memberships::unexpired(now))
        .select((MembershipRow::as_select(), Option::<RoleRow>::as_select()))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((membership, role)) => (Some(membership), role),
        None => (None, None),
    })
}
