//! `events.list_organization`: an organization's audit log, oldest first.

use roster_domain::OrgKey;
use roster_domain::Permission;
use roster_store::events;

use super::view::Event;
use super::TypeFilter;
use crate::pagination::Listed;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListOrganizationEvents {
    pub organization: OrgKey,
    pub kind: Option<TypeFilter>,
    /// Continue after this sequence number (0: from the start).
    pub after: i64,
    /// Rows per page; one more is read, to tell whether more follow.
    pub limit: i64,
}

impl Declared for ListOrganizationEvents {
    const NAME: &'static str = "events.list_organization";
    const REQUIRES: Requirement = Requirement::Organization(Permission::EventsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListOrganizationEvents {
    type Output = Listed<Event>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Event>, CoreError> {
        let access = cx.organization(&self.organization)?;
        let filter = TypeFilter::to_filter(self.kind.as_ref());
        let rows = events::list_organization(
            cx.conn(),
            access.org.id,
            &filter,
            self.after,
            self.limit + 1,
        )?;
        Ok(Listed { rows, total: None }.map(Event::from))
    }
}
