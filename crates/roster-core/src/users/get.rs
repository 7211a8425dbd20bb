//! `users.get`: any user, for platform admins.

use roster_domain::UserId;
use roster_store::users::{self, UserRow};

use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetUser {
    pub user: UserId,
}

impl Declared for GetUser {
    const NAME: &'static str = "users.get";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for GetUser {
    type Output = UserRow;

    fn run(self, cx: &mut Context<'_>) -> Result<UserRow, CoreError> {
        users::find(cx.conn(), self.user)?.ok_or(CoreError::NotFound("user"))
    }
}
