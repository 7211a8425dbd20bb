//! Proven addresses. Sign-up, an email change and a platform admin's change of address mail a
//! one-time link (24 h) to the address; following it (`users.verify_email`) proves it. A
//! changed address waits in `pending_email` and holds nothing (not sign-in, not invitations,
//! not uniqueness) until then; once proven it replaces the old one, which is told.

use std::fmt;

use roster_auth::{looks_like_verification_token, new_verification_token};
use roster_store::account_tokens::{self, purpose};
use roster_store::users::{UserChanges, UserRow};

use super::tokens;
use crate::rate_limit::{self, Quota};
use crate::users::profile::{apply, lock};
use crate::users::{events, User};
use crate::{mail, Conflict, Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

/// How long a verification link works.
const LIFETIME_HOURS: i64 = 24;

/// Asking for the link again: once a minute, five times an hour, per account.
const RESEND: [Quota; 2] = [Quota::per(1, 60), Quota::per(5, 3_600)];

/// Mails `user` a link that proves `address` (their email, or the one they are changing to).
pub(crate) fn send_verification(
    cx: &mut Context<'_>,
    user: &UserRow,
    address: &str,
) -> Result<(), CoreError> {
    let issued = tokens::issue(
        cx,
        user,
        purpose::VERIFY_EMAIL,
        address,
        new_verification_token(),
        chrono::Duration::hours(LIFETIME_HOURS),
    )?;
    let settings = &cx.core().settings().mail;
    let message = mail::verify_email(
        settings,
        user,
        address,
        issued.id.0,
        &issued.plaintext,
        issued.expires_at,
    );
    cx.send_mail(message)
}

/// Makes `address`, now proven, the verified address of `before` (locked by the caller): its
/// email, or its pending email, which then replaces the email (409 when someone else proved
/// it first) and the former address is told. 400 `invalid-token` for any other address (the
/// user changed their mind since the link was sent).
pub(crate) fn verify_address(
    cx: &mut Context<'_>,
    before: &UserRow,
    address: &str,
) -> Result<UserRow, CoreError> {
    let now = cx.now();
    if before.email == address {
        if before.email_verified() {
            return Ok(before.clone());
        }
        let changes = UserChanges {
            email_verified_at: Some(Some(now)),
            ..UserChanges::default()
        };
        let after = apply(cx.conn(), before, changes, now)?;
        cx.record(events::email_verified(&after));
        return Ok(after);
    }
    if before.pending_email.as_deref() != Some(address) {
        return Err(tokens::invalid());
    }
    let changes = UserChanges {
        email: Some(address.to_owned()),
        pending_email: Some(None),
        email_verified_at: Some(Some(now)),
        ..UserChanges::default()
    };
    let after = apply(cx.conn(), before, changes, now)?;
    for event in events::changed(before, &after, &[]) {
        cx.record(event);
    }
    cx.record(events::email_verified(&after));
    // Reset links went to the former address: they end with it.
    account_tokens::end_all(cx.conn(), after.id, purpose::PASSWORD_RESET, now)?;
    let settings = &cx.core().settings().mail;
    let message = mail::email_changed(settings, before, &after);
    cx.send_mail(message)?;
    Ok(after)
}

/// `users.verify_email`: the link's token proves its address. Anyone holding the token may
/// use it (it was mailed to that address); no sign-in is needed.
#[derive(Clone)]
pub struct VerifyEmail {
    pub token: String,
}

impl fmt::Debug for VerifyEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerifyEmail { .. }")
    }
}

impl Declared for VerifyEmail {
    const NAME: &'static str = "users.verify_email";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Operation for VerifyEmail {
    type Output = User;

    fn run(self, cx: &mut Context<'_>) -> Result<User, CoreError> {
        if !looks_like_verification_token(&self.token) {
            return Err(tokens::invalid());
        }
        let token = tokens::consume(cx, purpose::VERIFY_EMAIL, &self.token)?;
        let before = lock(cx.conn(), token.user_id).map_err(|_| tokens::invalid())?;
        if !before.is_active() {
            return Err(tokens::invalid());
        }
        // Who proved it is the account's owner, whoever carried the token.
        cx.act_as(crate::events::user_actor(&before));
        verify_address(cx, &before, &token.email).map(User::from)
    }
}

/// `users.resend_verification`: mails the caller's verification link again (to the pending
/// address when a change waits, else to the unproven email). Throttled per account.
#[derive(Debug, Clone)]
pub struct ResendVerification;

impl Declared for ResendVerification {
    const NAME: &'static str = "users.resend_verification";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
}

impl Operation for ResendVerification {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let caller = cx.signed_in()?.id();
        let user =
            roster_store::users::find(cx.conn(), caller)?.ok_or(CoreError::NotFound("user"))?;
        let address =
            match (&user.pending_email, user.email_verified()) {
                (Some(pending), _) => pending.clone(),
                (None, false) => user.email.clone(),
                (None, true) => return Err(CoreError::Conflict(Conflict::State(
                    "this account's address is verified already, and no change of address waits"
                        .into(),
                ))),
            };
        let bucket = format!("verify:{}", user.id);
        rate_limit::take(
            cx,
            &[(&bucket, RESEND[0]), (&bucket, RESEND[1])],
            "a verification message was sent moments ago; try again later",
        )?;
        send_verification(cx, &user, &address)
    }
}
