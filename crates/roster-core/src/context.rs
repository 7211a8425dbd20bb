//! What an operation works with while it runs: the database (inside its transaction, for a
//! write), the caller, the time, and the events it records.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{OrganizationId, UserId};
use roster_store::events::{self, Actor, NewEvent};
use roster_store::org_access;
use roster_store::teams::CountedTeam;
use roster_store::{DbConn, Ts};

use crate::access::{self, Located, Need, OrgAccess, ProjectStanding};
use crate::events::Event;
use crate::projects::Project;
use crate::read_cache::ReadCache;
use crate::standing::{subject_standing, ProjectForBoth, ProjectWithTeamAccess, SubjectStanding};
use crate::{
    Caller, Core, CoreError, Declared, Kind, Operation, Principal, RequestMeta, Requirement,
};

pub struct Context<'a> {
    conn: &'a mut DbConn,
    core: &'a Core,
    principal: &'a Principal,
    request: &'a RequestMeta,
    requirement: Requirement,
    kind: Kind,
    caller: Option<Caller>,
    /// Set once an `Organization` requirement has been checked.
    authorized: bool,
    now: Ts,
    events: Vec<NewEvent>,
    /// Who the events name when neither they nor a caller do (see [`act_as`](Self::act_as)).
    acting_as: Option<Actor>,
    /// Stop as soon as the caller is found to meet the requirement ([`Core::admits`]).
    admit_only: bool,
    /// Mail was queued: the sender is woken once the transaction commits.
    mail_queued: bool,
    /// A person whose address is erased from the audit log once this operation's own events
    /// are written (an account deletion).
    erase: Option<(UserId, String)>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        conn: &'a mut DbConn,
        core: &'a Core,
        principal: &'a Principal,
        request: &'a RequestMeta,
    ) -> Context<'a> {
        Context {
            conn,
            core,
            principal,
            request,
            requirement: Requirement::Public,
            kind: Kind::Read,
            caller: None,
            authorized: false,
            now: Ts::now(),
            events: Vec::new(),
            acting_as: None,
            admit_only: false,
            mail_queued: false,
            erase: None,
        }
    }

    /// Runs `op`: its requirement first, then its work, then (for a write) its events, all on
    /// this connection, inside the caller's transaction.
    pub(crate) fn run<O: Operation>(&mut self, op: O) -> Result<O::Output, CoreError> {
        self.requirement = O::REQUIRES;
        self.kind = O::KIND;
        self.caller = access::admit(self.conn, self.principal, O::REQUIRES, self.now)?;
        if self.admit_only && !O::REQUIRES.names_organization() {
            return Err(CoreError::Admitted);
        }
        let output = op.run(self)?;
        if O::REQUIRES.names_organization() && !self.authorized {
            return Err(CoreError::Internal(format!(
                "{} declares an organization permission but never named its organization",
                <O as Declared>::NAME
            )));
        }
        let recorded = std::mem::take(&mut self.events);
        if !recorded.is_empty() {
            if self.kind == Kind::Read {
                return Err(CoreError::Internal(format!(
                    "{} is a read and recorded events",
                    <O as Declared>::NAME
                )));
            }
            events::append(self.conn, recorded)?;
        }
        if let Some((user, email)) = self.erase.take() {
            // Last, so that this operation's own events forget the address too.
            roster_store::erasure::erase_person(self.conn, user, &email)?;
        }
        Ok(output)
    }

    /// Erases `email` (and `user` as a named actor) from the audit log once this operation's
    /// events are written, in its transaction.
    pub(crate) fn erase_person(&mut self, user: UserId, email: String) {
        self.erase = Some((user, email));
    }

    /// The client's address, as the request gave it.
    pub fn request_ip(&self) -> Option<&str> {
        self.request.ip.as_deref()
    }

    /// What the operation being run declared it requires.
    pub(crate) fn requirement(&self) -> Requirement {
        self.requirement
    }

    /// Whether the operation being run reads or writes.
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// Notes that mail was queued in this transaction.
    pub(crate) fn mail_queued(&mut self) {
        self.mail_queued = true;
    }

    /// Whether mail was queued in this transaction.
    pub(crate) fn queued_mail(&self) -> bool {
        self.mail_queued
    }

    /// The database connection (inside the operation's transaction when it writes).
    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    /// The moment the operation started; every timestamp it writes uses it.
    pub fn now(&self) -> Ts {
        self.now
    }

    pub fn core(&self) -> &'a Core {
        self.core
    }

    pub fn principal(&self) -> &Principal {
        self.principal
    }

    /// The checked caller, when the credential belongs to a user.
    pub fn caller(&self) -> Option<&Caller> {
        self.caller.as_ref()
    }

    /// The checked caller; for operations whose requirement guarantees one.
    pub fn signed_in(&self) -> Result<&Caller, CoreError> {
        self.caller
            .as_ref()
            .ok_or_else(|| CoreError::Unauthenticated("this endpoint needs a bearer token".into()))
    }

    /// The organization `key` names, with the caller's standing in it, once the caller has
    /// been found to meet the operation's declared requirement there (one query).
    pub fn organization(&mut self, key: &OrgKey) -> Result<OrgAccess, CoreError> {
        // A former name acts on the organization it names now, as its current name would.
        match self.locate_organization(key)? {
            Located::Here(access) | Located::Moved(access) => Ok(*access),
        }
    }

    /// The same for an `OrganizationOrSelf` requirement: `subject` is the member the operation
    /// concerns (`None`: the caller itself, API keys included); the caller acting on itself
    /// needs only to see the organization.
    pub fn organization_about(
        &mut self,
        key: &OrgKey,
        subject: Option<UserId>,
    ) -> Result<OrgAccess, CoreError> {
        let Requirement::OrganizationOrSelf(permission) = self.requirement else {
            return Err(CoreError::Internal(
                "organization_about is for operations that require a permission or self".into(),
            ));
        };
        let need = Need::SelfOr {
            permission,
            subject,
        };
        match self.authorize_in(key, need)? {
            Located::Here(access) | Located::Moved(access) => Ok(*access),
        }
    }

    /// Like [`organization`](Self::organization), but a former name is reported as such
    /// (for reads that can answer with the organization's new name).
    pub fn locate_organization(&mut self, key: &OrgKey) -> Result<Located, CoreError> {
        let need = match self.requirement {
            Requirement::Organization(permission) => Need::Permission(permission),
            Requirement::OrganizationOwner => Need::Owner,
            _ => {
                return Err(CoreError::Internal(
                    "an operation without an organization requirement named an organization".into(),
                ))
            }
        };
        self.authorize_in(key, need)
    }

    /// The project `project` of the organization `organization`, with the caller's access
    /// level there, once the caller is found to meet the operation's `Project` requirement
    /// (the organization's query, then one for the project and the caller's team grants).
    pub fn project(
        &mut self,
        organization: &OrgKey,
        project: &NameOrId,
    ) -> Result<(OrgAccess, ProjectStanding), CoreError> {
        let Requirement::Project { level, or } = self.requirement else {
            return Err(CoreError::Internal(
                "project() is for operations that require project access".into(),
            ));
        };
        let cache = self.read_cache();
        let (access, standing) = access::authorize_project(
            self.conn,
            cache,
            self.principal,
            organization,
            project,
            (level, or),
            self.now,
        )?;
        self.authorized_as(&access)?;
        Ok((access, standing))
    }

    /// The team `team` of the organization, once the caller is found to meet the operation's
    /// `TeamMaintainer` requirement; `subject` is the member the operation acts on (the caller
    /// acting on itself passes where the requirement allows it).
    pub fn team_to_manage(
        &mut self,
        organization: &OrgKey,
        team: &NameOrId,
        subject: Option<UserId>,
    ) -> Result<(OrgAccess, CountedTeam), CoreError> {
        let Requirement::TeamMaintainer { or, or_self } = self.requirement else {
            return Err(CoreError::Internal(
                "team_to_manage() is for operations that require a team maintainer".into(),
            ));
        };
        let subject = subject.filter(|_| or_self);
        let cache = self.read_cache();
        let (access, team) = access::authorize_team_management(
            self.conn,
            cache,
            self.principal,
            organization,
            team,
            (or, subject),
            self.now,
        )?;
        self.authorized_as(&access)?;
        Ok((access, team))
    }

    /// The read cache, for a read (writes read fresh rows under their locks, never the cache).
    fn read_cache(&self) -> Option<&'a ReadCache> {
        let core: &'a Core = self.core;
        (self.kind == Kind::Read).then(|| core.cache())
    }

    /// Another user's standing in an organization (the user, its current membership and that
    /// membership's custom role); `None` for no such user. From the read cache for a read.
    pub fn subject_standing(
        &mut self,
        organization: OrganizationId,
        user: UserId,
    ) -> Result<Option<SubjectStanding>, CoreError> {
        let cache = self.read_cache();
        if let Some(standing) = cache.and_then(|c| c.subject(organization, user, self.now)) {
            return Ok(Some(standing));
        }
        let ticket = cache.and_then(ReadCache::ticket);
        let standing = org_access::subject_standing(self.conn, organization, user, self.now)?
            .map(subject_standing);
        if let (Some(cache), Some(ticket), Some(standing)) = (cache, ticket, &standing) {
            cache.keep_subject(ticket, organization, standing);
        }
        Ok(standing)
    }

    /// A project of the organization with what the grants of `teams`' teams give to it
    /// (`teams`: whose; `None` reads none); `None` for no such project. From the read cache for
    /// a read.
    pub fn project_with_teams(
        &mut self,
        organization: OrganizationId,
        project: &NameOrId,
        teams: Option<UserId>,
    ) -> Result<Option<ProjectWithTeamAccess>, CoreError> {
        let cache = self.read_cache();
        access::find_project(self.conn, cache, organization, project, teams, self.now)
    }

    /// Another user's standing and the project `project` with what the teams of `asker` (the
    /// one asking; `None`: nobody's) and of the user give to it, in one query (the access
    /// question about someone and a project costs the round trip it costs without one); for
    /// a read, each piece is kept in the read cache.
    pub fn subject_with_project(
        &mut self,
        organization: OrganizationId,
        user: UserId,
        project: &NameOrId,
        asker: Option<UserId>,
    ) -> Result<Option<(SubjectStanding, Option<ProjectForBoth>)>, CoreError> {
        let cache = self.read_cache();
        let ticket = cache.and_then(ReadCache::ticket);
        let found = org_access::subject_with_project(
            self.conn,
            organization,
            user,
            project,
            asker,
            self.now,
        )?
        .map(|(standing, for_both)| {
            let for_both = for_both.map(|(row, asker_level, user_level)| {
                (Project::of(row, None), asker_level, user_level)
            });
            (subject_standing(standing), for_both)
        });
        if let (Some(cache), Some(ticket), Some((standing, for_both))) = (cache, ticket, &found) {
            cache.keep_subject(ticket, organization, standing);
            if let Some((row, asker_level, user_level)) = for_both {
                cache.keep_project(ticket, project, asker, &(row.clone(), *asker_level));
                cache.keep_project(ticket, project, Some(user), &(row.clone(), *user_level));
            }
        }
        Ok(found)
    }

    fn authorized_as(&mut self, access: &OrgAccess) -> Result<(), CoreError> {
        self.caller = Some(access.caller.clone());
        self.authorized = true;
        if self.admit_only {
            return Err(CoreError::Admitted);
        }
        Ok(())
    }

    fn authorize_in(&mut self, key: &OrgKey, need: Need) -> Result<Located, CoreError> {
        let cache = self.read_cache();
        let located =
            access::authorize_organization(self.conn, cache, self.principal, key, need, self.now)?;
        let (Located::Here(access) | Located::Moved(access)) = &located;
        self.authorized_as(access)?;
        Ok(located)
    }

    /// Makes this an admission check: [`run`](Self::run) ends with [`CoreError::Admitted`] as
    /// soon as the caller is found to meet the operation's requirement, before it does anything.
    pub(crate) fn admit_only(&mut self) {
        self.admit_only = true;
    }

    /// From here on, the events this operation records name `actor` unless they name another
    /// (a sign-up is the new user's own doing, though no caller was signed in).
    pub fn act_as(&mut self, actor: Actor) {
        self.acting_as = Some(actor);
    }

    /// Records an event, written with the operation's other changes (or not at all). The actor
    /// is the one the event names, else the one set by [`act_as`](Self::act_as), else the
    /// caller.
    pub fn record(&mut self, event: Event) {
        let actor = event
            .actor
            .or_else(|| self.acting_as.clone())
            .unwrap_or_else(|| match &self.caller {
                Some(caller) => caller.actor(),
                None => Actor::System,
            });
        self.events.push(NewEvent {
            id: roster_domain::EventId::new(),
            kind: event.kind.as_str().to_owned(),
            organization_id: event.organization,
            actor,
            target_type: event.target.kind(),
            target_id: event.target.id(),
            data: event.data,
            request_id: self.request.request_id.clone(),
            ip: self.request.ip.clone(),
            user_agent: self.request.user_agent.clone(),
            created_at: self.now,
        });
    }
}
