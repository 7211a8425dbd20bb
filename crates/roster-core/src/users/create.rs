//! `users.create`: open sign-up, or a platform admin creating a user (another admin perhaps).
//! The password is hashed before the transaction, never inside it.

use roster_domain::{Email, Password, UserId, UserState};
use roster_store::users::{self, UserRow};

use super::{events, personal_organization, User};
use crate::access::require_person;
use crate::{
    Caller, Context, Core, CoreError, Declared, Forbidden, Kind, Operation, Principal, Procedure,
    RequestMeta, Requirement, Secrets, SignupPolicy,
};

#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: Email,
    pub password: Password,
    pub name: Option<String>,
    /// Make the new user a platform admin (platform admins only).
    pub is_admin: bool,
}

impl Declared for SignUp {
    const NAME: &'static str = "users.create";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Procedure for SignUp {
    type Output = User;

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<User, CoreError> {
        // Refused requests cost no password work.
        core.execute(
            principal,
            request,
            MayCreate {
                admin: self.is_admin,
            },
        )
        .await?;
        let hash = core
            .passwords()
            .hash(self.password.expose().to_owned())
            .await?;
        let insert = Insert {
            email: self.email,
            name: self.name,
            is_admin: self.is_admin,
            password_hash: hash,
        };
        core.execute(principal, request, insert)
            .await
            .map(User::from)
    }
}

/// Who may create an account: anyone while sign-up is open, platform admins always; only
/// platform admins make platform admins.
fn may_create(caller: Option<&Caller>, policy: SignupPolicy, admin: bool) -> Result<(), CoreError> {
    if let Some(caller) = caller {
        require_person(
            caller,
            "accounts are created by a signed-in platform admin (or by signing up), never with an API key",
        )?;
    }
    if caller.is_some_and(|c| c.scope().is_some()) {
        return Err(CoreError::forbidden(Forbidden::ScopedCredential));
    }
    let by_admin = caller.is_some_and(Caller::is_platform_admin);
    if !by_admin && policy == SignupPolicy::Closed {
        return Err(match caller {
            None => CoreError::Unauthenticated(
                "sign-up is closed: a platform admin creates accounts".into(),
            ),
            Some(_) => CoreError::forbidden(Forbidden::Policy(
                "sign-up is closed: only platform admins create accounts",
            )),
        });
    }
    if admin && !by_admin {
        return Err(CoreError::forbidden(Forbidden::Policy(
            "only platform admins can create platform admins",
        )));
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct MayCreate {
    admin: bool,
}

impl Declared for MayCreate {
    const NAME: &'static str = "users.create.check";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Read;
}

impl Operation for MayCreate {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        may_create(cx.caller(), cx.core().settings().signup, self.admin)
    }
}

#[derive(Clone)]
struct Insert {
    email: Email,
    name: Option<String>,
    is_admin: bool,
    password_hash: String,
}

impl std::fmt::Debug for Insert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insert")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl Declared for Insert {
    const NAME: &'static str = "users.create.insert";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
}

impl Operation for Insert {
    type Output = UserRow;

    fn run(self, cx: &mut Context<'_>) -> Result<UserRow, CoreError> {
        may_create(cx.caller(), cx.core().settings().signup, self.is_admin)?;
        let now = cx.now();
        let row = UserRow {
            id: UserId::new(),
            email: self.email.into_string(),
            name: self.name,
            password_hash: Some(self.password_hash),
            state: UserState::Active,
            is_admin: self.is_admin,
            created_at: now,
            updated_at: now,
            email_verified_at: None,
            pending_email: None,
        };
        users::insert(cx.conn(), &row)?;
        // Signing up is the new user's own doing; an admin creating one is the admin's.
        let actor = match cx.caller() {
            Some(caller) => caller.actor(),
            None => crate::events::user_actor(&row),
        };
        cx.act_as(actor);
        cx.record(events::created(&row));
        // The address is the account's, but nobody has proven it yet: a link goes there.
        crate::accounts::send_verification(cx, &row, &row.email)?;
        if cx.core().settings().personal_orgs {
            personal_organization::create(cx, &row)?;
        }
        Ok(row)
    }
}
