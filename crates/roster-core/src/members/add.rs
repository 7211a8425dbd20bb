//! `members.add`: an existing account by `user_id` joins at once; by `email`, a pending
//! invitation is made instead, whether or not the email has an account, so that the answer
//! never tells whether it has one.

use crate::members::Membership;
use chrono::{DateTime, Utc};
use roster_domain::OrgKey;
use roster_domain::{parse_tags, Email, FieldError, Permission, Role, UserId};
use roster_store::memberships::{self, MembershipRow};
use roster_store::organizations;
use roster_store::{users, OrganizationRow, Ts};

use super::joining::{join, Joining};
use super::{remove_expired_in, rules};
use crate::access::OrgAccess;
use crate::invitations::{invite, CreatedInvitation, DEFAULT_HOURS};
use crate::limits::ensure_room;
use crate::standing::member_standing;
use crate::{
    Conflict, Context, CoreError, Declared, Kind, LimitKind, Operation, Requirement, Secrets,
};

#[derive(Debug, Clone)]
pub struct AddMember {
    pub organization: OrgKey,
    pub who: Invitee,
    pub role: Role,
    /// Application permission tags (by `user_id` only).
    pub permissions: Vec<String>,
    /// When the membership ends by itself (by `user_id` only).
    /// UTC, to the microsecond ([`roster_domain::storable_instant`]).
    pub expires_at: Option<DateTime<Utc>>,
}

/// Whom to add.
#[derive(Debug, Clone)]
pub enum Invitee {
    User(UserId),
    Email(Email),
}

/// What adding did.
#[derive(Debug, Clone)]
pub enum Added {
    /// The user is a member now.
    Member(Box<Membership>),
    Invited(Box<CreatedInvitation>),
}

impl Declared for AddMember {
    const NAME: &'static str = "members.add";
    const REQUIRES: Requirement = Requirement::Organization(Permission::MembersWrite);
    const KIND: Kind = Kind::Write;
    // Adding by email answers with the invitation's token.
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for AddMember {
    type Output = Added;

    fn run(self, cx: &mut Context<'_>) -> Result<Added, CoreError> {
        let access = cx.organization(&self.organization)?;
        match self.who {
            Invitee::Email(email) => {
                if !self.permissions.is_empty() || self.expires_at.is_some() {
                    return Err(CoreError::field(FieldError::new(
                        "email",
                        "invitation",
                        "an invitation carries a role only; add permissions and expires_at once the person has joined",
                    )));
                }
                invite(cx, &access, email, self.role, DEFAULT_HOURS)
                    .map(|invited| Added::Invited(Box::new(invited)))
            }
            Invitee::User(user) => {
                let new = NewMembership {
                    user,
                    role: self.role,
                    permissions: self.permissions,
                    expires_at: self.expires_at.map(Ts::from_datetime),
                };
                add_user(cx, &access, new).map(|m| Added::Member(Box::new(m.into())))
            }
        }
    }
}

struct NewMembership {
    user: UserId,
    role: Role,
    permissions: Vec<String>,
    expires_at: Option<Ts>,
}

fn add_user(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    new: NewMembership,
) -> Result<MembershipRow, CoreError> {
    access.org.state.ensure_mutable()?;
    let now = cx.now();
    let tags = parse_tags(new.permissions, "permissions")?;
    rules::check_expiry(&new.role, new.expires_at, now)?;
    // Locked before the role is read, so the role cannot be deleted meanwhile.
    let org = lock(cx, access)?;
    let grants = rules::granted_by(cx.conn(), org.id, &new.role, &tags, "role")?;
    rules::may_hand_on(access, &new.role, &grants)?;
    // Held from here on (the organization first, then its user, as everywhere), before
    // anything of theirs in the organization is touched below.
    match users::hold(cx.conn(), new.user)? {
        None => {
            return Err(CoreError::field(FieldError::new(
                "user_id",
                "not_found",
                "no such user",
            )))
        }
        Some(user) if !user.is_active() => {
            return Err(CoreError::field(FieldError::new(
                "user_id",
                "disabled",
                "this account is disabled",
            )))
        }
        Some(_) => {}
    }
    if memberships::find_current(cx.conn(), org.id, new.user, now)?.is_some() {
        return Err(CoreError::Conflict(Conflict::AlreadyMember));
    }
    // An expired membership of theirs that is not removed yet makes way for the new one.
    remove_expired_in(cx, org.id)?;
    let org = organizations::find(cx.conn(), org.id)?.ok_or(CoreError::NotFound("organization"))?;
    ensure_room(cx, &org, LimitKind::Members, 1)?;
    let joining = Joining {
        user: new.user,
        role: new.role,
        permissions: tags,
        expires_at: new.expires_at,
    };
    join(cx, &org, joining)
}

/// The organization, locked for a change to its memberships, roles, invitations or keys, and
/// still open.
///
/// The caller was authorized before the lock was taken. If its own standing changed meanwhile
/// (a request that held the lock demoted or removed it), the transaction starts over, so that
/// it is judged on what holds now: it cannot act on a right it just lost.
pub(crate) fn lock(cx: &mut Context<'_>, access: &OrgAccess) -> Result<OrganizationRow, CoreError> {
    let org = organizations::lock(cx.conn(), access.org.id)?
        .ok_or(CoreError::NotFound("organization"))?;
    org.state.ensure_mutable()?;
    let now = cx.now();
    let (membership, custom_role) = member_standing(cx.conn(), org.id, access.caller.id(), now)?;
    if membership != access.membership || custom_role != access.custom_role {
        return Err(CoreError::Busy);
    }
    Ok(org)
}
