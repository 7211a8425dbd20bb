//! `users.set_password`: a platform admin (or the operator, at the command line) sets a user's
//! password. Every session of the user ends, open reset links end, and the user is told.

use std::fmt;

use roster_domain::{Password, UserId};
use roster_store::account_tokens::{self, purpose};
use roster_store::users::UserChanges;

use crate::access::require_person;
use crate::users::change_password::end_sessions;
use crate::users::events;
use crate::users::profile::{apply, lock};
use crate::{
    mail, Context, Core, CoreError, Declared, Kind, Operation, Principal, Procedure, RequestMeta,
    Requirement, Secrets,
};

#[derive(Clone)]
pub struct SetPassword {
    pub user: UserId,
    pub password: Password,
}

impl fmt::Debug for SetPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetPassword")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Declared for SetPassword {
    const NAME: &'static str = "users.set_password";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Procedure for SetPassword {
    type Output = ();

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<(), CoreError> {
        // An unknown user, or a key instead of a person, costs no password hashing.
        let user = self.user;
        core.execute(principal, request, Store { user, hash: None })
            .await?;
        let hash = core
            .passwords()
            .hash(self.password.expose().to_owned())
            .await?;
        core.execute(
            principal,
            request,
            Store {
                user,
                hash: Some(hash),
            },
        )
        .await
    }
}

/// Checks (without `hash`) or stores (with it) the new password.
#[derive(Clone)]
struct Store {
    user: UserId,
    hash: Option<String>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Declared for Store {
    const NAME: &'static str = "users.set_password.store";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for Store {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        if let Some(caller) = cx.caller() {
            require_person(
                caller,
                "passwords are set by a signed-in platform admin, never with an API key",
            )?;
        }
        let before = lock(cx.conn(), self.user)?;
        let Some(hash) = self.hash else {
            return Ok(());
        };
        let via = if cx.caller().is_some() {
            "set_by_admin"
        } else {
            "set_by_operator"
        };
        let now = cx.now();
        let changes = UserChanges {
            password_hash: Some(Some(hash)),
            ..UserChanges::default()
        };
        let after = apply(cx.conn(), &before, changes, now)?;
        account_tokens::end_all(cx.conn(), after.id, purpose::PASSWORD_RESET, now)?;
        cx.record(events::password_changed(&after, via));
        end_sessions(cx, after.id, None, "password_set")?;
        let settings = &cx.core().settings().mail;
        let message = mail::password_changed(settings, &after);
        cx.send_mail(message)
    }
}
