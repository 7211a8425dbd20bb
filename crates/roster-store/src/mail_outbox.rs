//! The `mail_outbox` table: messages written in the transaction that causes them, claimed and
//! sent by the background work (a claim is a lease: an instance that dies loses it).

use diesel::prelude::*;

use roster_domain::UserId;

use crate::schema::mail_outbox;
use crate::{DbConn, DbId, NullableDbId, StoreError, Ts};

pub mod state {
    pub const PENDING: &str = "pending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
    /// Nothing to send after all (a password reset asked for an address with no account).
    pub const DROPPED: &str = "dropped";
}

/// One queued message.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = mail_outbox)]
pub struct MailRow {
    pub id: DbId,
    pub kind: String,
    pub recipient: String,
    /// The template values as JSON (no secret among them).
    pub data: Vec<u8>,
    /// The link's one-time token, sealed (see `sealed_by`).
    pub secret: Option<Vec<u8>>,
    /// The instance whose in-memory key sealed `secret`; `None` for the key-encryption key.
    pub sealed_by: NullableDbId,
    /// What the token opens (`invitation:<id>`, `account_token:<id>`), to mint a new one when
    /// `secret` cannot be opened any more.
    pub token_ref: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: Ts,
    pub claimed_by: NullableDbId,
    pub claimed_until: Option<Ts>,
    pub last_error: Option<String>,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub user_id: Option<UserId>,
    pub created_at: Ts,
    pub finished_at: Option<Ts>,
}

impl std::fmt::Debug for MailRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

pub fn insert(conn: &mut DbConn, row: &MailRow) -> Result<(), StoreError> {
    diesel::insert_into(mail_outbox::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Claims up to `limit` due messages for `holder` until `until`, oldest due first (skipping
/// those another instance is claiming right now, and those another instance sealed, until
/// they have been due since `orphaned_before`).
pub fn claim_due(
    conn: &mut DbConn,
    now: Ts,
    holder: uuid::Uuid,
    until: Ts,
    orphaned_before: Ts,
    limit: i64,
) -> Result<Vec<MailRow>, StoreError> {
    let due = mail_outbox::table
        .filter(mail_outbox::state.eq(state::PENDING))
        .filter(mail_outbox::next_attempt_at.le(now))
        // A message sealed by another instance's in-memory key waits for that instance, unless
        // it has waited a whole lease: then its instance is taken to be gone.
        .filter(
            mail_outbox::sealed_by
                .is_null()
                .or(mail_outbox::sealed_by.eq(NullableDbId(Some(DbId(holder)))))
                .or(mail_outbox::next_attempt_at.lt(orphaned_before)),
        )
        .filter(
            mail_outbox::claimed_until
                .is_null()
                .or(mail_outbox::claimed_until.lt(now)),
        )
        .order(mail_outbox::next_attempt_at.asc())
        .limit(limit)
        .select(mail_outbox::id);
    let ids: Vec<DbId> = match conn {
        DbConn::Pg(c) => due.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => due.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
        .set((
            mail_outbox::claimed_by.eq(NullableDbId(Some(DbId(holder)))),
            mail_outbox::claimed_until.eq(Some(until)),
        ))
        .execute(conn)?;
    Ok(mail_outbox::table
        .filter(mail_outbox::id.eq_any(&ids))
        .order(mail_outbox::next_attempt_at.asc())
        .select(MailRow::as_select())
        .load(conn)?)
}

/// How a send ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent,
    /// Try again at this time.
    Retry {
        at: Ts,
        error: String,
    },
    Failed {
        error: String,
    },
    /// Nothing to send: the row forgets its recipient too.
    Dropped,
}

/// Records how the attempt under `holder`'s claim ended and releases the claim; the values
/// (and the token in them) are erased once the message is sent or has failed. False when the
/// claim was no longer `holder`'s.
pub fn finish(
    conn: &mut DbConn,
    id: DbId,
    holder: uuid::Uuid,
    outcome: &Outcome,
    now: Ts,
) -> Result<bool, StoreError> {
    let mine = mail_outbox::table
        .filter(mail_outbox::id.eq(id))
        .filter(mail_outbox::claimed_by.eq(NullableDbId(Some(DbId(holder)))));
    let released = (
        mail_outbox::attempts.eq(mail_outbox::attempts + 1),
        mail_outbox::claimed_by.eq(NullableDbId(None)),
        mail_outbox::claimed_until.eq(None::<Ts>),
    );
    let erased: Vec<u8> = Vec::new();
    let updated = match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((
                released,
                mail_outbox::state.eq(state::SENT),
                mail_outbox::data.eq(erased.clone()),
                mail_outbox::secret.eq(None::<Vec<u8>>),
                mail_outbox::finished_at.eq(Some(now)),
                mail_outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?,
        Outcome::Retry { at, error } => diesel::update(mine)
            .set((
                released,
                mail_outbox::next_attempt_at.eq(*at),
                mail_outbox::last_error.eq(Some(error.clone())),
            ))
            .execute(conn)?,
        Outcome::Dropped => diesel::update(mine)
            .set((
                released,
                mail_outbox::state.eq(state::DROPPED),
                mail_outbox::recipient.eq(""),
                mail_outbox::data.eq(Vec::<u8>::new()),
                mail_outbox::finished_at.eq(Some(now)),
            ))
            .execute(conn)?,
        Outcome::Failed { error } => diesel::update(mine)
            .set((
                released,
                mail_outbox::state.eq(state::FAILED),
                mail_outbox::data.eq(erased),
                mail_outbox::secret.eq(None::<Vec<u8>>),
                mail_outbox::finished_at.eq(Some(now)),
                mail_outbox::last_error.eq(Some(error.clone())),
            ))
            .execute(conn)?,
    };
    Ok(updated == 1)
}

/// Gives back every claim `holder` holds (shutting down); returns how many.
pub fn release_claims(conn: &mut DbConn, holder: uuid::Uuid) -> Result<usize, StoreError> {
    Ok(diesel::update(
        mail_outbox::table.filter(mail_outbox::claimed_by.eq(NullableDbId(Some(DbId(holder))))),
    )
    .set((
        mail_outbox::claimed_by.eq(NullableDbId(None)),
        mail_outbox::claimed_until.eq(None::<Ts>),
    ))
    .execute(conn)?)
}

/// Forgets the messages about `user` (their account is being erased): the unsent ones go, the
/// history of the others keeps no address and no values; returns how many changed.
pub fn forget_user(conn: &mut DbConn, user: UserId) -> Result<usize, StoreError> {
    let theirs = || mail_outbox::user_id.eq(NullableDbId(Some(DbId::from(user))));
    let unsent = diesel::delete(
        mail_outbox::table
            .filter(theirs())
            .filter(mail_outbox::state.eq(state::PENDING)),
    )
    .execute(conn)?;
    let history = diesel::update(mail_outbox::table.filter(theirs()))
        .set((
            mail_outbox::recipient.eq(crate::erasure::ERASED),
            mail_outbox::data.eq(Vec::<u8>::new()),
            mail_outbox::secret.eq(None::<Vec<u8>>),
        ))
        .execute(conn)?;
    Ok(unsent + history)
}

/// Forgets finished messages older than `before`.
pub fn purge(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::state.ne(state::PENDING))
            .filter(mail_outbox::created_at.lt(before)),
    )
    .execute(conn)?)
}

/// The age of the oldest message still waiting, if any (for metrics).
pub fn oldest_pending(conn: &mut DbConn) -> Result<Option<Ts>, StoreError> {
    Ok(mail_outbox::table
        .filter(mail_outbox::state.eq(state::PENDING))
        .select(diesel::dsl::min(mail_outbox::created_at))
        .first(conn)?)
}

/// Replaces the sealed token of a claimed message (a new one was minted).
pub fn reseal(
    conn: &mut DbConn,
    id: DbId,
    secret: Vec<u8>,
    sealed_by: Option<uuid::Uuid>,
) -> Result<(), StoreError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::secret.eq(Some(secret)),
            mail_outbox::sealed_by.eq(NullableDbId(sealed_by.map(DbId))),
        ))
        .execute(conn)?;
    Ok(())
}

/// Fills in a claimed message that was queued before its recipient's account was looked up
/// (a password reset): its values, its link's sealed token and the account.
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    conn: &mut DbConn,
    id: DbId,
    data: Vec<u8>,
    secret: Vec<u8>,
    sealed_by: Option<uuid::Uuid>,
    token_ref: String,
    user: UserId,
) -> Result<(), StoreError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::data.eq(data),
            mail_outbox::secret.eq(Some(secret)),
            mail_outbox::sealed_by.eq(NullableDbId(sealed_by.map(DbId))),
            mail_outbox::token_ref.eq(Some(token_ref)),
            mail_outbox::user_id.eq(NullableDbId(Some(DbId::from(user)))),
        ))
        .execute(conn)?;
    Ok(())
}
