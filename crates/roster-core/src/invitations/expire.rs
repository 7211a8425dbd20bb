//! `invitations.expire`: the background sweep stores `expired` for pending invitations past
//! their time, each with its `invitation.expired` event. They could not be accepted from the
//! moment they expired; this tells the audit log and the webhooks (an application may want to
//! remind the inviter).

use roster_store::invitations;

use super::events;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ExpireInvitations {
    /// Invitations per transaction, at most.
    pub limit: i64,
}

impl Declared for ExpireInvitations {
    const NAME: &'static str = "invitations.expire";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for ExpireInvitations {
    type Output = usize;

    fn run(self, cx: &mut Context<'_>) -> Result<usize, CoreError> {
        let now = cx.now();
        let expired = invitations::expire_due(cx.conn(), now, self.limit)?;
        for invitation in &expired {
            cx.record(events::expired(invitation));
        }
        Ok(expired.len())
    }
}
