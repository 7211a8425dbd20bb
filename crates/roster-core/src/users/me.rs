//! `users.get_me` and `users.update_me`: the caller's own profile.

use roster_store::users::UserRow;

use super::events;
use super::profile::{apply, etag, lock, ProfileChanges};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct GetMe;

impl Declared for GetMe {
    const NAME: &'static str = "users.get_me";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for GetMe {
    type Output = UserRow;

    fn run(self, cx: &mut Context<'_>) -> Result<UserRow, CoreError> {
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
    type Output = UserRow;

    fn run(self, cx: &mut Context<'_>) -> Result<UserRow, CoreError> {
        let caller = cx.signed_in()?.id();
        let before = lock(cx.conn(), caller)?;
        self.precondition.check(&etag(&before))?;
        let now = cx.now();
        let after = apply(cx.conn(), &before, self.changes.into_changes(), now)?;
        for event in events::changed(&before, &after, &[]) {
            cx.record(event);
        }
        Ok(after)
    }
}
