//! The one query behind every organization request: the caller's user row, the organization,
//! and the caller's current membership in it, in a single round trip.

use diesel::prelude::*;

use crate::memberships::MembershipRow;
use crate::organizations::{self, Lookup, OrgKey};
use crate::schema::{memberships, organizations as orgs, users};
use crate::users::UserRow;
use roster_domain::{SessionId, UserId};

use crate::{DbConn, DbId, OrganizationRow, StoreError, Ts};

/// What the caller needs to know to decide on an organization request.
pub struct OrgStanding {
    pub user: UserRow,
    /// The caller's sign-in session is still live (always false when no session was given).
    pub session_live: bool,
    pub organization: Lookup,
    pub membership: Option<MembershipRow>,
}

type Loaded = (
    UserRow,
    bool,
    Option<OrganizationRow>,
    Option<MembershipRow>,
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
    let select = (
        UserRow::as_select(),
        crate::refresh_tokens::session_is_live(session),
        Option::<OrganizationRow>::as_select(),
        Option::<MembershipRow>::as_select(),
    );
    // Two static query shapes (rather than one boxed query) so Postgres can reuse prepared plans.
    let loaded: Option<Loaded> = match key {
        OrgKey::Id(id) => users::table
            .left_join(orgs::table.on(orgs::id.eq(DbId::from(*id))))
            .left_join(memberships::table.on(current))
            .filter(users::id.eq(DbId::from(user_id)))
            .select(select)
            .first(conn)
            .optional()?,
        OrgKey::Name(name) => users::table
            .left_join(orgs::table.on(orgs::name.eq(name.clone())))
            .left_join(memberships::table.on(current))
            .filter(users::id.eq(DbId::from(user_id)))
            .select(select)
            .first(conn)
            .optional()?,
    };
    let Some((user, session_live, organization, membership)) = loaded else {
        return Ok(None);
    };
    let organization = match organization {
        Some(org) => Lookup::Found(Box::new(org)),
        None => organizations::lookup(conn, key)?,
    };
    let membership = match (&organization, membership) {
        (Lookup::Renamed(org), _) => crate::memberships::find_current(conn, org.id, user_id, now)?,
        (_, membership) => membership,
    };
    Ok(Some(OrgStanding {
        user,
        session_live,
        organization,
        membership,
    }))
}
