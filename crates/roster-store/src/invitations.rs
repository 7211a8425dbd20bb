//! The `invitations` table. The one-time token is kept as its SHA-256 only.

use diesel::prelude::*;

use roster_domain::{ApiKeyId, InvitationId, InvitationState, OrganizationId, Role, UserId};

use crate::schema::{invitations, organizations};
use crate::{DbConn, DbId, MultiBackend, NullableDbId, OrganizationRow, StoreError, Ts};

const PENDING: &str = InvitationState::Pending.as_str();
const ACCEPTED: &str = InvitationState::Accepted.as_str();
const REVOKED: &str = InvitationState::Revoked.as_str();
const EXPIRED: &str = InvitationState::Expired.as_str();
const DECLINED: &str = InvitationState::Declined.as_str();

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: InvitationId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    /// Lowercased, like users' emails.
    pub email: String,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub role: Role,
    pub token_hash: Vec<u8>,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub state: InvitationState,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub invited_by: Option<UserId>,
    /// The API key it was made with, if any: the invitation ends when the key is revoked.
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub invited_by_key: Option<ApiKeyId>,
    pub expires_at: Ts,
    pub created_at: Ts,
    pub accepted_at: Option<Ts>,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub accepted_by: Option<UserId>,
    pub revoked_at: Option<Ts>,
    pub declined_at: Option<Ts>,
}

impl InvitationRow {
    /// Pending, and still within its time.
    pub fn is_open(&self, now: Ts) -> bool {
        self.state == InvitationState::Pending && self.expires_at > now
    }

    /// The state as a reader sees it at `now` (`expired` included).
    pub fn state_at(&self, now: Ts) -> &'static str {
        self.state.read_at(self.expires_at <= now)
    }
}

pub fn insert(conn: &mut DbConn, row: &InvitationRow) -> Result<(), StoreError> {
    diesel::insert_into(invitations::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The invitation of this organization with this id.
pub fn find(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    id: InvitationId,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(invitations::table
        .find(DbId::from(id))
        .filter(invitations::organization_id.eq(DbId::from(organization_id)))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The invitation a token stands for, with its organization.
pub fn find_by_token_hash(
    conn: &mut DbConn,
    token_hash: &[u8],
) -> Result<Option<(InvitationRow, OrganizationRow)>, StoreError> {
    Ok(invitations::table
        .inner_join(organizations::table)
        .filter(invitations::token_hash.eq(token_hash))
        .select((InvitationRow::as_select(), OrganizationRow::as_select()))
        .first(conn)
        .optional()?)
}

/// Marks a pending invitation accepted; false when it was no longer pending (another request
/// accepted or revoked it first).
pub fn accept(
    conn: &mut DbConn,
    id: InvitationId,
    by: UserId,
    now: Ts,
) -> Result<bool, StoreError> {
    let changed = diesel::update(invitations::table.find(DbId::from(id)))
        .filter(invitations::state.eq(PENDING))
        .set((
            invitations::state.eq(ACCEPTED),
            invitations::accepted_at.eq(now),
            invitations::accepted_by.eq(DbId::from(by)),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Declines a pending invitation (its invitee said no); false when it was not pending.
pub fn decline(conn: &mut DbConn, id: InvitationId, now: Ts) -> Result<bool, StoreError> {
    let changed = diesel::update(invitations::table.find(DbId::from(id)))
        .filter(invitations::state.eq(PENDING))
        .set((
            invitations::state.eq(DECLINED),
            invitations::declined_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Gives a pending invitation a new token (resending it): the one sent before stops working.
/// False when it was not pending.
pub fn replace_token(
    conn: &mut DbConn,
    id: InvitationId,
    token_hash: &[u8],
) -> Result<bool, StoreError> {
    let changed = diesel::update(invitations::table.find(DbId::from(id)))
        .filter(invitations::state.eq(PENDING))
        .set(invitations::token_hash.eq(token_hash))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Revokes a pending invitation; false when it was not pending.
pub fn revoke(conn: &mut DbConn, id: InvitationId, now: Ts) -> Result<bool, StoreError> {
    let changed = diesel::update(invitations::table.find(DbId::from(id)))
        .filter(invitations::state.eq(PENDING))
        .set((
            invitations::state.eq(REVOKED),
            invitations::revoked_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Whose pending invitations to end: those a user sent (in one organization, or anywhere), or
/// those made with one API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentBy {
    User {
        user: UserId,
        organization: Option<OrganizationId>,
    },
    Key(ApiKeyId),
}

/// Revokes the pending invitations `sender` made; the ones it revoked, as they were.
pub fn revoke_sent_by(
    conn: &mut DbConn,
    sender: SentBy,
    now: Ts,
) -> Result<Vec<InvitationRow>, StoreError> {
    let mut query = invitations::table
        .filter(invitations::state.eq(PENDING))
        .into_boxed();
    query = match sender {
        SentBy::User { user, organization } => {
            let query = query.filter(invitations::invited_by.eq(DbId::from(user)));
            match organization {
                Some(org) => query.filter(invitations::organization_id.eq(DbId::from(org))),
                None => query,
            }
        }
        SentBy::Key(key) => query.filter(invitations::invited_by_key.eq(DbId::from(key))),
    };
    let pending: Vec<InvitationRow> = query.select(InvitationRow::as_select()).load(conn)?;
    let mut revoked = Vec::with_capacity(pending.len());
    for invitation in pending {
        if revoke(conn, invitation.id, now)? {
            revoked.push(invitation);
        }
    }
    Ok(revoked)
}

/// Revokes the pending invitations sent to `email` (lowercase), in every organization; the ones
/// it revoked, as they were.
pub fn revoke_sent_to(
    conn: &mut DbConn,
    email: &str,
    now: Ts,
) -> Result<Vec<InvitationRow>, StoreError> {
    let pending: Vec<InvitationRow> = invitations::table
        .filter(invitations::email.eq(email))
        .filter(invitations::state.eq(PENDING))
        .select(InvitationRow::as_select())
        .load(conn)?;
    let mut revoked = Vec::with_capacity(pending.len());
    for invitation in pending {
        if revoke(conn, invitation.id, now)? {
            revoked.push(invitation);
        }
    }
    Ok(revoked)
}

/// The open invitations of one organization (pending, not expired at `now`), those `sender`
/// sent only when given, oldest first.
pub fn open_in(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    sender: Option<UserId>,
    now: Ts,
) -> Result<Vec<InvitationRow>, StoreError> {
    let mut query = invitations::table
        .filter(invitations::organization_id.eq(DbId::from(organization_id)))
        .filter(invitations::state.eq(PENDING))
        .filter(invitations::expires_at.gt(now))
        .into_boxed();
    if let Some(sender) = sender {
        query = query.filter(invitations::invited_by.eq(DbId::from(sender)));
    }
    Ok(query
        .order((invitations::created_at.asc(), invitations::id.asc()))
        .select(InvitationRow::as_select())
        .load(conn)?)
}

/// The pending invitation (expired or not) of `email` to the organization, if any.
pub fn pending_for(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    email: &str,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(invitations::table
        .filter(invitations::organization_id.eq(DbId::from(organization_id)))
        .filter(invitations::email.eq(email))
        .filter(invitations::state.eq(PENDING))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Pending invitations that have not expired: what the invitation limit counts.
pub fn count_open(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    now: Ts,
) -> Result<i64, StoreError> {
    Ok(invitations::table
        .filter(invitations::organization_id.eq(DbId::from(organization_id)))
        .filter(invitations::state.eq(PENDING))
        .filter(invitations::expires_at.gt(now))
        .count()
        .get_result(conn)?)
}

/// Open invitations that would give the role `key` (a role in use cannot be deleted).
pub fn count_open_with_role(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    key: &str,
    now: Ts,
) -> Result<i64, StoreError> {
    Ok(invitations::table
        .filter(invitations::organization_id.eq(DbId::from(organization_id)))
        .filter(invitations::role.eq(key))
        .filter(invitations::state.eq(PENDING))
        .filter(invitations::expires_at.gt(now))
        .count()
        .get_result(conn)?)
}

pub use roster_domain::StateFilter;

/// Whose invitations to list.
#[derive(Debug, Clone)]
pub enum InvitationScope {
    Organization(OrganizationId),
    /// Sent to this (lowercased) email, in any organization.
    Email(String),
}

type InvitationQuery = invitations::BoxedQuery<'static, MultiBackend>;

fn matching(scope: &InvitationScope, state: StateFilter, now: Ts) -> InvitationQuery {
    let mut query = invitations::table.into_boxed();
    query = match scope {
        InvitationScope::Organization(id) => {
            query.filter(invitations::organization_id.eq(DbId::from(*id)))
        }
        InvitationScope::Email(email) => query.filter(invitations::email.eq(email.clone())),
    };
    match state {
        StateFilter::Any => query,
        StateFilter::Pending => query
            .filter(invitations::state.eq(PENDING))
            .filter(invitations::expires_at.gt(now)),
        StateFilter::Expired => query.filter(
            invitations::state.eq(EXPIRED).or(invitations::state
                .eq(PENDING)
                .and(invitations::expires_at.le(now))),
        ),
        StateFilter::Accepted => query.filter(invitations::state.eq(ACCEPTED)),
        StateFilter::Revoked => query.filter(invitations::state.eq(REVOKED)),
        StateFilter::Declined => query.filter(invitations::state.eq(DECLINED)),
    }
}

/// One page of invitations, oldest first, after the keyset `(created_at, id)` or at `offset`.
pub fn list(
    conn: &mut DbConn,
    scope: &InvitationScope,
    state: StateFilter,
    now: Ts,
    after: Option<(Ts, InvitationId)>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(InvitationRow, OrganizationRow)>, StoreError> {
    let mut query = matching(scope, state, now);
    if let Some((at, id)) = after {
        query = query.filter(invitations::created_at.ge(at)).filter(
            invitations::created_at
                .gt(at)
                .or(invitations::id.gt(DbId::from(id))),
        );
    }
    let page: Vec<InvitationRow> = query
        .order((invitations::created_at.asc(), invitations::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(InvitationRow::as_select())
        .load(conn)?;
    with_organizations(conn, page)
}

/// Each invitation with its organization (one more query for the page, not one per row).
fn with_organizations(
    conn: &mut DbConn,
    page: Vec<InvitationRow>,
) -> Result<Vec<(InvitationRow, OrganizationRow)>, StoreError> {
    let ids: Vec<DbId> = page.iter().map(|i| DbId::from(i.organization_id)).collect();
    let orgs: Vec<OrganizationRow> = organizations::table
        .filter(organizations::id.eq_any(ids))
        .select(OrganizationRow::as_select())
        .load(conn)?;
    Ok(page
        .into_iter()
        .filter_map(|invitation| {
            let org = orgs
                .iter()
                .find(|o| o.id == invitation.organization_id)?
                .clone();
            Some((invitation, org))
        })
        .collect())
}

pub fn count(
    conn: &mut DbConn,
    scope: &InvitationScope,
    state: StateFilter,
    now: Ts,
) -> Result<i64, StoreError> {
    Ok(matching(scope, state, now).count().get_result(conn)?)
}

/// Stores `expired` for up to `limit` pending invitations past their expiry at `now` and
/// returns them (for their events). On PostgreSQL, rows another instance is sweeping right now
/// are skipped.
pub fn expire_due(
    conn: &mut DbConn,
    now: Ts,
    limit: i64,
) -> Result<Vec<InvitationRow>, StoreError> {
    let due = invitations::table
        .filter(invitations::state.eq(PENDING))
        .filter(invitations::expires_at.le(now))
        .order(invitations::expires_at.asc())
        .limit(limit)
        .select(invitations::id);
    let ids: Vec<DbId> = match conn {
        DbConn::Pg(c) => due.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => due.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = invitations::table
        .filter(invitations::id.eq_any(&ids))
        .select(InvitationRow::as_select())
        .load(conn)?;
    diesel::update(invitations::table.filter(invitations::id.eq_any(&ids)))
        .set(invitations::state.eq(EXPIRED))
        .execute(conn)?;
    Ok(rows)
}
