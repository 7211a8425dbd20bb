//! The `background_jobs` table: which instance runs a periodic job now, and when it last ran.

use diesel::prelude::*;

use crate::schema::background_jobs;
use crate::{per_backend, DbConn, DbId, NullableDbId, StoreError, Ts};

/// Claims job `name` for `holder` until `until`, if no live claim holds it and it last ran
/// before `due_if_last_run_before`. One statement (an upsert with a condition), so two
/// instances asking at once cannot both get it.
pub fn claim(
    conn: &mut DbConn,
    name: &str,
    holder: uuid::Uuid,
    now: Ts,
    until: Ts,
    due_if_last_run_before: Ts,
) -> Result<bool, StoreError> {
    per_backend!(conn, |c| diesel::insert_into(background_jobs::table)
        .values(background_jobs::name.eq(name))
        .on_conflict_do_nothing()
        .execute(c))?;
    let claimed = diesel::update(
        background_jobs::table
            .filter(background_jobs::name.eq(name))
            .filter(
                background_jobs::leased_until
                    .is_null()
                    .or(background_jobs::leased_until.lt(now)),
            )
            .filter(
                background_jobs::last_run_at
                    .is_null()
                    .or(background_jobs::last_run_at.lt(due_if_last_run_before)),
            ),
    )
    .set((
        background_jobs::leased_by.eq(NullableDbId(Some(DbId(holder)))),
        background_jobs::leased_until.eq(Some(until)),
    ))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// Ends `holder`'s claim on `name`; `ran_at` records a finished run (`None`: given back
/// unfinished, due again at once).
pub fn release(
    conn: &mut DbConn,
    name: &str,
    holder: uuid::Uuid,
    ran_at: Option<Ts>,
) -> Result<(), StoreError> {
    let mine = background_jobs::table
        .filter(background_jobs::name.eq(name))
        .filter(background_jobs::leased_by.eq(NullableDbId(Some(DbId(holder)))));
    match ran_at {
        Some(at) => diesel::update(mine)
            .set((
                background_jobs::leased_by.eq(NullableDbId(None)),
                background_jobs::leased_until.eq(None::<Ts>),
                background_jobs::last_run_at.eq(Some(at)),
            ))
            .execute(conn)?,
        None => diesel::update(mine)
            .set((
                background_jobs::leased_by.eq(NullableDbId(None)),
                background_jobs::leased_until.eq(None::<Ts>),
            ))
            .execute(conn)?,
    };
    Ok(())
}
