//! The `api_keys` table. A key is kept as its SHA-256 only, with a short visible prefix.

use diesel::prelude::*;

use roster_domain::{ApiKeyId, OrganizationId, Role, UserId};

use crate::roles::RoleRow;
use crate::schema::{api_keys, roles, users};
use crate::users::UserRow;
use crate::{DbConn, DbId, JsonValue, MultiBackend, NullableDbId, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: ApiKeyId,
    /// The organization an organization key acts in; `None` for a personal key.
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub organization_id: Option<OrganizationId>,
    /// Who made it: a personal key acts as this user, an organization key on their behalf.
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the key, to recognise it by.
    pub prefix: String,
    pub key_hash: Vec<u8>,
    /// An organization key's role key (`None` for a personal key).
    pub role: Option<String>,
    /// An organization key's application permission tags.
    #[diesel(serialize_as = JsonValue, deserialize_as = JsonValue)]
    pub permissions: Vec<String>,
    pub expires_at: Option<Ts>,
    pub last_used_at: Option<Ts>,
    pub created_at: Ts,
    pub revoked_at: Option<Ts>,
}

impl ApiKeyRow {
    /// An organization key's role (`None` for a personal key, or a stored key that no longer
    /// parses, which then grants nothing).
    pub fn role(&self) -> Option<Role> {
        self.role.as_deref().and_then(|r| Role::parse(r).ok())
    }

    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: Ts) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

pub fn insert(conn: &mut DbConn, row: &ApiKeyRow) -> Result<(), StoreError> {
    diesel::insert_into(api_keys::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A presented key: the key row, its user, and (for an organization key with a custom role)
/// that role, in one query.
#[derive(Clone)]
pub struct PresentedKey {
    pub key: ApiKeyRow,
    pub user: UserRow,
    pub custom_role: Option<RoleRow>,
}

pub fn find_by_hash(conn: &mut DbConn, hash: &[u8]) -> Result<Option<PresentedKey>, StoreError> {
    let custom_role = roles::organization_id
        .nullable()
        .eq(api_keys::organization_id)
        .and(roles::key.nullable().eq(api_keys::role));
    let found: Option<(ApiKeyRow, UserRow, Option<RoleRow>)> = api_keys::table
        .inner_join(users::table)
        .left_join(roles::table.on(custom_role))
        .filter(api_keys::key_hash.eq(hash))
        .select((
            ApiKeyRow::as_select(),
            UserRow::as_select(),
            Option::<RoleRow>::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(|(key, user, custom_role)| PresentedKey {
        key,
        user,
        custom_role,
    }))
}

/// Records that the key was used, unless it was already recorded since `stale_before`: one
/// write a minute per busy key, not one per request. The condition is in the statement, so
/// concurrent requests write once.
pub fn touch(conn: &mut DbConn, id: ApiKeyId, now: Ts, stale_before: Ts) -> Result<(), StoreError> {
    diesel::update(api_keys::table.find(DbId::from(id)))
        .filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.lt(stale_before)),
        )
        .set(api_keys::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Whose keys: an organization's, or a user's personal ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    Organization(OrganizationId),
    Personal(UserId),
}

type KeyQuery = api_keys::BoxedQuery<'static, MultiBackend>;

fn owned_by(owner: KeyOwner) -> KeyQuery {
    match owner {
        KeyOwner::Organization(id) => api_keys::table
            .filter(api_keys::organization_id.eq(DbId::from(id)))
            .into_boxed(),
        KeyOwner::Personal(user) => api_keys::table
            .filter(api_keys::user_id.eq(DbId::from(user)))
            .filter(api_keys::organization_id.is_null())
            .into_boxed(),
    }
}

pub fn find(
    conn: &mut DbConn,
    owner: KeyOwner,
    id: ApiKeyId,
) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(owned_by(owner)
        .filter(api_keys::id.eq(DbId::from(id)))
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// A key by its id, whoever's it is.
pub fn find_by_id(conn: &mut DbConn, id: ApiKeyId) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(api_keys::table
        .find(DbId::from(id))
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// One page of keys that are not revoked, oldest first, after the keyset `(created_at, id)`
/// or at `offset`.
pub fn list(
    conn: &mut DbConn,
    owner: KeyOwner,
    after: Option<(Ts, ApiKeyId)>,
    offset: i64,
    limit: i64,
) -> Result<Vec<ApiKeyRow>, StoreError> {
    let mut query = owned_by(owner).filter(api_keys::revoked_at.is_null());
    if let Some((at, id)) = after {
        query = query.filter(api_keys::created_at.ge(at)).filter(
            api_keys::created_at
                .gt(at)
                .or(api_keys::id.gt(DbId::from(id))),
        );
    }
    Ok(query
        .order((api_keys::created_at.asc(), api_keys::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(ApiKeyRow::as_select())
        .load(conn)?)
}

/// Keys that are not revoked.
pub fn count(conn: &mut DbConn, owner: KeyOwner) -> Result<i64, StoreError> {
    Ok(owned_by(owner)
        .filter(api_keys::revoked_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Keys that work at `now`: neither revoked nor expired.
#[diesel::dsl::auto_type(no_type_alias)]
fn live(now: Ts) -> _ {
    api_keys::revoked_at.is_null().and(
        api_keys::expires_at
            .is_null()
            .or(api_keys::expires_at.gt(now)),
    )
}

/// Keys that work at `now`: what the key limit counts.
pub fn count_live(conn: &mut DbConn, owner: KeyOwner, now: Ts) -> Result<i64, StoreError> {
    Ok(owned_by(owner).filter(live(now)).count().get_result(conn)?)
}

/// Live organization keys that hold the role `key` (a role in use cannot be deleted).
pub fn count_live_with_role(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    key: &str,
    now: Ts,
) -> Result<i64, StoreError> {
    Ok(owned_by(KeyOwner::Organization(organization_id))
        .filter(api_keys::role.eq(key))
        .filter(live(now))
        .count()
        .get_result(conn)?)
}

/// Revokes the keys `user` made that are not revoked yet: in one organization, or (`None`)
/// all of them, personal ones included. The ones it revoked, as they were.
pub fn revoke_made_by(
    conn: &mut DbConn,
    user: UserId,
    organization: Option<OrganizationId>,
    now: Ts,
) -> Result<Vec<ApiKeyRow>, StoreError> {
    let mut query = api_keys::table
        .filter(api_keys::user_id.eq(DbId::from(user)))
        .filter(api_keys::revoked_at.is_null())
        .into_boxed();
    if let Some(org) = organization {
        query = query.filter(api_keys::organization_id.eq(DbId::from(org)));
    }
    let keys: Vec<ApiKeyRow> = query.select(ApiKeyRow::as_select()).load(conn)?;
    let mut revoked = Vec::with_capacity(keys.len());
    for key in keys {
        if revoke(conn, key.id, now)? {
            revoked.push(key);
        }
    }
    Ok(revoked)
}

/// Revokes a key; false when it already was.
pub fn revoke(conn: &mut DbConn, id: ApiKeyId, now: Ts) -> Result<bool, StoreError> {
    let changed = diesel::update(api_keys::table.find(DbId::from(id)))
        .filter(api_keys::revoked_at.is_null())
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Deletes every API key `user` made (their account is being deleted; the keys were revoked
/// first, with their events). Done before the user row goes, so that invitations made with
/// them lose the reference before the user's own is cleared: PostgreSQL refuses the two in one
/// cascade.
pub fn delete_made_by(conn: &mut DbConn, user: UserId) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(api_keys::table.filter(api_keys::user_id.eq(DbId::from(user))))
            .execute(conn)?,
    )
}
