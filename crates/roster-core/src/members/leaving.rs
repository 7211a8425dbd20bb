//! The one way out of an organization: removal, leaving, expiry and account deletion all end a
//! membership here, and with it the member's place in every team of the organization and what
//! they made there. Disabling a user ends what they made everywhere (their memberships stay).

use roster_domain::{OrganizationId, UserId};
use roster_store::invitations::{self, SentBy};
use roster_store::memberships::{self, MembershipRow};
use roster_store::{api_keys, organizations, teams};

use roster_store::events::Actor;

use super::events;
use crate::events::Event;
use crate::teams::events as team_events;
use crate::{api_keys::events as key_events, invitations::events as invitation_events};
use crate::{Context, CoreError};

/// Why a membership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Departure {
    Removed,
    Left,
    Expired,
}

impl Departure {
    fn as_str(self) -> &'static str {
        match self {
            Departure::Removed => "removed",
            Departure::Left => "left",
            Departure::Expired => "expired",
        }
    }

    /// What happened to the member, as the reason of the events that follow from it
    /// (`removed_from_organization`, `left_organization`, `expired_from_organization`).
    fn verb(self) -> &'static str {
        match self {
            Departure::Removed => "removed_from",
            Departure::Left => "left",
            Departure::Expired => "expired_from",
        }
    }
}

/// Ends `membership` (the caller holds the organization's lock and has checked who may):
/// the member leaves each of the organization's teams (`team_member.removed` each), the
/// membership is deleted and uncounted, `membership.deleted` is recorded, and the member's API
/// keys and pending invitations in the organization are revoked, each with its event. Keys and
/// invitations speak for their maker; they do not sleep until the maker comes back.
pub(crate) fn depart(
    cx: &mut Context<'_>,
    membership: &MembershipRow,
    why: Departure,
) -> Result<(), CoreError> {
    let org = membership.organization_id;
    // An expiry is nobody's doing, whichever request happened to notice it.
    let actor = (why == Departure::Expired).then_some(Actor::System);
    let reason = format!("{}_organization", why.verb());
    for (team, place) in teams::remove_from_all(cx.conn(), org, membership.user_id)? {
        let removed = team_events::member_removed(&team, &place, &reason);
        cx.record(match &actor {
            Some(actor) => removed.by(actor.clone()),
            None => removed,
        });
    }
    memberships::delete(cx.conn(), org, membership.user_id)?;
    organizations::add_members(cx.conn(), org, -1)?;
    let deleted = events::deleted(membership, why.as_str());
    cx.record(match &actor {
        Some(actor) => deleted.by(actor.clone()),
        None => deleted,
    });
    let reason = format!("member_{}", why.as_str());
    end_what_they_made(cx, membership.user_id, Some(org), &reason, actor)
}

/// Revokes the API keys `user` made and the invitations they sent, in one organization or
/// (`None`) everywhere, personal keys included; each with its event, `reason` in its data,
/// recorded as `actor`'s (else the caller's).
pub(crate) fn end_what_they_made(
    cx: &mut Context<'_>,
    user: UserId,
    organization: Option<OrganizationId>,
    reason: &str,
    actor: Option<Actor>,
) -> Result<(), CoreError> {
    let now = cx.now();
    let by = |event: Event| match &actor {
        Some(actor) => event.by(actor.clone()),
        None => event,
    };
    for key in api_keys::revoke_made_by(cx.conn(), user, organization, now)? {
        cx.record(by(key_events::revoked(&key, reason)));
    }
    // The invitations they sent include those made with their keys.
    let sender = SentBy::User { user, organization };
    for invitation in invitations::revoke_sent_by(cx.conn(), sender, now)? {
        cx.record(by(invitation_events::revoked(&invitation, reason)));
    }
    Ok(())
}

/// Revokes the pending invitations made with `key` (now revoked): a leaked key leaves no
/// way in behind it.
pub(crate) fn end_invitations_of_key(
    cx: &mut Context<'_>,
    key: &roster_store::api_keys::ApiKeyRow,
    reason: &str,
) -> Result<(), CoreError> {
    let now = cx.now();
    for invitation in invitations::revoke_sent_by(cx.conn(), SentBy::Key(key.id), now)? {
        cx.record(invitation_events::revoked(&invitation, reason));
    }
    Ok(())
}
