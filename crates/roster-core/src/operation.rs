//! What an operation is, and what each one declares about itself.

use std::future::Future;

use roster_domain::{AccessLevel, Permission};

use crate::{Context, Core, CoreError, Memory, Principal, RequestMeta};

/// Who may call an operation. Checked in one place ([`crate::access`]) for every operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Anyone, signed in or not (a credential that is presented must still work).
    Public,
    /// Any working credential, including one scoped to a single organization.
    SignedIn,
    /// A credential that acts account-wide (a user's token not scoped to an organization, or a
    /// personal API key): a scoped token or an organization key is 403.
    AccountWide,
    /// A signed-in user's own access token, not scoped to an organization: no API key (for
    /// what guards the account itself: its password, its email, its API keys).
    UserSession,
    /// This permission in the organization the operation targets: 404 when the caller may not
    /// see the organization, 403 when it may but lacks the permission.
    Organization(Permission),
    /// Like `Organization`, but a member acting on its own membership needs only to see the
    /// organization (leaving it, reading its own permissions, asking about itself).
    OrganizationOrSelf(Permission),
    /// An owner of the organization the operation targets (or a platform admin).
    OrganizationOwner,
    /// At least `level` of access to the project the operation targets, or `or` in its
    /// organization: 404 when the caller may not see the organization or has no access to the
    /// project (as for a private organization), 403 when its access is below `level`. Access
    /// is the highest of: `owner` from a role holding `projects:write`, its teams' grants, and
    /// `reader` on an organization-visible project.
    Project { level: AccessLevel, or: Permission },
    /// Managing a team's members: the team's own maintainers, or holders of `or` in the
    /// organization; with `or_self`, also a member acting on its own place in the team (leaving).
    TeamMaintainer { or: Permission, or_self: bool },
    /// A platform admin, with an account-wide credential.
    PlatformAdmin,
    /// The operator at the console (`roster admin create`): never reachable over HTTP.
    Operator,
}

impl Requirement {
    /// Checked once the operation names its organization ([`crate::Context::organization`]).
    pub const fn names_organization(self) -> bool {
        matches!(
            self,
            Requirement::Organization(_)
                | Requirement::OrganizationOrSelf(_)
                | Requirement::OrganizationOwner
                | Requirement::Project { .. }
                | Requirement::TeamMaintainer { .. }
        )
    }

    /// How the requirement reads in the API document (`x-roster-requires`).
    pub fn describe(self) -> String {
        match self {
            Requirement::Public => "public".into(),
            Requirement::SignedIn => "signed_in".into(),
            Requirement::AccountWide => "account".into(),
            Requirement::UserSession => "user_session".into(),
            Requirement::Organization(permission) => format!("permission:{}", permission.as_str()),
            Requirement::OrganizationOrSelf(permission) => {
                format!("permission:{}|self", permission.as_str())
            }
            Requirement::OrganizationOwner => "owner".into(),
            Requirement::Project { level, or } => {
                format!("project:{}|permission:{}", level.as_str(), or.as_str())
            }
            Requirement::TeamMaintainer { or, or_self } => format!(
                "team_maintainer|permission:{}{}",
                or.as_str(),
                if or_self { "|self" } else { "" }
            ),
            Requirement::PlatformAdmin => "platform_admin".into(),
            Requirement::Operator => "operator".into(),
        }
    }

    /// The same, as a sentence for people.
    pub fn sentence(self) -> String {
        match self {
            Requirement::Public => "Requires: nothing; anyone may call it.".into(),
            Requirement::SignedIn => {
                "Requires: a signed-in caller (a token scoped to one organization will do).".into()
            }
            Requirement::AccountWide => {
                "Requires: a signed-in user, with a token not scoped to one organization, or a personal API key.".into()
            }
            Requirement::UserSession => {
                "Requires: a signed-in user's access token, not scoped to one organization (API keys cannot).".into()
            }
            Requirement::Organization(permission) => format!(
                "Requires: the `{}` permission in the organization.",
                permission.as_str()
            ),
            Requirement::OrganizationOrSelf(permission) => format!(
                "Requires: the `{}` permission in the organization, or being the member concerned.",
                permission.as_str()
            ),
            Requirement::OrganizationOwner => {
                "Requires: an owner of the organization (or a platform admin).".into()
            }
            Requirement::Project { level, or } => format!(
                "Requires: `{}` access (or higher) to the project, or the `{}` permission in the organization. Access is the highest of: `owner` from a role holding `projects:write`, each grant to a team the caller is in (API keys have no teams), and `reader` on a project whose visibility is `organization`; without any, the project is 404.",
                level.as_str(),
                or.as_str()
            ),
            Requirement::TeamMaintainer { or, or_self } => format!(
                "Requires: a maintainer of the team, or the `{}` permission in the organization{}.",
                or.as_str(),
                if or_self { "; any member may remove itself (leave the team)" } else { "" }
            ),
            Requirement::PlatformAdmin => "Requires: a platform admin.".into(),
            Requirement::Operator => "Requires: the operator at the console.".into(),
        }
    }
}

/// Which side of an operation carries a secret (a password, a refresh token, an API key, an
/// invitation token). A request that carries one is never fingerprinted or stored (so no
/// `Idempotency-Key` for it); a response that carries one is stored only sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secrets {
    pub in_request: bool,
    pub in_response: bool,
}

impl Secrets {
    pub const NONE: Secrets = Secrets {
        in_request: false,
        in_response: false,
    };
    pub const IN_REQUEST: Secrets = Secrets {
        in_request: true,
        in_response: false,
    };
    pub const IN_RESPONSE: Secrets = Secrets {
        in_request: false,
        in_response: true,
    };
    pub const BOTH: Secrets = Secrets {
        in_request: true,
        in_response: true,
    };
}

/// Whether an operation changes anything: writes run in a transaction and record events;
/// reads run without one (a single statement needs none, and BEGIN/COMMIT would triple the
/// round trips of the hottest paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

/// What every operation declares, in one enumerable place per operation: its name, who may
/// call it, whether it writes, and where its secrets are.
pub trait Declared {
    /// `area.action`, e.g. `organizations.create`.
    const NAME: &'static str;
    const REQUIRES: Requirement;
    const KIND: Kind;
    const SECRETS: Secrets = Secrets::NONE;
}

/// An operation done in one go: authorized, run in one transaction (for writes) with its
/// events, by [`Core::execute`]. `Clone` because a transaction the database aborts for a
/// deadlock is run again from the start.
pub trait Operation: Declared + Clone + Send + 'static {
    type Output: Send + 'static;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError>;

    /// For a read: its answer from the read cache alone, when everything it needs is there
    /// (`None`: [`run`](Self::run) it against the database). It must decide exactly as `run`
    /// does, through the same checks; the hottest reads implement it.
    fn answer_from_memory(&self, _memory: &Memory<'_>) -> Option<Result<Self::Output, CoreError>> {
        None
    }
}

/// An operation in several steps, for those with password work (argon2: ~20 ms of CPU and
/// 19 MiB per call) that must not hold a database connection while it runs. It does its
/// database work through [`Core::execute`] of inner operations, the password work between
/// them; [`Core::perform`] checks its requirement before it starts.
pub trait Procedure: Declared + Send + 'static {
    type Output: Send + 'static;

    fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> impl Future<Output = Result<Self::Output, CoreError>> + Send;
}
