//! `invitations.create`: a one-time token that lets the person with this email join with this
//! role. Roster mails it to the address; the response carries it too (for an application that
//! delivers its own invitations), and the database keeps only its SHA-256. Inviting an email again replaces its pending
//! invitation, when the caller may withdraw that one.

use std::fmt;

use roster_auth::new_invitation_token;
use roster_domain::OrgKey;
use roster_domain::{
    ApiKeyId, Email, FieldError, InvitationId, InvitationState, Permission, Role, UserId,
};
use roster_store::invitations::{self, InvitationRow};
use roster_store::{OrganizationRow, Ts};

use super::{events, Invitation};
use crate::access::OrgAccess;
use crate::limits::ensure_room;
use crate::members::rules;
use crate::{
    Caller, Context, CoreError, Declared, Kind, LimitKind, Operation, Requirement, Secrets,
};

/// Invitations last a week unless asked otherwise; a month at most.
pub const DEFAULT_HOURS: i64 = 168;
pub const MAX_HOURS: i64 = 720;

#[derive(Debug, Clone)]
pub struct CreateInvitation {
    pub organization: OrgKey,
    pub email: Email,
    pub role: Role,
    pub expires_in_hours: i64,
}

/// A new invitation and its token, shown this once.
#[derive(Clone)]
pub struct CreatedInvitation {
    pub invitation: Invitation,
    pub token: String,
}

impl fmt::Debug for CreatedInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedInvitation")
            .field("invitation", &self.invitation.id)
            .finish_non_exhaustive()
    }
}

impl Declared for CreateInvitation {
    const NAME: &'static str = "invitations.create";
    const REQUIRES: Requirement = Requirement::Organization(Permission::InvitationsWrite);
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for CreateInvitation {
    type Output = CreatedInvitation;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedInvitation, CoreError> {
        let access = cx.organization(&self.organization)?;
        invite(cx, &access, self.email, self.role, self.expires_in_hours)
    }
}

/// Who sends an invitation: a user, and the API key they sent it with, if any (the
/// invitation ends when that key is revoked).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sender {
    pub user: UserId,
    pub key: Option<ApiKeyId>,
}

impl Sender {
    pub(crate) fn of(caller: &Caller) -> Sender {
        Sender {
            user: caller.id(),
            key: caller.api_key_id(),
        }
    }
}

/// Invites `email` into the organization of `access`, once the caller may hand on `role`.
/// A pending invitation of the same email is replaced, if the caller may withdraw it.
pub(crate) fn invite(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    email: Email,
    role: Role,
    expires_in_hours: i64,
) -> Result<CreatedInvitation, CoreError> {
    if !(1..=MAX_HOURS).contains(&expires_in_hours) {
        return Err(CoreError::field(FieldError::new(
            "expires_in_hours",
            "out_of_range",
            format!("must be between 1 and {MAX_HOURS}"),
        )));
    }
    // Locked before the role is read, so the role cannot be deleted meanwhile.
    let org = crate::members::lock(cx, access)?;
    let grants = rules::granted_by(cx.conn(), org.id, &role, &[], "role")?;
    rules::may_hand_on(access, &role, &grants)?;
    if let Some(previous) = invitations::pending_for(cx.conn(), org.id, email.as_str())? {
        let now = cx.now();
        // Replacing an invitation withdraws it: the same rule as revoking it. One that has
        // expired holds nothing any more, and anyone who may invite replaces it.
        if previous.is_open(now) {
            rules::may_withdraw(cx.conn(), access, &previous)?;
        }
        invitations::revoke(cx.conn(), previous.id, now)?;
        cx.record(events::revoked(&previous, "replaced"));
    }
    let sender = Sender::of(&access.caller);
    invite_into(cx, &org, sender, email, role, expires_in_hours)
}

/// Makes the invitation in `org` (locked by the caller, or new in this transaction); the
/// caller has checked who may, and that no invitation of `email` is pending.
pub(crate) fn invite_into(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    sender: Sender,
    email: Email,
    role: Role,
    expires_in_hours: i64,
) -> Result<CreatedInvitation, CoreError> {
    let now = cx.now();
    ensure_room(cx, org, LimitKind::Invitations, 1)?;
    let secret = new_invitation_token();
    let invitation = InvitationRow {
        id: InvitationId::new(),
        organization_id: org.id,
        email: email.into_string(),
        role,
        token_hash: secret.hash,
        state: InvitationState::Pending,
        invited_by: Some(sender.user),
        invited_by_key: sender.key,
        expires_at: Ts::from_datetime(now.0 + chrono::Duration::hours(expires_in_hours)),
        created_at: now,
        accepted_at: None,
        accepted_by: None,
        revoked_at: None,
        declined_at: None,
    };
    invitations::insert(cx.conn(), &invitation)?;
    cx.record(events::created(&invitation));
    send(cx, org, &invitation, &secret.plaintext)?;
    Ok(CreatedInvitation {
        invitation: Invitation::read_at(invitation, org.clone(), now),
        token: secret.plaintext,
    })
}

/// Mails `invitation` with its `token` to the address it was sent to.
pub(crate) fn send(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    invitation: &InvitationRow,
    token: &str,
) -> Result<(), CoreError> {
    let inviter = match invitation.invited_by {
        Some(id) => roster_store::users::find(cx.conn(), id)?.map(|u| u.name.unwrap_or(u.email)),
        None => None,
    };
    let settings = &cx.core().settings().mail;
    let message = crate::mail::invitation(
        settings,
        &invitation.email,
        org,
        invitation.role.as_str(),
        inviter,
        invitation.id,
        token,
        invitation.expires_at,
    );
    cx.send_mail(message)
}
