//! `invitations.resend`: mails a pending invitation again, with a new token (the link sent
//! before stops working, so a forwarded or leaked old mail lets nobody in). Throttled per
//! invitation. The invitation must still hold: its sender could still give it.

use roster_auth::new_invitation_token;
use roster_domain::OrgKey;
use roster_domain::{InvitationId, Permission};
use roster_store::invitations;

use super::{events, invitation_holds, CreatedInvitation, Invitation};
use crate::rate_limit::{self, Quota};
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

/// Once a minute, five times a day, per invitation.
const RESEND: [Quota; 2] = [Quota::per(1, 60), Quota::per(5, 86_400)];

#[derive(Debug, Clone)]
pub struct ResendInvitation {
    pub organization: OrgKey,
    pub id: InvitationId,
}

impl Declared for ResendInvitation {
    const NAME: &'static str = "invitations.resend";
    const REQUIRES: Requirement = Requirement::Organization(Permission::InvitationsWrite);
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for ResendInvitation {
    type Output = CreatedInvitation;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedInvitation, CoreError> {
        let access = cx.organization(&self.organization)?;
        let org = crate::members::lock(cx, &access)?;
        let invitation = invitations::find(cx.conn(), org.id, self.id)?
            .ok_or(CoreError::NotFound("invitation"))?;
        let now = cx.now();
        super::ensure_open(&invitation, now)?;
        if !invitation_holds(cx.conn(), &invitation, now)? {
            return Err(CoreError::Conflict(Conflict::InvitationRevoked));
        }
        let bucket = format!("invitation:{}", invitation.id);
        rate_limit::take(
            cx,
            &[(&bucket, RESEND[0]), (&bucket, RESEND[1])],
            "this invitation was sent moments ago; try again later",
        )?;
        let secret = new_invitation_token();
        if !invitations::replace_token(cx.conn(), invitation.id, &secret.hash)? {
            return Err(CoreError::Conflict(Conflict::InvitationRevoked));
        }
        let invitation = invitations::InvitationRow {
            token_hash: secret.hash,
            ..invitation
        };
        cx.record(events::resent(&invitation));
        super::create::send(cx, &org, &invitation, &secret.plaintext)?;
        Ok(CreatedInvitation {
            invitation: Invitation::read_at(invitation, org, now),
            token: secret.plaintext,
        })
    }
}
