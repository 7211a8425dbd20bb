//! Writing a change to an organization that another request may be changing at the same time.

use roster_store::{organizations, DbConn, OrganizationRow, StoreError};

use super::create::taken;
use crate::error::ApiError;

/// Applies `change` to the organization as read (`before`) and writes the result.
///
/// The write is conditional on the row's version. When another request wrote the organization
/// in between, a client that sent `If-Match` asked for exactly that version: 412. A client that
/// did not gets last-writer-wins: the change is applied again to the fresh row, read under a
/// row lock so that this second attempt cannot lose again. `change` sees the row it applies to,
/// so rules that depend on it (a closed organization changes no more) hold for the fresh row.
pub fn write_change(
    conn: &mut DbConn,
    before: OrganizationRow,
    conditional: bool,
    change: impl Fn(&OrganizationRow) -> Result<OrganizationRow, ApiError>,
) -> Result<OrganizationRow, ApiError> {
    let row = change(&before)?;
    match organizations::update(conn, &before, &row) {
        Err(StoreError::Conflict) if conditional => Err(ApiError::PreconditionFailed(
            "the organization changed since the ETag in If-Match was read".into(),
        )),
        Err(StoreError::Conflict) => {
            let fresh = organizations::find_for_update(conn, before.id)?
                .ok_or_else(|| ApiError::not_found("organization"))?;
            let row = change(&fresh)?;
            organizations::update(conn, &fresh, &row).map_err(taken)
        }
        other => other.map_err(taken),
    }
}
