//! `events.list`: every event, for platform admins; a forced delete keeps an organization's.

use roster_domain::OrganizationId;
use roster_store::events;

use super::view::Event;
use super::TypeFilter;
use crate::pagination::Listed;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListEvents {
    pub organization: Option<OrganizationId>,
    pub kind: Option<TypeFilter>,
    /// Continue after this position (0: from the start).
    pub after: i64,
    /// Rows per page; one more is read, to tell whether more follow.
    pub limit: i64,
}

impl Declared for ListEvents {
    const NAME: &'static str = "events.list";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    // It numbers the events committed so far before reading (see `run`): that writes.
    const KIND: Kind = Kind::Write;
}

impl Operation for ListEvents {
    type Output = Listed<Event>;

    /// The whole log is read by position, which events get after they commit. Numbering what
    /// has committed first lets a caller read its own writes at once, whatever the sequencer
    /// in the background is doing.
    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Event>, CoreError> {
        let now = cx.now();
        if events::any_unsequenced(cx.conn())? {
            while crate::outbox::sequence_batch(cx.conn(), now)?.events > 0 {}
        }
        let filter = TypeFilter::to_filter(self.kind.as_ref());
        let rows = events::list_all(
            cx.conn(),
            self.organization,
            &filter,
            self.after,
            self.limit + 1,
        )?;
        Ok(Listed { rows, total: None }.map(Event::from))
    }
}
