//! `organizations.delete`: close an organization, or (forced, with its name to confirm) delete
//! it and everything it owns. Its events stay.

use roster_domain::OrgKey;
use roster_domain::{FieldError, OrgState, Permission};
use roster_store::organizations;

use super::write::write_change;
use super::{close, events};
use super::{etag, Organization};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct DeleteOrganization {
    pub organization: OrgKey,
    /// Delete for good instead of closing; `confirm` must then be the organization's name.
    pub force: bool,
    pub confirm: Option<String>,
    pub precondition: Precondition,
}

#[derive(Debug, Clone)]
pub enum Deleted {
    /// Closed, and still readable.
    Closed(Box<Organization>),
    /// Gone with everything it owned.
    Deleted,
}

impl Declared for DeleteOrganization {
    const NAME: &'static str = "organizations.delete";
    const REQUIRES: Requirement = Requirement::Organization(Permission::OrganizationDelete);
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteOrganization {
    type Output = Deleted;

    fn run(self, cx: &mut Context<'_>) -> Result<Deleted, CoreError> {
        let access = cx.organization(&self.organization)?;
        let org = organizations::find_for_update(cx.conn(), access.org.id)?
            .ok_or(CoreError::NotFound("organization"))?;
        self.precondition.check(&etag(&org))?;
        if self.force {
            if self.confirm.as_deref() != Some(org.name.as_str()) {
                return Err(CoreError::field(FieldError::new(
                    "confirm",
                    "mismatch",
                    "force=true needs confirm=<the organization's name>",
                )));
            }
            organizations::delete(cx.conn(), org.id)?;
            cx.record(events::deleted(&org));
            return Ok(Deleted::Deleted);
        }
        let now = cx.now();
        let (_, closed) = write_change(cx.conn(), org, &self.precondition, |before| {
            let mut row = before.clone();
            close::transition(&mut row, OrgState::Closed, now)?;
            row.updated_at = now;
            Ok(row)
        })?;
        cx.record(events::closed(&closed));
        Ok(Deleted::Closed(Box::new(closed.into())))
    }
}
