//! Invitations: asking someone by email to join an organization with a role.

mod accept;
mod create;
mod decline;
pub(crate) mod events;
mod expire;
mod holding;
mod invitation;
mod list;
mod resend;
mod revoke;

pub use accept::AcceptInvitation;
pub(crate) use create::{invite, invite_into, Sender};
pub use create::{CreateInvitation, CreatedInvitation, DEFAULT_HOURS, MAX_HOURS};
pub use decline::DeclineInvitation;
pub use expire::ExpireInvitations;
pub(crate) use holding::{end_invitations_that_no_longer_hold, invitation_holds};
pub(crate) use invitation::etag;
pub use invitation::Invitation;
pub use list::{InvitationCursor, ListInvitations, ListMyInvitations, ListedInvitations};
pub use resend::ResendInvitation;
pub use revoke::RevokeInvitation;
pub use roster_domain::StateFilter;

use roster_store::invitations::InvitationRow;

/// `Ok` while `invitation` is open at `now`; otherwise the refusal its state calls for: 409
/// `invitation-accepted`, `invitation-revoked` or `invitation-declined`, 410 when expired.
pub(crate) fn ensure_open(
    invitation: &InvitationRow,
    now: roster_store::Ts,
) -> Result<(), crate::CoreError> {
    use crate::{Conflict, CoreError};
    use roster_domain::InvitationState;
    match invitation.state {
        InvitationState::Accepted => Err(CoreError::Conflict(Conflict::InvitationAccepted)),
        InvitationState::Revoked => Err(CoreError::Conflict(Conflict::InvitationRevoked)),
        InvitationState::Declined => Err(CoreError::Conflict(Conflict::InvitationDeclined)),
        InvitationState::Expired => Err(CoreError::Gone("this invitation has expired".into())),
        InvitationState::Pending if invitation.expires_at <= now => {
            Err(CoreError::Gone("this invitation has expired".into()))
        }
        InvitationState::Pending => Ok(()),
    }
}

/// The hash a presented invitation token is stored as: 422 on `token` unless it has the shape
/// of one (`rsi_…`).
pub(crate) fn token_hash(token: &str) -> Result<Vec<u8>, crate::CoreError> {
    if !roster_auth::looks_like_invitation_token(token) {
        return Err(crate::CoreError::field(roster_domain::FieldError::new(
            "token",
            "invalid_format",
            "an invitation token starts with rsi_",
        )));
    }
    Ok(roster_auth::hash_secret(token))
}

/// The invitation whose token is stored as `hash`, as it is now: 404 `invitation` for none.
pub(crate) fn by_token(
    cx: &mut crate::Context<'_>,
    hash: &[u8],
) -> Result<InvitationRow, crate::CoreError> {
    roster_store::invitations::find_by_token_hash(cx.conn(), hash)?
        .map(|(invitation, _)| invitation)
        .ok_or(crate::CoreError::NotFound("invitation"))
}
