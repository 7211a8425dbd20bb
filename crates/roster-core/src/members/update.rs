//! `members.update`: a member's role, tags and expiry. Nobody changes a member who holds more
//! than they do, hands on more than they hold, or makes or unmakes an owner without being one;
//! the organization keeps an active owner.

use crate::members::Membership;
use chrono::{DateTime, Utc};
use roster_domain::OrgKey;
use roster_domain::{parse_tags, Permission, Role, UserId};
use roster_store::memberships;
use roster_store::Ts;

use super::lock;
use super::owners::{ensure_owner_remains, keep_personal_owner};
use super::{etag, events, rules, target_grants};
use crate::invitations::end_invitations_that_no_longer_hold;
use crate::{Context, CoreError, Declared, Forbidden, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct UpdateMember {
    pub organization: OrgKey,
    pub user: UserId,
    pub role: Option<Role>,
    pub permissions: Option<Vec<String>>,
    /// `Some(None)` clears the expiry.
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub precondition: Precondition,
}

impl Declared for UpdateMember {
    const NAME: &'static str = "members.update";
    const REQUIRES: Requirement = Requirement::Organization(Permission::MembersWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateMember {
    type Output = Membership;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let access = cx.organization(&self.organization)?;
        let now = cx.now();
        let tags = self
            .permissions
            .map(|tags| parse_tags(tags, "permissions"))
            .transpose()?;
        let org = lock(cx, &access)?;
        let (before, user) = memberships::find_with_user(cx.conn(), org.id, self.user, now)?
            .ok_or(CoreError::NotFound("member"))?;
        self.precondition.check(&etag(&before))?;
        if !access.is_self(self.user) {
            access.require_covers(&target_grants(cx, &before)?)?;
        }
        let mut after = before.clone();
        if let Some(role) = self.role {
            after.role = role;
        }
        if let Some(tags) = tags {
            after.permissions = tags;
        }
        if let Some(expires_at) = self.expires_at {
            after.expires_at = expires_at.map(Ts::from_datetime);
        }
        if after == before {
            return Ok((before, user).into());
        }
        if before.role == Role::Owner || after.role == Role::Owner {
            // Only an owner makes or unmakes owners (and touches an owner's membership).
            access.require_owner()?;
        }
        if before.role == Role::Owner && after.role != Role::Owner {
            keep_personal_owner(&org, self.user)?;
        }
        if after.role != before.role || after.permissions != before.permissions {
            let grants =
                rules::granted_by(cx.conn(), org.id, &after.role, &after.permissions, "role")?;
            rules::may_hand_on(&access, &after.role, &grants)?;
        }
        if after.expires_at != before.expires_at || after.role != before.role {
            rules::check_expiry(&after.role, after.expires_at, now)?;
        }
        if access.concerns_own_membership(self.user)
            && lengthens(before.expires_at, after.expires_at)
        {
            // A contractor's end date is someone else's decision, whatever role they hold.
            return Err(CoreError::forbidden(Forbidden::Policy(
                "you cannot lengthen your own membership; another member with members:write can",
            )));
        }
        after.updated_at = now;
        memberships::update(cx.conn(), &after)?;
        if let Some(event) = events::updated(&before, &after, None) {
            cx.record(event);
        }
        ensure_owner_remains(cx, &org)?;
        if after.role != before.role || after.permissions != before.permissions {
            // What they sent may ask for more than they may grant now.
            end_invitations_that_no_longer_hold(cx, org.id, Some(self.user))?;
        }
        Ok((after, user).into())
    }
}

/// Whether a membership ending at `after` lasts longer than one ending at `before` (`None`:
/// never ends).
fn lengthens(before: Option<Ts>, after: Option<Ts>) -> bool {
    match (before, after) {
        (Some(_), None) => true,
        (Some(before), Some(after)) => after > before,
        (None, _) => false,
    }
}
