//! Writing a change to an organization that another request may be changing at the same time.

use roster_store::{organizations, DbConn, OrganizationRow, StoreError};

use crate::{CoreError, Precondition};

/// Applies `change` to the organization as read (`before`) and writes the result.
///
/// The write is conditional on the row's version. When another request wrote the organization
/// in between, a client that sent a precondition asked for exactly that version: 412. A client
/// that did not gets last-writer-wins: the change is applied again to the fresh row, read under
/// a row lock so that this second attempt cannot lose again. `change` sees the row it applies
/// to, so rules that depend on it (a closed organization changes no more) hold for the fresh
/// row. Returns the row as it was and as it is now.
pub fn write_change(
    conn: &mut DbConn,
    before: OrganizationRow,
    precondition: &Precondition,
    change: impl Fn(&OrganizationRow) -> Result<OrganizationRow, CoreError>,
) -> Result<(OrganizationRow, OrganizationRow), CoreError> {
    let row = change(&before)?;
    match organizations::update(conn, &before, &row) {
        Ok(after) => Ok((before, after)),
        Err(StoreError::Conflict) if precondition.is_conditional() => {
            Err(CoreError::PreconditionFailed(
                "the organization changed since the ETag in If-Match was read".into(),
            ))
        }
        Err(StoreError::Conflict) => {
            let fresh = organizations::find_for_update(conn, before.id)?
                .ok_or(CoreError::NotFound("organization"))?;
            let row = change(&fresh)?;
            let after = organizations::update(conn, &fresh, &row)?;
            Ok((fresh, after))
        }
        Err(other) => Err(other.into()),
    }
}
