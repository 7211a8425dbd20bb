//! `users.get_me` and `users.update_me`: the caller's own profile. A new email waits in
//! `pending_email` until a link mailed there is followed (see `accounts`).

use roster_domain::Email;
use roster_domain::Unique;
use roster_store::users;

use super::events;
use super::profile::{apply, lock, ProfileChanges};
use super::{etag, User};
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct GetMe;

impl Declared for GetMe {
    const NAME: &'static str = "users.get_me";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for GetMe {
    type Output = User;

    fn run(self, cx: &mut Context<'_>) -> Result<User, CoreError> {
        Ok(cx.signed_in()?.user.clone())
    }
}

#[derive(Debug, Clone)]
pub struct UpdateMe {
    pub changes: ProfileChanges,
    pub precondition: Precondition,
}

impl Declared for UpdateMe {
    const NAME: &'static str = "users.update_me";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateMe {
    type Output = User;

    fn run(self, cx: &mut Context<'_>) -> Result<User, CoreError> {
        let caller = cx.signed_in()?.id();
        let before = lock(cx.conn(), caller)?;
        self.precondition.check(&etag(&before))?;
        let now = cx.now();
        let mut profile = self.changes;
        let asked = profile.email.take().map(Email::into_string);
        let mut changes = profile.into_changes();
        // A new address waits, unproven, in `pending_email`; asking for the current one
        // again withdraws a change that waits.
        let pending = match asked {
            Some(address) if address == before.email => {
                changes.pending_email = Some(None);
                None
            }
            Some(address) => {
                if users::find_by_email(cx.conn(), &address)?.is_some_and(|u| u.id != caller) {
                    return Err(CoreError::Conflict(Conflict::Taken(Unique::UserEmail)));
                }
                changes.pending_email = Some(Some(address.clone()));
                Some(address)
            }
            None => None,
        };
        let after = apply(cx.conn(), &before, changes, now)?;
        for event in events::changed(&before, &after, &[]) {
            cx.record(event);
        }
        if let Some(address) = pending.filter(|a| before.pending_email.as_deref() != Some(a)) {
            crate::accounts::send_verification(cx, &after, &address)?;
        }
        Ok(User::from(after))
    }
}
