//! What an operation can refuse with, shown in the OpenAPI document as its own problem
//! responses and examples. Most of it follows from what is declared already: the requirement
//! (which 403 a caller can meet), the path (which resources can be missing), whether the
//! operation honours `Idempotency-Key`. What is particular to one operation (the conflicts its
//! rules raise, a policy it enforces) is declared beside its handler, as an
//! `impl Refusals for <the roster-core operation>`.
//!
//! Each refusal is an [`ApiError`], rendered by the same code that answers requests: an example
//! in the document is what the server sends.

use std::collections::BTreeMap;

use roster_core::{Conflict, CoreError, Forbidden, Limit, LimitKind, Requirement};
use roster_domain::Unique;

use crate::error::ApiError;

/// The refusals particular to an operation, beyond those its requirement and path imply.
pub trait Refusals {
    fn refusals() -> Vec<ApiError> {
        Vec::new()
    }
}

/// A conflict the operation's rules can raise.
pub fn conflict(conflict: Conflict) -> ApiError {
    CoreError::Conflict(conflict).into()
}

/// A unique value the operation can find taken.
pub fn taken(unique: Unique) -> ApiError {
    conflict(Conflict::Taken(unique))
}

/// An organization limit the operation can meet (shown at 10).
pub fn limit_reached(kind: LimitKind) -> ApiError {
    conflict(Conflict::LimitReached(Limit { kind, max: 10 }))
}

/// A refusal of a caller that may see the target.
pub fn forbidden(reason: Forbidden) -> ApiError {
    CoreError::Forbidden(reason).into()
}

/// Login throttling (sign-in, and the current password of a password change).
pub fn too_many_attempts() -> ApiError {
    CoreError::TooManyAttempts {
        detail: "too many failed sign-ins; try again later".into(),
        retry_after: 60,
    }
    .into()
}

/// Something the operation looks for besides what its path names.
pub fn not_found(what: &'static str) -> ApiError {
    CoreError::NotFound(what).into()
}

/// Everything an endpoint can refuse with (but the refusals every request can meet, such as
/// malformed JSON or an unavailable database), by status.
pub fn of_endpoint(
    path: &str,
    requires: Requirement,
    runs_operation: bool,
    idempotent: bool,
    own: Vec<ApiError>,
) -> BTreeMap<u16, Vec<ApiError>> {
    let mut all = Vec::new();
    all.extend(unauthenticated(requires, runs_operation));
    all.extend(of_requirement(requires));
    all.extend(of_path(path).into_iter().map(not_found));
    all.extend(own);
    if idempotent {
        all.push(conflict(Conflict::InFlight));
        all.push(roster_core::idempotency::key_reused().into());
    }
    let mut by_status: BTreeMap<u16, Vec<ApiError>> = BTreeMap::new();
    for refusal in all {
        let problem = refusal.problem();
        let same = by_status.entry(problem.status).or_default();
        if !same
            .iter()
            .any(|known| known.problem().detail == problem.detail)
        {
            same.push(refusal);
        }
    }
    by_status
}

/// 401: no credential where one is needed; where none is, a credential that is presented must
/// still work (an expired or signed-out token is refused, not ignored).
fn unauthenticated(requires: Requirement, runs_operation: bool) -> Vec<ApiError> {
    let detail = match requires {
        Requirement::Public if runs_operation => "this session has been signed out",
        Requirement::Public | Requirement::Operator => return Vec::new(),
        _ => "this endpoint needs a bearer token",
    };
    vec![CoreError::Unauthenticated(detail.into()).into()]
}

/// 403: what a caller that does not meet the requirement is told (one that may not see the
/// organization gets 404 instead).
pub fn of_requirement(requires: Requirement) -> Vec<ApiError> {
    let scoped = Forbidden::ScopedCredential;
    let org_key = Forbidden::Policy("an organization API key acts in its organization only");
    let reasons = match requires {
        Requirement::Public | Requirement::SignedIn | Requirement::Operator => vec![],
        Requirement::AccountWide => vec![scoped, org_key],
        Requirement::UserSession => vec![
            Forbidden::Policy("this needs a signed-in user's access token; API keys cannot do it"),
            scoped,
        ],
        Requirement::Organization(permission) | Requirement::OrganizationOrSelf(permission) => {
            vec![Forbidden::Missing(permission)]
        }
        Requirement::OrganizationOwner => vec![Forbidden::OwnerOnly],
        Requirement::Project { level, or } => vec![Forbidden::ProjectAccess(level, or)],
        Requirement::TeamMaintainer { or, .. } => vec![Forbidden::TeamMaintainer(or)],
        Requirement::PlatformAdmin => vec![Forbidden::PlatformAdminOnly, scoped],
    };
    reasons.into_iter().map(forbidden).collect()
}

/// 404: the resources a path names, each by the collection its parameter stands in
/// (`/organizations/{org}/members/{user_id}`: an organization, then a member).
pub fn of_path(path: &str) -> Vec<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .windows(2)
        .filter(|pair| pair[1].starts_with('{'))
        .filter_map(|pair| resource_in(pair[0]))
        .scan(None, |previous, resource| {
            // A team's members are team members, not the organization's.
            let named = match (*previous, resource) {
                (Some("team"), "member") => "team member",
                _ => resource,
            };
            *previous = Some(resource);
            Some(named)
        })
        .collect()
}

/// The resource one item of a collection is, as `CoreError::NotFound` names it (`None` for a
/// parameter that is looked up nowhere: `access/{user_id}` answers for anyone).
fn resource_in(collection: &str) -> Option<&'static str> {
    Some(match collection {
        "access" => return None,
        "organizations" => "organization",
        "members" => "member",
        "teams" => "team",
        "projects" => "project",
        "roles" => "role",
        "invitations" => "invitation",
        "api-keys" => "API key",
        "users" => "user",
        "webhooks" => "webhook",
        "deliveries" => "delivery",
        // A new collection: name its resource here (a test lists every path's).
        _ => "resource",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::Permission;

    #[test]
    fn a_path_names_each_resource_it_looks_up() {
        assert_eq!(
            of_path("/v1/organizations/{org}/members/{user_id}/permissions"),
            ["organization", "member"]
        );
        assert_eq!(of_path("/v1/users/me/api-keys/{id}"), ["API key"]);
        assert_eq!(of_path("/v1/users/{id}/organizations"), ["user"]);
        assert!(of_path("/v1/organizations").is_empty());
    }

    #[test]
    fn a_permission_requirement_names_its_permission() {
        let refusals = of_requirement(Requirement::Organization(Permission::MembersWrite));
        let details: Vec<String> = refusals.iter().map(|r| r.problem().detail).collect();
        assert_eq!(details, ["this needs the members:write permission"]);
    }

    #[test]
    fn public_operations_refuse_a_credential_that_does_not_work() {
        let refusals = of_endpoint("/v1/users", Requirement::Public, true, false, Vec::new());
        assert_eq!(refusals.keys().copied().collect::<Vec<_>>(), [401]);
        let without_operation =
            of_endpoint("/healthz", Requirement::Public, false, false, Vec::new());
        assert!(without_operation.is_empty());
    }
}
