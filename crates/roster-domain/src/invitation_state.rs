/// Where an invitation stands, as stored. A pending invitation past its expiry reads as
/// `expired` ([`InvitationState::read_at`]) from that moment, whether or not the background
/// sweep has stored `expired` (with its `invitation.expired` event) yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvitationState {
    Pending,
    Accepted,
    Revoked,
    /// Past its expiry, as the sweep recorded it.
    Expired,
    /// Its invitee said no.
    Declined,
}

impl InvitationState {
    pub const fn as_str(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Accepted => "accepted",
            InvitationState::Revoked => "revoked",
            InvitationState::Expired => "expired",
            InvitationState::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<InvitationState> {
        match raw {
            "pending" => Some(InvitationState::Pending),
            "accepted" => Some(InvitationState::Accepted),
            "revoked" => Some(InvitationState::Revoked),
            "expired" => Some(InvitationState::Expired),
            "declined" => Some(InvitationState::Declined),
            _ => None,
        }
    }

    /// The state a reader sees: `expired` for a pending invitation whose time is up.
    pub fn read_at(self, expired: bool) -> &'static str {
        match self {
            InvitationState::Pending if expired => "expired",
            other => other.as_str(),
        }
    }
}

stored_as_text!(InvitationState, "invitation state");
