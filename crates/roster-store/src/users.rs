//! The `users` table.

use diesel::prelude::*;

use roster_domain::{SessionId, UserId, UserState};

use crate::schema::users;
use crate::{DbConn, DbId, StoreError, Ts};

/// One user row. Holds the password hash, so it deliberately has no `Debug`.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = users)]
pub struct UserRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: UserId,
    pub email: String,
    pub name: Option<String>,
    pub password_hash: Option<String>,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub state: UserState,
    pub is_admin: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// When the address in `email` was proven (a link mailed to it was followed); `None`
    /// while nobody has.
    pub email_verified_at: Option<Ts>,
    /// An address the user asked to change to, not proven yet: it holds nothing.
    pub pending_email: Option<String>,
}

impl UserRow {
    pub fn is_active(&self) -> bool {
        self.state == UserState::Active
    }

    pub fn email_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Default, Clone)]
pub struct UserChanges {
    pub email: Option<String>,
    pub name: Option<Option<String>>,
    pub password_hash: Option<Option<String>>,
    pub state: Option<UserState>,
    pub is_admin: Option<bool>,
    pub updated_at: Option<Ts>,
    pub email_verified_at: Option<Option<Ts>>,
    pub pending_email: Option<Option<String>>,
}

/// [`UserChanges`] in the columns' terms.
#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct UserChangeset {
    email: Option<String>,
    name: Option<Option<String>>,
    password_hash: Option<Option<String>>,
    state: Option<String>,
    is_admin: Option<bool>,
    updated_at: Option<Ts>,
    email_verified_at: Option<Option<Ts>>,
    pending_email: Option<Option<String>>,
}

impl From<&UserChanges> for UserChangeset {
    fn from(changes: &UserChanges) -> Self {
        UserChangeset {
            email: changes.email.clone(),
            name: changes.name.clone(),
            password_hash: changes.password_hash.clone(),
            state: changes.state.map(String::from),
            is_admin: changes.is_admin,
            updated_at: changes.updated_at,
            email_verified_at: changes.email_verified_at,
            pending_email: changes.pending_email.clone(),
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &UserRow) -> Result<(), StoreError> {
    diesel::insert_into(users::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: UserId) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .find(DbId::from(id))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// The user, locked for a change until the transaction ends (`FOR NO KEY UPDATE` on
/// Postgres; SQLite's writers are serialized already): the change is made to the row as it is
/// now, not as an earlier read saw it, and waits for anyone holding it with [`hold`].
pub fn lock(conn: &mut DbConn, id: UserId) -> Result<Option<UserRow>, StoreError> {
    if let DbConn::Pg(pg) = conn {
        return Ok(users::table
            .find(DbId::from(id))
            .select(UserRow::as_select())
            .for_no_key_update()
            .first(pg)
            .optional()?);
    }
    find(conn, id)
}

/// The user as it is now, held against changes until the transaction ends (`FOR SHARE` on
/// Postgres): for a write that copies the user's email and name (a new membership), so that a
/// change of either waits for it, and then rewrites the copy too. Several holders do not wait
/// on each other.
pub fn hold(conn: &mut DbConn, id: UserId) -> Result<Option<UserRow>, StoreError> {
    if let DbConn::Pg(pg) = conn {
        return Ok(users::table
            .find(DbId::from(id))
            .select(UserRow::as_select())
            .for_share()
            .first(pg)
            .optional()?);
    }
    find(conn, id)
}

/// The user and whether the sign-in session `family` is still live, in one query.
pub fn find_with_session(
    conn: &mut DbConn,
    id: UserId,
    family: SessionId,
) -> Result<Option<(UserRow, bool)>, StoreError> {
    Ok(users::table
        .find(DbId::from(id))
        .select((
            UserRow::as_select(),
            crate::refresh_tokens::session_is_live(family),
        ))
        .first(conn)
        .optional()?)
}

/// Looks a user up by email; `email` must already be normalized (lowercase).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Applies `changes`; `NotFound` when no such user exists.
pub fn update(conn: &mut DbConn, id: UserId, changes: &UserChanges) -> Result<UserRow, StoreError> {
    let updated = diesel::update(users::table.find(DbId::from(id)))
        .set(UserChangeset::from(changes))
        .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    find(conn, id)?.ok_or(StoreError::NotFound)
}

/// Deletes the user; what is theirs alone goes with them (memberships, sessions, tokens),
/// what others keep forgets them (an invitation's sender, a key's maker).
pub fn delete(conn: &mut DbConn, id: UserId) -> Result<bool, StoreError> {
    Ok(diesel::delete(users::table.find(DbId::from(id))).execute(conn)? == 1)
}

/// How many active platform admins there are (the last one may not be demoted or disabled).
/// On Postgres their rows stay locked until the transaction ends, so two admins demoting each
/// other at once cannot both pass this check; SQLite writers are serialized anyway.
///
/// The lock is taken in id order (two such transactions never wait on each other in a cycle)
/// and is `FOR NO KEY UPDATE`: it excludes the same lock and updates, but not the key-share
/// locks that foreign keys take, so adding these users to an organization meanwhile neither
/// waits for it nor deadlocks with it.
pub fn count_active_admins(conn: &mut DbConn) -> Result<i64, StoreError> {
    if let DbConn::Pg(pg) = conn {
        let locked: Vec<DbId> = users::table
            .filter(users::is_admin.eq(true))
            .filter(users::state.eq(UserState::Active.as_str()))
            .order(users::id.asc())
            .select(users::id)
            .for_no_key_update()
            .load(pg)?;
        return Ok(locked.len() as i64);
    }
    Ok(users::table
        .filter(users::is_admin.eq(true))
        .filter(users::state.eq(UserState::Active.as_str()))
        .count()
        .get_result(conn)?)
}

/// Filters for the platform admin's user list.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    /// Prefix of the email address (lowercase).
    pub email_prefix: Option<String>,
    pub state: Option<UserState>,
}

fn filtered(filter: &UserFilter) -> users::BoxedQuery<'static, crate::MultiBackend> {
    let mut query = users::table.into_boxed();
    if let Some(prefix) = &filter.email_prefix {
        query = query.filter(users::email.like(crate::like_prefix(prefix)).escape('\\'));
    }
    if let Some(state) = filter.state {
        query = query.filter(users::state.eq(state.as_str()));
    }
    query
}

/// One page of users ordered by (created_at, id), after the keyset `after` or at `offset`.
pub fn list(
    conn: &mut DbConn,
    filter: &UserFilter,
    after: Option<(Ts, UserId)>,
    offset: i64,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    let mut query = filtered(filter);
    if let Some((created_at, id)) = after {
        query = query.filter(
            users::created_at.gt(created_at).or(users::created_at
                .eq(created_at)
                .and(users::id.gt(DbId::from(id)))),
        );
    }
    Ok(query
        .order((users::created_at.asc(), users::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConn, filter: &UserFilter) -> Result<i64, StoreError> {
    Ok(filtered(filter).count().get_result(conn)?)
}
