//! `invitations.revoke`: a pending invitation stops working (its token with it). Revoking one
//! that is revoked or expired already changes nothing; an accepted one is 409. Revoking another
//! member's invitation takes what its role grants (an owner's invitation to be an owner is an
//! owner's to withdraw).

use roster_domain::OrgKey;
use roster_domain::{InvitationId, InvitationState, Permission};
use roster_store::invitations;

use super::{etag, events};
use crate::members::lock;
use crate::members::rules::may_withdraw;
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct RevokeInvitation {
    pub organization: OrgKey,
    pub id: InvitationId,
    pub precondition: Precondition,
}

impl Declared for RevokeInvitation {
    const NAME: &'static str = "invitations.revoke";
    const REQUIRES: Requirement = Requirement::Organization(Permission::InvitationsWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for RevokeInvitation {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let access = cx.organization(&self.organization)?;
        // Under the organization's lock, as acceptance is: of a revocation and an acceptance
        // at once, one wins and the other is told so.
        let org = lock(cx, &access)?;
        let invitation = invitations::find(cx.conn(), org.id, self.id)?
            .ok_or(CoreError::NotFound("invitation"))?;
        self.precondition.check(&etag(&invitation))?;
        match invitation.state {
            InvitationState::Accepted => Err(CoreError::Conflict(Conflict::InvitationAccepted)),
            // Ended already: nothing to withdraw.
            InvitationState::Revoked | InvitationState::Expired | InvitationState::Declined => {
                Ok(())
            }
            InvitationState::Pending => {
                may_withdraw(cx.conn(), &access, &invitation)?;
                let now = cx.now();
                if invitations::revoke(cx.conn(), invitation.id, now)? {
                    cx.record(events::revoked(&invitation, "revoked"));
                }
                Ok(())
            }
        }
    }
}
