//! `users.list`: every user, oldest first, for platform admins.

use roster_domain::{UserId, UserState};
use roster_store::users::{self, UserFilter};

use super::User;
use roster_store::Ts;
use serde::{Deserialize, Serialize};

use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListUsers {
    /// Prefix of the email address.
    pub email_prefix: Option<String>,
    pub state: Option<UserState>,
    pub page: Page<UserCursor>,
}

/// Where the next page starts: the last user's creation time and id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserCursor {
    created_at: chrono::DateTime<chrono::Utc>,
    id: uuid::Uuid,
}

impl UserCursor {
    pub fn after(user: &User) -> UserCursor {
        UserCursor {
            created_at: user.created_at,
            id: user.id.as_uuid(),
        }
    }
}

impl Declared for ListUsers {
    const NAME: &'static str = "users.list";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListUsers {
    type Output = Listed<User>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<User>, CoreError> {
        let filter = UserFilter {
            email_prefix: self.email_prefix.map(|q| q.trim().to_lowercase()),
            state: self.state,
        };
        let (offset, fetch) = self.page.window();
        let after = match self.page.cursor() {
            Some(c) => Some((
                Ts::checked(c.created_at).ok_or_else(|| {
                    CoreError::BadRequest("after is not a cursor this endpoint issued".into())
                })?,
                UserId::from_uuid(c.id),
            )),
            None => None,
        };
        let rows = users::list(cx.conn(), &filter, after, offset, fetch)?;
        let total = if self.page.wants_total() {
            Some(users::count(cx.conn(), &filter)?)
        } else {
            None
        };
        Ok(Listed { rows, total }.map(User::from))
    }
}
