//! The first platform admin: from `ROSTER_ADMIN_EMAIL`/`ROSTER_ADMIN_PASSWORD` at start-up, or
//! `roster admin create`.

use roster_auth::{hash_password, verify_password};
use roster_domain::{Email, Password};
use roster_store::{users, Db, DbId, Ts};

use crate::error::ApiError;

/// What `ensure_admin` did.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminOutcome {
    Created(uuid::Uuid),
    /// A user with that email and password exists; it was made an admin if it wasn't one.
    AlreadyExists(uuid::Uuid),
}

/// Creates the admin if no user has that email. An existing user is promoted only when the
/// given password is theirs: otherwise whoever signed up first with the admin's address would
/// become a platform admin at the next start.
pub fn ensure_admin(db: &Db, email: &str, password: &str) -> Result<AdminOutcome, ApiError> {
    let email = Email::parse(email)?;
    let password = Password::parse(password.to_owned())?;
    let hash = hash_password(password.expose()).map_err(|e| ApiError::Internal(e.to_string()))?;
    let outcome = db.write(|conn| {
        if let Some(user) = users::find_by_email(conn, email.as_str())? {
            let owns_account = user
                .password_hash
                .as_deref()
                .is_some_and(|stored| verify_password(password.expose(), stored));
            if !owns_account {
                return Err(ApiError::Conflict(format!(
                    "a user with the email {email} exists and the given password is not theirs; \
                     make them an admin with PATCH /v1/users/{{id}} instead"
                )));
            }
            if !user.is_admin {
                let changes = users::UserChanges {
                    is_admin: Some(true),
                    updated_at: Some(Ts::now()),
                    ..Default::default()
                };
                users::update(conn, user.id, &changes)?;
            }
            return Ok::<_, ApiError>(AdminOutcome::AlreadyExists(user.id.0));
        }
        let now = Ts::now();
        let id = uuid::Uuid::now_v7();
        users::insert(
            conn,
            &users::UserRow {
                id: DbId(id),
                email: email.as_str().to_owned(),
                name: None,
                password_hash: Some(hash.clone()),
                state: users::ACTIVE.to_owned(),
                is_admin: true,
                created_at: now,
                updated_at: now,
            },
        )?;
        Ok(AdminOutcome::Created(id))
    })?;
    match &outcome {
        AdminOutcome::Created(id) => {
            tracing::info!(user_id = %id, email = %email, "created platform admin")
        }
        AdminOutcome::AlreadyExists(id) => {
            tracing::info!(user_id = %id, email = %email, "platform admin present")
        }
    }
    Ok(outcome)
}
