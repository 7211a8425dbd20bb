//! `members.transfer_ownership`: a member becomes owner and, unless the caller keeps its own
//! ownership, the caller becomes admin, in one transaction.

use crate::members::Membership;
use roster_domain::OrgKey;
use roster_domain::{FieldError, Role, UserId};
use roster_store::memberships;

use super::events;
use super::lock;
use super::owners::{ensure_owner_remains, keep_personal_owner};
use crate::invitations::end_invitations_that_no_longer_hold;
use crate::{Context, CoreError, Declared, Forbidden, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct TransferOwnership {
    pub organization: OrgKey,
    pub to: UserId,
    /// The caller stays an owner too.
    pub keep_owner: bool,
}

/// Both sides of a transfer: the caller's membership (when it has one) and the new owner's.
#[derive(Debug, Clone)]
pub struct Transferred {
    pub previous_owner: Option<Membership>,
    pub new_owner: Membership,
}

impl Declared for TransferOwnership {
    const NAME: &'static str = "members.transfer_ownership";
    const REQUIRES: Requirement = Requirement::OrganizationOwner;
    const KIND: Kind = Kind::Write;
}

impl Operation for TransferOwnership {
    type Output = Transferred;

    fn run(self, cx: &mut Context<'_>) -> Result<Transferred, CoreError> {
        let access = cx.organization(&self.organization)?;
        if access.caller.api_key().is_some() {
            return Err(CoreError::forbidden(Forbidden::Policy(
                "ownership is handed over by a person, not by an API key",
            )));
        }
        let caller = access.caller.id();
        if self.to == caller {
            return Err(CoreError::field(FieldError::new(
                "user_id",
                "self",
                "name the member who is to become owner",
            )));
        }
        let now = cx.now();
        let org = lock(cx, &access)?;
        let (before, user) = memberships::find_with_user(cx.conn(), org.id, self.to, now)?
            .ok_or_else(|| {
                CoreError::field(FieldError::new(
                    "user_id",
                    "not_a_member",
                    "ownership goes to a current member",
                ))
            })?;
        let mut after = before.clone();
        after.role = Role::Owner;
        after.expires_at = None;
        after.updated_at = now;
        memberships::update(cx.conn(), &after)?;
        if let Some(event) = events::updated(&before, &after, Some("ownership_transferred")) {
            cx.record(event);
        }
        let mut previous_owner = None;
        if let Some((mine, me)) = memberships::find_with_user(cx.conn(), org.id, caller, now)? {
            if !self.keep_owner && mine.role == Role::Owner {
                keep_personal_owner(&org, caller)?;
                let mut demoted = mine.clone();
                demoted.role = Role::Admin;
                demoted.updated_at = now;
                memberships::update(cx.conn(), &demoted)?;
                if let Some(event) = events::updated(&mine, &demoted, Some("ownership_transferred"))
                {
                    cx.record(event);
                }
                previous_owner = Some((demoted, me));
            } else {
                previous_owner = Some((mine, me));
            }
        }
        ensure_owner_remains(cx, &org)?;
        // A former owner's invitations to be an owner no longer hold.
        end_invitations_that_no_longer_hold(cx, org.id, Some(caller))?;
        Ok(Transferred {
            previous_owner: previous_owner.map(Membership::from),
            new_owner: (after, user).into(),
        })
    }
}
