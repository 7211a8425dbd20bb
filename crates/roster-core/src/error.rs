//! `CoreError`: why an operation did not happen, in terms a caller can act on. `roster-api`
//! turns each variant into one HTTP status and problem type; a CLI prints it.

use std::fmt;

use roster_domain::Unique;
use roster_domain::{AccessLevel, DomainError, FieldError, Permission};
use roster_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No credential, or one that no longer works (signed out, disabled user, expired).
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may see the target but not do this to it.
    #[error("{0}")]
    Forbidden(Forbidden),
    /// It does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The target's state refuses the change.
    #[error("{0}")]
    Conflict(Conflict),
    /// It existed but its time is up (an expired invitation).
    #[error("{0}")]
    Gone(String),
    /// Fields are invalid, each named.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// A malformed request beyond its fields: an unknown filter value, a forged cursor.
    #[error("{0}")]
    BadRequest(String),
    /// The client's condition (`If-Match`) no longer holds.
    #[error("{0}")]
    PreconditionFailed(String),
    /// A sign-in or refresh that does not hold (RFC 6749's `invalid_grant`): wrong password,
    /// unknown, expired, revoked or reused refresh token, not a member of the organization.
    #[error("{0}")]
    InvalidGrant(String),
    /// A one-time token (email verification, password reset) that is unknown, used, expired
    /// or malformed: all alike, so that a guess learns nothing.
    #[error("{0}")]
    InvalidToken(String),
    /// The user named is not a current member of the organization (adding them to a team).
    #[error("{0}")]
    NotOrganizationMember(String),
    /// Too many failed attempts; retry after this many seconds.
    #[error("{detail}")]
    TooManyAttempts { detail: String, retry_after: u64 },
    /// The database cannot be reached: retry shortly.
    #[error("the database is unavailable; retry shortly")]
    Unavailable,
    /// The database kept aborting the transaction for conflicts with others: retry shortly.
    #[error("conflicting writes kept the database busy; retry shortly")]
    Busy,
    /// More password work is waiting than Roster queues: retry shortly.
    #[error("too many sign-ins at once; retry shortly")]
    Overloaded,
    /// A bug or a broken database; the cause is for the logs.
    #[error("internal error: {0}")]
    Internal(String),
    /// Not an error: the signal that ends an admission check ([`crate::Core::admits`]) once
    /// the caller is found to meet the operation's requirement. It never leaves `Core`.
    #[error("admitted")]
    Admitted,
}

/// Why an authenticated caller may not do something it can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forbidden {
    /// The caller lacks this permission in the organization.
    Missing(Permission),
    /// Only platform admins may.
    PlatformAdminOnly,
    /// The credential is scoped to one organization; this acts account-wide.
    ScopedCredential,
    /// The invitation was sent to another email address than the caller's.
    InvitationForSomeoneElse,
    /// Only owners make or unmake owners, and transfer ownership.
    OwnerOnly,
    /// Nobody hands on (in a role, a membership, an API key) more than they hold themselves.
    BeyondOwn,
    /// A server policy refuses it (closed sign-up, organization creation for admins only…).
    Policy(&'static str),
    /// The caller sees the project but its access level there is below this one (and it lacks
    /// the permission that would do instead).
    ProjectAccess(AccessLevel, Permission),
    /// Only the team's maintainers, or holders of the permission, manage its members.
    TeamMaintainer(Permission),
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Forbidden::Missing(permission) => {
                write!(f, "this needs the {} permission", permission.as_str())
            }
            Forbidden::PlatformAdminOnly => f.write_str("this requires a platform admin"),
            Forbidden::ScopedCredential => f.write_str(
                "this access token is scoped to one organization; use a token issued without `organization`",
            ),
            Forbidden::InvitationForSomeoneElse => f.write_str(
                "this invitation was sent to another email address than your account's",
            ),
            Forbidden::OwnerOnly => f.write_str("only an owner may do this"),
            Forbidden::BeyondOwn => f.write_str(
                "this would grant permissions beyond your own in the organization",
            ),
            Forbidden::Policy(why) => f.write_str(why),
            Forbidden::ProjectAccess(level, permission) => write!(
                f,
                "this needs {} access to the project, or the {} permission",
                level.as_str(),
                permission.as_str()
            ),
            Forbidden::TeamMaintainer(permission) => write!(
                f,
                "only the team's maintainers, or holders of the {} permission, manage its members",
                permission.as_str()
            ),
        }
    }
}

/// What a change conflicts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A unique value is taken.
    Taken(Unique),
    /// The organization is closed, and a closed organization changes no more.
    Closed,
    /// The last active platform admin can be neither demoted nor disabled.
    LastPlatformAdmin,
    /// Another request is using the same idempotency key right now.
    InFlight,
    /// The change would leave an open organization without an active owner.
    LastOwner,
    /// The user is the last active owner of this organization (its name): deleting the
    /// account would leave it without one.
    LastOwnerOf(String),
    /// The organization holds as many as its limit allows.
    LimitReached(Limit),
    /// The user already belongs to the organization.
    AlreadyMember,
    /// The invitation was accepted already.
    InvitationAccepted,
    /// The invitation was revoked (or replaced by a newer one).
    InvitationRevoked,
    /// The invitee declined the invitation.
    InvitationDeclined,
    /// A custom role that members, API keys or open invitations hold cannot be deleted.
    RoleInUse,
    /// Built-in roles cannot be changed or deleted, nor their keys taken.
    BuiltinRole,
    /// A personal organization's owner stays its owner.
    PersonalOrganization,
    /// Anything else the target's state refuses, said in words.
    State(String),
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Taken(Unique::OrganizationName) => {
                f.write_str("this organization name is taken")
            }
            Conflict::Taken(Unique::OrganizationReference) => {
                f.write_str("another organization already has this reference")
            }
            Conflict::Taken(Unique::UserEmail) => {
                f.write_str("a user with this email already exists")
            }
            Conflict::Taken(Unique::RoleKey) => {
                f.write_str("the organization has a role with this key already")
            }
            Conflict::Taken(Unique::Membership) => f.write_str("this user is already a member"),
            Conflict::Taken(Unique::PendingInvitation) => {
                f.write_str("this email has a pending invitation already")
            }
            Conflict::Taken(Unique::TeamName) => {
                f.write_str("the organization has a team with this name already")
            }
            Conflict::Taken(Unique::ProjectName) => {
                f.write_str("the organization has a project with this name already")
            }
            Conflict::Taken(Unique::TeamMember) => f.write_str("this user is in the team already"),
            Conflict::Taken(Unique::Other(what)) => write!(f, "{what} is taken"),
            Conflict::Closed => {
                f.write_str("the organization is closed; a closed organization cannot change")
            }
            Conflict::LastPlatformAdmin => f.write_str("this is the last active platform admin"),
            Conflict::InFlight => {
                f.write_str("a request with this Idempotency-Key is still in progress")
            }
            Conflict::LastOwner => f.write_str(
                "this would leave the organization without an active owner; make someone else owner first",
            ),
            Conflict::LastOwnerOf(organization) => write!(
                f,
                "this account is the last owner of the organization {organization}; make someone else owner there (or delete it) first",
            ),
            Conflict::LimitReached(limit) => write!(
                f,
                "the organization has reached limits.{} ({})",
                limit.field(),
                limit.max
            ),
            Conflict::AlreadyMember => f.write_str("this user is already a member"),
            Conflict::InvitationAccepted => f.write_str("this invitation has been accepted already"),
            Conflict::InvitationRevoked => f.write_str("this invitation has been revoked"),
            Conflict::InvitationDeclined => f.write_str("this invitation has been declined"),
            Conflict::RoleInUse => f.write_str(
                "members, API keys or open invitations hold this role; give them another role first",
            ),
            Conflict::BuiltinRole => {
                f.write_str("the built-in roles (owner, admin, member, viewer) cannot be changed")
            }
            Conflict::PersonalOrganization => f.write_str(
                "a personal organization's owner cannot leave it or hand over its ownership",
            ),
            Conflict::State(why) => f.write_str(why),
        }
    }
}

/// An organization limit that a change would exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub kind: LimitKind,
    pub max: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    Members,
    ApiKeys,
    Invitations,
    Teams,
    Projects,
}

impl Limit {
    /// The limit's field in `limits`.
    pub fn field(&self) -> &'static str {
        match self.kind {
            LimitKind::Members => "max_members",
            LimitKind::ApiKeys => "max_api_keys",
            LimitKind::Invitations => "max_invitations",
            LimitKind::Teams => "max_teams",
            LimitKind::Projects => "max_projects",
        }
    }
}

impl CoreError {
    pub fn field(error: FieldError) -> CoreError {
        CoreError::Validation(vec![error])
    }

    pub fn forbidden(reason: Forbidden) -> CoreError {
        CoreError::Forbidden(reason)
    }
}

impl From<StoreError> for CoreError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => CoreError::NotFound("row"),
            StoreError::Duplicate(unique) => CoreError::Conflict(Conflict::Taken(unique)),
            StoreError::Unavailable(cause) => {
                tracing::warn!(cause = %cause, "database unavailable");
                CoreError::Unavailable
            }
            StoreError::Transient(cause) => {
                tracing::warn!(cause = %cause, "transaction kept conflicting with others");
                CoreError::Busy
            }
            StoreError::Conflict => CoreError::Conflict(Conflict::State(
                "the resource was modified concurrently; retry".into(),
            )),
            // A value the database refuses as text (a NUL byte on Postgres) came from the client.
            StoreError::InvalidInput(_) => {
                CoreError::BadRequest("a value in the request cannot be stored as text".into())
            }
            other => CoreError::Internal(other.to_string()),
        }
    }
}

impl From<DomainError> for CoreError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Validation(errors) => CoreError::Validation(errors),
            DomainError::Closed => CoreError::Conflict(Conflict::Closed),
        }
    }
}

impl From<FieldError> for CoreError {
    fn from(error: FieldError) -> Self {
        CoreError::field(error)
    }
}

impl From<Vec<FieldError>> for CoreError {
    fn from(errors: Vec<FieldError>) -> Self {
        CoreError::Validation(errors)
    }
}

impl roster_store::TransactionError for CoreError {
    fn is_transient(&self) -> bool {
        matches!(self, CoreError::Busy)
    }
}
