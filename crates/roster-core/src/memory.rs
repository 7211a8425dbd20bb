//! Answering a read from the read cache alone, on the request's own thread: no database slot,
//! no blocking thread, no round trip. An operation that can ([`Operation::answer_from_memory`]) asks
//! [`Memory`] what [`Context`](crate::Context) would read; the first thing missing sends the
//! whole operation to the database instead, where the same checks run on the rows read there.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{OrganizationId, UserId};
use roster_store::Ts;

use crate::access::{self, Located, Need, OrgAccess};
use crate::read_cache::ReadCache;
use crate::standing::{ProjectWithTeamAccess, SubjectStanding};
use crate::{CoreError, Principal, Requirement};

pub struct Memory<'a> {
    cache: &'a ReadCache,
    principal: &'a Principal,
    requirement: Requirement,
    now: Ts,
}

impl<'a> Memory<'a> {
    pub(crate) fn new(
        cache: &'a ReadCache,
        principal: &'a Principal,
        requirement: Requirement,
    ) -> Memory<'a> {
        Memory {
            cache,
            principal,
            requirement,
            now: Ts::now(),
        }
    }

    pub fn now(&self) -> Ts {
        self.now
    }

    /// [`Context::locate_organization`](crate::Context::locate_organization), when the cache
    /// holds the caller's standing there.
    pub fn locate_organization(&self, key: &OrgKey) -> Option<Result<Located, CoreError>> {
        let need = match self.requirement {
            Requirement::Organization(permission) => Need::Permission(permission),
            Requirement::OrganizationOwner => Need::Owner,
            _ => return None,
        };
        access::organization_in_memory(self.cache, self.principal, key, need, self.now)
    }

    /// [`Context::organization_about`](crate::Context::organization_about), likewise.
    pub fn organization_about(
        &self,
        key: &OrgKey,
        subject: Option<UserId>,
    ) -> Option<Result<OrgAccess, CoreError>> {
        let Requirement::OrganizationOrSelf(permission) = self.requirement else {
            return None;
        };
        let need = Need::SelfOr {
            permission,
            subject,
        };
        let located =
            access::organization_in_memory(self.cache, self.principal, key, need, self.now)?;
        Some(located.map(|(Located::Here(access) | Located::Moved(access))| *access))
    }

    /// [`Context::subject_standing`](crate::Context::subject_standing), when the cache holds it
    /// (a user that does not exist is never kept: the database answers that).
    pub fn subject_standing(
        &self,
        organization: OrganizationId,
        user: UserId,
    ) -> Option<SubjectStanding> {
        self.cache.subject(organization, user, self.now)
    }

    /// [`Context::project_with_teams`](crate::Context::project_with_teams), when the cache holds
    /// it (a project that does not exist is never kept: the database answers that).
    pub fn project_with_teams(
        &self,
        organization: OrganizationId,
        project: &NameOrId,
        teams: Option<UserId>,
    ) -> Option<ProjectWithTeamAccess> {
        self.cache.project(organization, project, teams, self.now)
    }
}
