//! `sessions.sign_in`: the password grant. Throttled per account and address before any
//! password work; the password is checked between two short database visits, never while a
//! connection is held.

use roster_domain::OrgKey;
use roster_domain::{Email, SessionId, UserId};
use roster_store::users;

use super::events;
use super::tokens::{issue_pair, org_scope, IssuedTokens};
use crate::events::user_actor;
use crate::login_throttle::{Attempt, CountFailure};
use crate::observer::SignInOutcome;
use crate::{
    Context, Core, CoreError, Declared, Kind, Operation, Principal, Procedure, RequestMeta,
    Requirement, Secrets,
};

const BAD_LOGIN: &str = "invalid email or password";

#[derive(Clone)]
pub struct SignIn {
    /// The email address, as typed.
    pub username: String,
    pub password: String,
    /// Scope the access token to this organization.
    pub organization: Option<OrgKey>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("username", &self.username)
            .field("organization", &self.organization)
            .finish_non_exhaustive()
    }
}

impl Declared for SignIn {
    const NAME: &'static str = "sessions.sign_in";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::BOTH;
}

impl Procedure for SignIn {
    type Output = IssuedTokens;

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<IssuedTokens, CoreError> {
        // The client hears the same refusal for a wrong password and a disabled account; the
        // operator's metrics tell them apart.
        let mut refused_as = SignInOutcome::InvalidCredentials;
        let outcome = self
            .sign_in(core, principal, request, &mut refused_as)
            .await;
        core.observer().sign_in(match &outcome {
            Ok(_) => SignInOutcome::Success,
            Err(CoreError::InvalidGrant(why)) if why == BAD_LOGIN => refused_as,
            // The one other refusal of a right password: a token for someone else's organization.
            Err(CoreError::InvalidGrant(_)) => SignInOutcome::NotMember,
            Err(other) => SignInOutcome::of_failure(other),
        });
        outcome
    }
}

impl SignIn {
    async fn sign_in(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
        refused_as: &mut SignInOutcome,
    ) -> Result<IssuedTokens, CoreError> {
        let attempt = Attempt::new(&self.username, request.ip.as_deref());
        let account = core
            .execute(
                principal,
                request,
                LookUp {
                    attempt: attempt.clone(),
                    email: Email::parse(&self.username).ok(),
                },
            )
            .await?;
        let stored = account
            .as_ref()
            .and_then(|found| found.password_hash.clone());
        let matches = core.passwords().verify(self.password, stored).await?;
        match account {
            // A disabled account answers as a wrong password does: the right password tells
            // nothing more than a wrong one.
            Some(found) if matches && found.active => {
                let user = found.user;
                let start = Start {
                    user,
                    attempt,
                    organization: self.organization,
                };
                core.execute(principal, request, start).await
            }
            _ => {
                if matches {
                    // The right password of an account that is not active.
                    *refused_as = SignInOutcome::Disabled;
                }
                core.execute(principal, request, CountFailure(attempt))
                    .await?;
                Err(CoreError::InvalidGrant(BAD_LOGIN.into()))
            }
        }
    }
}

/// Refuses a throttled attempt, then finds the account and its password hash.
#[derive(Debug, Clone)]
struct LookUp {
    attempt: Attempt,
    email: Option<Email>,
}

impl Declared for LookUp {
    const NAME: &'static str = "sessions.sign_in.look_up";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Read;
}

/// The account an attempt names.
#[derive(Debug, Clone)]
struct Found {
    user: UserId,
    password_hash: Option<String>,
    active: bool,
}

impl Operation for LookUp {
    type Output = Option<Found>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let throttle = cx.core().settings().login_throttle;
        let now = cx.now();
        throttle.check(cx.conn(), &self.attempt, now)?;
        let Some(email) = &self.email else {
            return Ok(None);
        };
        Ok(
            users::find_by_email(cx.conn(), email.as_str())?.map(|user| Found {
                active: user.is_active(),
                user: user.id,
                password_hash: user.password_hash,
            }),
        )
    }
}

/// Opens the session: the account must still be active, and a member of the organization the
/// token is to be scoped to.
#[derive(Debug, Clone)]
struct Start {
    user: UserId,
    attempt: Attempt,
    organization: Option<OrgKey>,
}

impl Declared for Start {
    const NAME: &'static str = "sessions.sign_in.start";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for Start {
    type Output = IssuedTokens;

    fn run(self, cx: &mut Context<'_>) -> Result<IssuedTokens, CoreError> {
        let user = users::find(cx.conn(), self.user)?
            .ok_or_else(|| CoreError::InvalidGrant(BAD_LOGIN.into()))?;
        if !user.is_active() {
            // Disabled since the look-up: the same answer as a wrong password.
            return Err(CoreError::InvalidGrant(BAD_LOGIN.into()));
        }
        let now = cx.now();
        let scope = self
            .organization
            .as_ref()
            .map(|key| org_scope(cx.conn(), user.id, key, now))
            .transpose()?;
        let throttle = cx.core().settings().login_throttle;
        throttle.succeeded(cx.conn(), &self.attempt)?;
        let session = SessionId::new();
        let organization = scope
            .as_ref()
            .map(|s| roster_domain::OrganizationId::from_uuid(s.org_id));
        cx.record(events::created(session, organization).by(user_actor(&user)));
        issue_pair(cx, user.id, session, scope)
    }
}
