//! `invitations.decline`: the invitee says no, with the token that was mailed to them (no
//! sign-in needed: the token is the proof). The invitation's state becomes `declined`, with its
//! event; a declined invitation can no longer be accepted. Under the organization's lock, as
//! acceptance and revocation are: of two at once, one wins and the other is told so.

use std::fmt;

use roster_domain::InvitationState;
use roster_store::{invitations, organizations};

use super::events;
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Clone)]
pub struct DeclineInvitation {
    pub token: String,
}

impl fmt::Debug for DeclineInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeclineInvitation { .. }")
    }
}

impl Declared for DeclineInvitation {
    const NAME: &'static str = "invitations.decline";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Operation for DeclineInvitation {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let hash = super::token_hash(&self.token)?;
        let found = super::by_token(cx, &hash)?;
        organizations::lock(cx.conn(), found.organization_id)?
            .ok_or(CoreError::NotFound("invitation"))?;
        let invitation = super::by_token(cx, &hash)?;
        let now = cx.now();
        // Saying no twice is still no.
        if invitation.state == InvitationState::Declined {
            return Ok(());
        }
        super::ensure_open(&invitation, now)?;
        if !invitations::decline(cx.conn(), invitation.id, now)? {
            return Err(CoreError::Conflict(Conflict::InvitationRevoked));
        }
        // The invitee's doing, whoever is signed in (if anyone).
        cx.act_as(roster_store::events::Actor::System);
        cx.record(events::declined(&invitation));
        Ok(())
    }
}
