//! `users.get` and `users.find_by_email`: any user, for platform admins (and the operator's
//! command-line tools).

use roster_domain::UserId;
use roster_store::users;

use super::User;

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
    type Output = User;

    fn run(self, cx: &mut Context<'_>) -> Result<User, CoreError> {
        users::find(cx.conn(), self.user)?
            .map(User::from)
            .ok_or(CoreError::NotFound("user"))
    }
}

/// A user by email (compared lowercased).
#[derive(Debug, Clone)]
pub struct FindUserByEmail {
    pub email: String,
}

impl Declared for FindUserByEmail {
    const NAME: &'static str = "users.find_by_email";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for FindUserByEmail {
    type Output = User;

    fn run(self, cx: &mut Context<'_>) -> Result<User, CoreError> {
        let email = self.email.trim().to_lowercase();
        users::find_by_email(cx.conn(), &email)?
            .map(User::from)
            .ok_or(CoreError::NotFound("user"))
    }
}
