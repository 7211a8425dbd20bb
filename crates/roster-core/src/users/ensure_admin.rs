//! `users.ensure_admin`: the first platform admin, from `ROSTER_ADMIN_EMAIL` and
//! `ROSTER_ADMIN_PASSWORD` at start-up or `roster admin create`. The operator's doing.

use roster_auth::PasswordWorker;
use roster_domain::{Email, Password, UserId, UserState};
use roster_store::users::{self, UserChanges, UserRow};

use super::events;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Debug, Clone)]
pub struct EnsureAdmin {
    pub email: Email,
    pub password: Password,
}

/// What `EnsureAdmin` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminOutcome {
    Created(UserId),
    /// A user with that email and password exists; it was made an admin if it wasn't one.
    AlreadyExists(UserId),
}

impl Declared for EnsureAdmin {
    const NAME: &'static str = "users.ensure_admin";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Operation for EnsureAdmin {
    type Output = AdminOutcome;

    /// Creates the admin if no user has that email. An existing user is promoted only when the
    /// given password is theirs: otherwise whoever signed up first with the admin's address
    /// would become a platform admin at the next start. (Once per start or command: the
    /// password work runs right here.)
    fn run(self, cx: &mut Context<'_>) -> Result<AdminOutcome, CoreError> {
        let mut passwords = PasswordWorker::new();
        if let Some(user) = users::find_by_email(cx.conn(), self.email.as_str())? {
            let owns_account = user
                .password_hash
                .as_deref()
                .is_some_and(|stored| passwords.verify(self.password.expose(), stored));
            if !owns_account {
                return Err(CoreError::Conflict(crate::Conflict::State(format!(
                    "a user with the email {} exists and the given password is not theirs; \
                     make them an admin with PATCH /v1/users/{{id}} instead",
                    self.email
                ))));
            }
            if !user.is_admin {
                let changes = UserChanges {
                    is_admin: Some(true),
                    updated_at: Some(cx.now()),
                    ..Default::default()
                };
                let after = users::update(cx.conn(), user.id, &changes)?;
                for event in events::changed(&user, &after, &[]) {
                    cx.record(event);
                }
            }
            return Ok(AdminOutcome::AlreadyExists(user.id));
        }
        let hash = passwords
            .hash(self.password.expose())
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let now = cx.now();
        let row = UserRow {
            id: UserId::new(),
            email: self.email.into_string(),
            name: None,
            password_hash: Some(hash),
            state: UserState::Active,
            is_admin: true,
            created_at: now,
            updated_at: now,
            email_verified_at: None,
            pending_email: None,
        };
        users::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        Ok(AdminOutcome::Created(row.id))
    }
}
