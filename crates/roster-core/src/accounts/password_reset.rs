//! The way back from a forgotten password. `users.request_password_reset` answers the same
//! whether or not the address has an account, after the same work: it queues the request, and
//! the sender looks the account up ([`IssueReset`]); an account gets a one-time link (1 h),
//! an address without one nothing. `users.confirm_password_reset` sets the new password
//! and ends every session of the user. Both are throttled per address and per client.

use std::fmt;

use roster_auth::{looks_like_password_reset_token, new_password_reset_token};
use roster_domain::Password;
use roster_store::account_tokens::{self, purpose};
use roster_store::users::{self, UserChanges};
use roster_store::{mail_outbox, DbId};

use super::{tokens, verification::verify_address};
use crate::rate_limit::{self, Quota};
use crate::users::change_password::end_sessions;
use crate::users::events;
use crate::users::profile::{apply, lock};
use crate::{
    mail, Context, Core, CoreError, Declared, Kind, Operation, Principal, Procedure, RequestMeta,
    Requirement, Secrets,
};

/// How long a reset link works.
const LIFETIME_HOURS: i64 = 1;

/// Requests per address (whether or not it has an account) and per client.
const PER_ADDRESS: [Quota; 2] = [Quota::per(1, 60), Quota::per(5, 3_600)];
const PER_CLIENT: Quota = Quota::per(30, 3_600);

/// `users.request_password_reset`
#[derive(Debug, Clone)]
pub struct RequestPasswordReset {
    /// The address as given (compared lowercased, like accounts' addresses).
    pub email: String,
}

impl Declared for RequestPasswordReset {
    const NAME: &'static str = "users.request_password_reset";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
}

impl Operation for RequestPasswordReset {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let email = self.email.trim().to_lowercase();
        let client = cx.request_ip().unwrap_or("unknown").to_owned();
        let (address, client) = (format!("reset:{email}"), format!("reset-client:{client}"));
        rate_limit::take(
            cx,
            &[
                (&address, PER_ADDRESS[0]),
                (&address, PER_ADDRESS[1]),
                (&client, PER_CLIENT),
            ],
            "too many password reset requests; try again later",
        )?;
        // The same work whether or not the address has an account: the account is looked up
        // when the message is sent ([`IssueReset`]), so the answer's time tells nothing.
        let settings = &cx.core().settings().mail;
        let message = mail::password_reset_request(settings, &email);
        cx.send_mail(message)
    }
}

/// Looks up the account of a queued password reset (message `mail`, claimed by the caller) and
/// gives the message its link, values and account: the token and the values (without the
/// link), or `None` when no active account has the address (nothing is sent).
#[derive(Debug, Clone)]
pub(crate) struct IssueReset {
    pub mail: uuid::Uuid,
    pub email: String,
}

impl Declared for IssueReset {
    const NAME: &'static str = "users.request_password_reset.issue";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for IssueReset {
    type Output = Option<(String, serde_json::Value)>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let Some(user) = users::find_by_email(cx.conn(), &self.email)?.filter(|u| u.is_active())
        else {
            return Ok(None);
        };
        let issued = tokens::issue(
            cx,
            &user,
            purpose::PASSWORD_RESET,
            &user.email,
            new_password_reset_token(),
            chrono::Duration::hours(LIFETIME_HOURS),
        )?;
        let settings = &cx.core().settings().mail;
        let message = mail::password_reset(
            settings,
            &user,
            issued.id.0,
            &issued.plaintext,
            issued.expires_at,
        );
        let stored = mail::Stored::of(cx.core(), self.mail, message)?;
        let token_ref = stored.token_ref.unwrap_or_default();
        let secret = stored.secret.unwrap_or_default();
        mail_outbox::prepare(
            cx.conn(),
            DbId(self.mail),
            stored.data,
            secret,
            stored.sealed_by,
            token_ref,
            user.id,
        )?;
        Ok(Some((issued.plaintext, stored.values)))
    }
}

/// `users.confirm_password_reset`
#[derive(Clone)]
pub struct ConfirmPasswordReset {
    pub token: String,
    pub new_password: Password,
}

impl fmt::Debug for ConfirmPasswordReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConfirmPasswordReset { .. }")
    }
}

impl Declared for ConfirmPasswordReset {
    const NAME: &'static str = "users.confirm_password_reset";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Procedure for ConfirmPasswordReset {
    type Output = ();

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<(), CoreError> {
        if !looks_like_password_reset_token(&self.token) {
            return Err(tokens::invalid());
        }
        // A token that cannot work costs no password hashing.
        let check = CheckToken {
            token: self.token.clone(),
        };
        core.execute(principal, request, check).await?;
        let password_hash = core
            .passwords()
            .hash(self.new_password.expose().to_owned())
            .await?;
        let store = StoreReset {
            token: self.token,
            password_hash,
        };
        core.execute(principal, request, store).await
    }
}

/// 400 `invalid-token` unless the token is open.
#[derive(Clone)]
struct CheckToken {
    token: String,
}

impl fmt::Debug for CheckToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckToken { .. }")
    }
}

impl Declared for CheckToken {
    const NAME: &'static str = "users.confirm_password_reset.check";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Read;
}

impl Operation for CheckToken {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let now = cx.now();
        let hash = roster_auth::hash_secret(&self.token);
        match account_tokens::find(cx.conn(), purpose::PASSWORD_RESET, &hash)? {
            Some(row) if row.used_at.is_none() && row.expires_at > now => Ok(()),
            _ => Err(tokens::invalid()),
        }
    }
}

/// Uses the token (one of two racing requests wins) and stores the new password.
#[derive(Clone)]
struct StoreReset {
    token: String,
    password_hash: String,
}

impl fmt::Debug for StoreReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreReset { .. }")
    }
}

impl Declared for StoreReset {
    const NAME: &'static str = "users.confirm_password_reset.store";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
}

impl Operation for StoreReset {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let token = tokens::consume(cx, purpose::PASSWORD_RESET, &self.token)?;
        let before = lock(cx.conn(), token.user_id).map_err(|_| tokens::invalid())?;
        if !before.is_active() {
            return Err(tokens::invalid());
        }
        cx.act_as(crate::events::user_actor(&before));
        // The link was mailed to the account's address: following it proves the address.
        let before = if token.email == before.email && !before.email_verified() {
            verify_address(cx, &before, &token.email)?
        } else {
            before
        };
        let now = cx.now();
        let changes = UserChanges {
            password_hash: Some(Some(self.password_hash)),
            ..UserChanges::default()
        };
        let after = apply(cx.conn(), &before, changes, now)?;
        account_tokens::end_all(cx.conn(), after.id, purpose::PASSWORD_RESET, now)?;
        cx.record(events::password_changed(&after, "reset"));
        end_sessions(cx, after.id, None, "password_reset")?;
        let settings = &cx.core().settings().mail;
        let message = mail::password_changed(settings, &after);
        cx.send_mail(message)
    }
}
