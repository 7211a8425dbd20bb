//! `users.change_password`: the caller's new password, once the current one is proven; every
//! other session of the caller ends. Guessing the current password is throttled like sign-in.

use roster_domain::{FieldError, Password, UserId};
use roster_store::refresh_tokens;
use roster_store::users::{UserChanges, UserRow};

use super::events;
use super::profile::{apply, lock};
use crate::login_throttle::{CountFailure, ThrottledCaller};
use crate::sessions::events::revoked;
use crate::{
    Conflict, Context, Core, CoreError, Declared, Kind, Operation, Principal, Procedure,
    RequestMeta, Requirement, Secrets,
};

#[derive(Clone)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: Password,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePassword { .. }")
    }
}

impl Declared for ChangePassword {
    const NAME: &'static str = "users.change_password";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Procedure for ChangePassword {
    type Output = ();

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<(), CoreError> {
        let ip = request.ip.clone();
        let (before, attempt) = core
            .execute(principal, request, ThrottledCaller { ip })
            .await?;
        let stored = before.password_hash.clone();
        if !core
            .passwords()
            .verify(self.current_password, stored)
            .await?
        {
            core.execute(principal, request, CountFailure(attempt))
                .await?;
            return Err(CoreError::field(FieldError::new(
                "current_password",
                "incorrect",
                "the current password is not correct",
            )));
        }
        let hash = core
            .passwords()
            .hash(self.new_password.expose().to_owned())
            .await?;
        let store = Store {
            before: Box::new(before),
            password_hash: hash,
        };
        core.execute(principal, request, store).await
    }
}

#[derive(Clone)]
struct Store {
    before: Box<UserRow>,
    password_hash: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store { .. }")
    }
}

impl Declared for Store {
    const NAME: &'static str = "users.change_password.store";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
}

impl Operation for Store {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let caller = cx.signed_in()?.clone();
        let changes = UserChanges {
            password_hash: Some(Some(self.password_hash)),
            ..UserChanges::default()
        };
        let now = cx.now();
        // Only if nobody changed the password since the current one was verified.
        let current = lock(cx.conn(), self.before.id)?;
        if current.password_hash != self.before.password_hash {
            return Err(CoreError::Conflict(Conflict::State(
                "the password was changed meanwhile; sign in again".into(),
            )));
        }
        let after = apply(cx.conn(), &current, changes, now)?;
        cx.record(events::password_changed(&after, "changed"));
        end_sessions(cx, after.id, caller.session(), "password_changed")?;
        // A reset link mailed earlier would undo this: it ends.
        roster_store::account_tokens::end_all(
            cx.conn(),
            after.id,
            roster_store::account_tokens::purpose::PASSWORD_RESET,
            now,
        )?;
        let settings = &cx.core().settings().mail;
        let message = crate::mail::password_changed(settings, &after);
        cx.send_mail(message)
    }
}

/// Ends every session of `user` but `keep`, recording each.
pub(crate) fn end_sessions(
    cx: &mut Context<'_>,
    user: UserId,
    keep: Option<roster_domain::SessionId>,
    reason: &'static str,
) -> Result<(), CoreError> {
    let now = cx.now();
    for session in refresh_tokens::revoke_user_sessions(cx.conn(), user, keep, now)? {
        cx.record(revoked(session, reason));
    }
    Ok(())
}
