//! The one place where Roster decides who may do what. Every operation's requirement is checked
//! here ([`admit`] before it runs, [`authorize_organization`] when it names its organization),
//! from live rows: a disabled user, an ended session, a revoked key or a lost membership
//! counts at once.
//!
//! A platform admin may do anything; a current member may do what its role and tags grant; an
//! organization API key what its own role and tags grant, and never more than the member who
//! made it; any signed-in user may read a public organization's profile. Everyone else gets
//! 404, never 403, so a non-member never learns that a private organization exists.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{
    role_grants, AccessLevel, Grants, OrganizationId, Permission, ProjectVisibility, Role, UserId,
    Visibility,
};
use roster_store::teams::{self, CountedTeam};
use roster_store::{api_keys, org_access, projects, users, DbConn, Ts};

use crate::members::Membership;
use crate::organizations::Organization;
use crate::principal::{CheckedKey, Via};
use crate::projects::Project;
use crate::read_cache::ReadCache;
use crate::roles::RoleView;
use crate::standing::{
    project_with_team_access, OrgLookup, OrgStanding, PresentedKey, ProjectWithTeamAccess,
};
use crate::users::User;
use crate::{
    ApiKeyCredential, Caller, CoreError, Forbidden, Principal, Requirement, UserCredential,
};

/// How often at most `last_used_at` is written for one key.
pub(crate) const KEY_USE_RESOLUTION_SECONDS: i64 = 60;

/// Checks a requirement that names no organization, loading the caller when there is one.
/// Organization requirements are checked by [`authorize_organization`] instead, when the
/// operation names its organization (the caller is loaded in that same query).
pub(crate) fn admit(
    conn: &mut DbConn,
    principal: &Principal,
    requirement: Requirement,
    now: Ts,
) -> Result<Option<Caller>, CoreError> {
    match (principal, requirement) {
        // The operator at the console holds the database itself: what a platform admin may do,
        // it may do too.
        (Principal::Operator, Requirement::Operator | Requirement::PlatformAdmin) => {
            return Ok(None)
        }
        (_, Requirement::Operator) | (Principal::Operator, _) => {
            return Err(CoreError::forbidden(Forbidden::Policy(
                "this is done by the operator at the console",
            )))
        }
        (Principal::Anonymous, Requirement::Public) => return Ok(None),
        (Principal::Anonymous, _) => {
            return Err(CoreError::Unauthenticated(
                "this endpoint needs a bearer token".into(),
            ))
        }
        (_, requirement) if requirement.names_organization() => return Ok(None),
        _ => {}
    }
    let caller = load_caller(conn, principal, now)?;
    let account_wide = || match caller.scope() {
        None => Ok(()),
        Some(_) if caller.api_key().is_some() => Err(CoreError::forbidden(Forbidden::Policy(
            "an organization API key acts in its organization only",
        ))),
        Some(_) => Err(CoreError::forbidden(Forbidden::ScopedCredential)),
    };
    match requirement {
        Requirement::AccountWide => account_wide()?,
        Requirement::UserSession => {
            if caller.api_key().is_some() {
                return Err(CoreError::forbidden(Forbidden::Policy(
                    "this needs a signed-in user's access token; API keys cannot do it",
                )));
            }
            account_wide()?;
        }
        Requirement::PlatformAdmin => {
            account_wide()?;
            if !caller.is_platform_admin() {
                return Err(CoreError::forbidden(Forbidden::PlatformAdminOnly));
            }
        }
        _ => {}
    }
    Ok(Some(caller))
}

/// Powers over accounts that a leaked key must never carry (creating users, setting passwords,
/// making platform admins) need a person signed in: 403 for an API key, whoever made it.
pub(crate) fn require_person(caller: &Caller, what: &'static str) -> Result<(), CoreError> {
    if caller.api_key().is_some() {
        return Err(CoreError::forbidden(Forbidden::Policy(what)));
    }
    Ok(())
}

/// The caller behind a credential, if it still works: the user exists and is active, and the
/// session is live or the API key is neither revoked nor expired (and, for an organization
/// key, its maker is still a member there).
pub(crate) fn load_caller(
    conn: &mut DbConn,
    principal: &Principal,
    now: Ts,
) -> Result<Caller, CoreError> {
    match principal {
        Principal::User(credential) => {
            let found = users::find_with_session(conn, credential.user, credential.session)?;
            let (user, live) = match found {
                Some((user, live)) => (Some(User::from(user)), live),
                None => (None, false),
            };
            session_caller(credential, user, live)
        }
        Principal::ApiKey(credential) => {
            let presented = present_key(conn, None, credential, now)?;
            if let Some(organization) = presented.key.organization_id {
                let (membership, _) =
                    org_access::member_standing(conn, organization, presented.user.id, now)?;
                key_maker_still_belongs(&presented.user, membership.is_some())?;
            }
            Ok(key_caller(presented))
        }
        Principal::Anonymous | Principal::Operator => Err(CoreError::Unauthenticated(
            "this endpoint needs a bearer token".into(),
        )),
    }
}

fn session_caller(
    credential: &UserCredential,
    user: Option<User>,
    session_live: bool,
) -> Result<Caller, CoreError> {
    match user {
        None => Err(CoreError::Unauthenticated(
            "this user no longer exists".into(),
        )),
        Some(_) if !session_live => Err(CoreError::Unauthenticated(
            "this session has been signed out".into(),
        )),
        Some(user) if !user.is_active() => {
            Err(CoreError::Unauthenticated("this user is disabled".into()))
        }
        Some(user) => Ok(Caller {
            user,
            via: Via::Session {
                session: credential.session,
                scope: credential.scope,
                expires_at: credential.expires_at,
            },
        }),
    }
}

/// The key a credential presents, if it works, with its use recorded (at most once a minute).
/// With `cache` (a read), a key kept there is used, and one read is kept.
fn present_key(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    credential: &ApiKeyCredential,
    now: Ts,
) -> Result<PresentedKey, CoreError> {
    if let Some(presented) = cache.and_then(|c| c.api_key(&credential.hash, now)) {
        check_presented(&presented, now)?;
        return Ok(presented);
    }
    let ticket = cache.and_then(ReadCache::ticket);
    // The lookup is by the SHA-256 of a 256-bit random secret: timing reveals nothing usable.
    let mut presented: PresentedKey = api_keys::find_by_hash(conn, &credential.hash)?
        .ok_or_else(|| CoreError::Unauthenticated("unknown API key".into()))?
        .into();
    check_presented(&presented, now)?;
    let stale_before =
        Ts::from_datetime(now.0 - chrono::Duration::seconds(KEY_USE_RESOLUTION_SECONDS));
    if presented
        .key
        .last_used_at
        .is_none_or(|used| used < stale_before.0)
    {
        api_keys::touch(conn, presented.key.id, now, stale_before)?;
        presented.key.last_used_at = Some(now.0);
    }
    if let (Some(cache), Some(ticket)) = (cache, ticket) {
        cache.keep_api_key(ticket, &credential.hash, &presented);
    }
    Ok(presented)
}

/// Whether a presented key works: not revoked, not expired, its user active.
fn check_presented(presented: &PresentedKey, now: Ts) -> Result<(), CoreError> {
    if presented.key.revoked_at.is_some() {
        return Err(CoreError::Unauthenticated(
            "this API key has been revoked".into(),
        ));
    }
    if !presented.key.is_live(now.0) {
        return Err(CoreError::Unauthenticated(
            "this API key has expired".into(),
        ));
    }
    if !presented.user.is_active() {
        return Err(CoreError::Unauthenticated(
            "the user this API key acts for is disabled".into(),
        ));
    }
    Ok(())
}

/// An organization key stops working the moment the member who made it is no longer one (a
/// platform admin's keys need no membership): leaving revokes it too, but a membership that
/// has just expired is only removed, with its keys, by the next sweep.
fn key_maker_still_belongs(maker: &User, is_member: bool) -> Result<(), CoreError> {
    if !is_member && !maker.is_admin {
        return Err(CoreError::Unauthenticated(
            "the member who made this API key has left its organization".into(),
        ));
    }
    Ok(())
}

fn key_caller(presented: PresentedKey) -> Caller {
    Caller {
        user: presented.user,
        via: Via::ApiKey(Box::new(CheckedKey {
            key: presented.key,
            custom_role: presented.custom_role,
        })),
    }
}

/// An organization the caller may see, the caller's standing in it, and what it may do there.
#[derive(Debug, Clone)]
pub struct OrgAccess {
    pub org: Organization,
    /// The membership of the caller's user (for an API key: of the member who made it).
    pub membership: Option<Membership>,
    /// That membership's custom role, if it has one.
    pub custom_role: Option<RoleView>,
    pub caller: Caller,
    /// What the caller may do here.
    pub grants: Grants,
}

impl OrgAccess {
    /// 403 unless the caller holds `permission` here: the same check as an operation's
    /// declared requirement, for the permissions a request needs beyond it (closing an
    /// organization in a PATCH needs `organization:delete`).
    pub fn require(&self, permission: Permission) -> Result<(), CoreError> {
        if self.grants.has(permission) {
            Ok(())
        } else {
            Err(CoreError::forbidden(Forbidden::Missing(permission)))
        }
    }

    /// Whether the caller acts as an owner here: a platform admin, an owner, or an owner's
    /// API key that holds the owner role.
    pub fn is_owner(&self) -> bool {
        if self.caller.is_platform_admin() {
            return true;
        }
        let member_is_owner = self
            .membership
            .as_ref()
            .is_some_and(|m| m.role == Role::Owner);
        match self.caller.organization_key() {
            Some(checked) => member_is_owner && checked.key.role() == Some(Role::Owner),
            None => member_is_owner,
        }
    }

    /// 403 unless the caller is an owner: only owners make or unmake owners.
    pub fn require_owner(&self) -> Result<(), CoreError> {
        if self.is_owner() {
            Ok(())
        } else {
            Err(CoreError::forbidden(Forbidden::OwnerOnly))
        }
    }

    /// 403 unless the caller may say whether the organization is personal: a personal
    /// organization keeps the person it was made for as its owner for good, so only that
    /// person, as an owner (or a platform admin), switches it off, and a co-owner cannot lift
    /// the guard to push them out; and switching it on, which makes its maker impossible to
    /// remove, is for its maker while the sole owner (`owners`: how many active owners it has).
    pub fn require_personal_organization_holder(
        &self,
        switching_on: bool,
        owners: i64,
    ) -> Result<(), CoreError> {
        if self.caller.is_platform_admin() {
            return Ok(());
        }
        let creator = self.org.created_by == Some(self.caller.id()) && self.is_owner();
        if creator && (!switching_on || owners == 1) {
            Ok(())
        } else if creator {
            Err(CoreError::forbidden(Forbidden::Policy(
                "an organization becomes personal only while the person it was made for is its sole owner",
            )))
        } else {
            Err(CoreError::forbidden(Forbidden::Policy(
                "only the person this organization was made for changes whether it is personal",
            )))
        }
    }

    /// 403 unless the caller holds everything in `wanted`: nobody hands on (in a role, a
    /// membership, an API key) more than they hold themselves. Platform admins hold everything.
    pub fn require_covers(&self, wanted: &Grants) -> Result<(), CoreError> {
        if self.grants.covers(wanted) {
            Ok(())
        } else {
            Err(CoreError::forbidden(Forbidden::BeyondOwn))
        }
    }

    /// The person themselves, signed in, acting on their own membership: what a member may do
    /// to itself without a permission (read its membership, leave). An API key never is: it
    /// needs the permission, as for anyone else's.
    pub fn is_self(&self, user: UserId) -> bool {
        self.caller.api_key().is_none() && self.caller.id() == user
    }

    /// Whether a change concerns the caller's own membership, an API key counting as its
    /// maker: every rule that restrains what a member does to itself (it cannot lengthen its
    /// own membership) holds for its keys too, or a key would be a way around it.
    pub fn concerns_own_membership(&self, user: UserId) -> bool {
        self.caller.id() == user
    }
}

/// What a member's role and tags grant. `custom_role` is the membership's custom role (none
/// for a built-in role; a custom role that is missing grants nothing).
pub fn member_grants(membership: Option<&Membership>, custom_role: Option<&RoleView>) -> Grants {
    let Some(membership) = membership else {
        return Grants::default();
    };
    role_grants_of(&membership.role, custom_role).with_tags(&membership.permissions)
}

/// What a role grants: a built-in role's catalogue permissions (owners and admins hold every
/// application permission too, so that they can hand tags on), or a custom role's entries.
pub fn role_grants_of(role: &Role, custom_role: Option<&RoleView>) -> Grants {
    match role.builtin_catalogue() {
        Some(catalogue) if matches!(role, Role::Owner | Role::Admin) => {
            Grants::new(catalogue, vec!["*".to_owned()])
        }
        Some(catalogue) => Grants::new(catalogue, Vec::new()),
        None => custom_role
            .filter(|r| r.key == role.as_str())
            .map(|r| role_grants(&r.permissions))
            .unwrap_or_default(),
    }
}

/// What an organization key grants by itself (its role and tags), before it is capped by its
/// maker's own grants.
pub fn key_grants(checked: &CheckedKey) -> Grants {
    match checked.key.role() {
        Some(role) => role_grants_of(&role, checked.custom_role.as_ref()),
        None => Grants::default(),
    }
    .with_tags(&checked.key.permissions)
}

/// What `caller` may do in `org`, given its user's membership there.
pub fn grants_in(
    caller: &Caller,
    org: &Organization,
    membership: Option<&Membership>,
    custom_role: Option<&RoleView>,
) -> Grants {
    let own = if caller.user.is_admin {
        Grants::everything()
    } else if membership.is_some() {
        member_grants(membership, custom_role)
    } else if org.visibility == Visibility::Public {
        // Not a member, but anyone signed in may read a public profile.
        Grants::new(
            [Permission::OrganizationRead].into_iter().collect(),
            Vec::new(),
        )
    } else {
        Grants::default()
    };
    match caller.organization_key() {
        Some(checked) => key_grants(checked).intersection(&own),
        None => own,
    }
}

/// Where an organization key led, for a caller who may see the organization and do what the
/// operation needs there.
pub enum Located {
    Here(Box<OrgAccess>),
    /// Through a former name: the organization is now called otherwise (a read of the
    /// organization answers 308 to its new name; anything else acts on it all the same).
    Moved(Box<OrgAccess>),
}

/// What an organization requirement asks of the caller, once the organization is known.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    /// Only seeing the organization: what is asked beyond it is asked of one of its teams or
    /// projects ([`authorize_project`], [`authorize_team_management`]).
    Visible,
    Permission(Permission),
    /// An owner (or a platform admin).
    Owner,
    /// Seeing the organization, and `permission` too unless the caller's user is `subject`
    /// (`None`: the caller itself).
    SelfOr {
        permission: Permission,
        subject: Option<UserId>,
    },
}

/// Loads the caller (checking its credential still works), the organization named by `key`
/// (id, name or former name) and the caller's membership, in one round trip for a user's
/// token (two for an API key), or none when `cache` (a read) holds them; then checks that the
/// caller may see it (404 otherwise) and may do what `need` says (403).
pub(crate) fn authorize_organization(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    principal: &Principal,
    key: &OrgKey,
    need: Need,
    now: Ts,
) -> Result<Located, CoreError> {
    let (caller, standing) = match principal {
        Principal::User(credential) => {
            let standing = standing_of(
                conn,
                cache,
                credential.user,
                Some(credential.session),
                key,
                now,
            )?;
            (session_caller_in(credential, standing.as_ref())?, standing)
        }
        Principal::ApiKey(credential) => {
            let presented = present_key(conn, cache, credential, now)?;
            let standing = standing_of(conn, cache, presented.user.id, None, key, now)?;
            (key_caller(presented), standing)
        }
        Principal::Anonymous | Principal::Operator => {
            return Err(CoreError::Unauthenticated(
                "this endpoint needs a bearer token".into(),
            ))
        }
    };
    judge_organization(caller, standing, need)
}

/// [`authorize_organization`] from the read cache alone: `None` when something it needs is not
/// there (the database is asked then).
pub(crate) fn organization_in_memory(
    cache: &ReadCache,
    principal: &Principal,
    key: &OrgKey,
    need: Need,
    now: Ts,
) -> Option<Result<Located, CoreError>> {
    let (caller, standing) = match principal {
        Principal::User(credential) => {
            let standing = cache.standing(credential.user, Some(credential.session), key, now)?;
            (session_caller_in(credential, Some(&standing)), standing)
        }
        Principal::ApiKey(credential) => {
            let presented = cache.api_key(&credential.hash, now)?;
            let standing = cache.standing(presented.user.id, None, key, now)?;
            let caller = check_presented(&presented, now).map(|()| key_caller(presented));
            (caller, standing)
        }
        Principal::Anonymous | Principal::Operator => return None,
    };
    Some(caller.and_then(|caller| judge_organization(caller, Some(standing), need)))
}

/// The caller's standing in the organization `key` names: from `cache` when it holds it, else
/// read (and kept, for a read).
fn standing_of(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    user: UserId,
    session: Option<roster_domain::SessionId>,
    key: &OrgKey,
    now: Ts,
) -> Result<Option<OrgStanding>, CoreError> {
    if let Some(standing) = cache.and_then(|c| c.standing(user, session, key, now)) {
        return Ok(Some(standing));
    }
    let ticket = cache.and_then(ReadCache::ticket);
    let standing = org_access::load(conn, user, session, key, now)?.map(OrgStanding::from);
    if let (Some(cache), Some(ticket), Some(standing)) = (cache, ticket, &standing) {
        cache.keep_standing(ticket, session, key, standing);
    }
    Ok(standing)
}

/// The token's caller as its standing found the user and the session.
fn session_caller_in(
    credential: &UserCredential,
    standing: Option<&OrgStanding>,
) -> Result<Caller, CoreError> {
    let (user, live) = match standing {
        Some(s) => (Some(s.user.clone()), s.session_live),
        None => (None, false),
    };
    session_caller(credential, user, live)
}

/// Decides on an organization request from the caller and its standing there.
fn judge_organization(
    caller: Caller,
    standing: Option<OrgStanding>,
    need: Need,
) -> Result<Located, CoreError> {
    let Some(OrgStanding {
        organization,
        membership,
        custom_role,
        ..
    }) = standing
    else {
        return Err(CoreError::NotFound("organization"));
    };
    let (org, moved) = match organization {
        OrgLookup::Found(org) => (*org, false),
        OrgLookup::Renamed(org) => (*org, true),
        OrgLookup::Missing => return Err(CoreError::NotFound("organization")),
    };
    // A scoped token, or an organization key, sees no other organization.
    if caller.scope().is_some_and(|scope| scope != org.id) {
        return Err(CoreError::NotFound("organization"));
    }
    if caller.organization_key().is_some() {
        key_maker_still_belongs(&caller.user, membership.is_some())?;
    }
    let visible =
        caller.user.is_admin || membership.is_some() || org.visibility == Visibility::Public;
    if !visible {
        return Err(CoreError::NotFound("organization"));
    }
    let grants = grants_in(&caller, &org, membership.as_ref(), custom_role.as_ref());
    let access = OrgAccess {
        org,
        membership,
        custom_role,
        caller,
        grants,
    };
    match need {
        Need::Visible => {}
        Need::Permission(permission) => access.require(permission)?,
        Need::Owner => access.require_owner()?,
        Need::SelfOr {
            permission,
            subject,
        } => {
            if subject.is_some_and(|user| !access.is_self(user)) {
                access.require(permission)?;
            }
        }
    }
    let access = Box::new(access);
    Ok(if moved {
        Located::Moved(access)
    } else {
        Located::Here(access)
    })
}

/// A project the caller may reach, and its access level there.
#[derive(Debug, Clone)]
pub struct ProjectStanding {
    pub project: Project,
    pub level: AccessLevel,
}

/// The access level to `project` of someone holding `grants` in its organization: `owner`
/// when they hold `projects:write`; else, for a current member, the highest of their teams'
/// grants (`team`; none for an API key, which has no teams) and `reader` on an
/// organization-visible project. `None`: no access (the project is 404 to them).
pub fn project_level(
    grants: &Grants,
    member: bool,
    visibility: ProjectVisibility,
    team: Option<AccessLevel>,
) -> Option<AccessLevel> {
    if grants.has(Permission::ProjectsWrite) {
        return Some(AccessLevel::Owner);
    }
    if !member {
        return None;
    }
    let visible = (visibility == ProjectVisibility::Organization).then_some(AccessLevel::Reader);
    team.max(visible)
}

/// Whose teams count for the caller: its user's, unless it is an API key (keys have no teams).
pub fn teams_of(caller: &Caller) -> Option<UserId> {
    caller.api_key().is_none().then(|| caller.id())
}

/// Whose team grants a project look-up reads for the caller: none when its role makes it the
/// project's `owner` anyway (nothing a team grants can add to that), else its teams'.
pub fn teams_read_for(access: &OrgAccess) -> Option<UserId> {
    if access.grants.has(Permission::ProjectsWrite) {
        None
    } else {
        teams_of(&access.caller)
    }
}

/// Checks a [`Requirement::Project`]: the organization as for any organization operation (404
/// unless the caller may see it), then the project with the caller's team grants on it (one
/// query): 404 without access, 403 with less than `level` (unless the caller holds `or`).
pub(crate) fn authorize_project(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    principal: &Principal,
    organization: &OrgKey,
    project: &NameOrId,
    (level, or): (AccessLevel, Permission),
    now: Ts,
) -> Result<(OrgAccess, ProjectStanding), CoreError> {
    let (Located::Here(access) | Located::Moved(access)) =
        authorize_organization(conn, cache, principal, organization, Need::Visible, now)?;
    let (project, team) = find_project(
        conn,
        cache,
        access.org.id,
        project,
        teams_read_for(&access),
        now,
    )?
    .ok_or(CoreError::NotFound("project"))?;
    let held = require_project_level(&access, project.visibility, team, (level, or))?;
    Ok((
        *access,
        ProjectStanding {
            project: Project {
                access: Some(held),
                ..project
            },
            level: held,
        },
    ))
}

/// The caller's access level to a project with this visibility, given what its teams' grants
/// give to it (`team`): 404 without access, 403 with less than `level` (unless the caller
/// holds `or`).
pub(crate) fn require_project_level(
    access: &OrgAccess,
    visibility: ProjectVisibility,
    team: Option<AccessLevel>,
    (level, or): (AccessLevel, Permission),
) -> Result<AccessLevel, CoreError> {
    let held = project_level(
        &access.grants,
        access.membership.is_some(),
        visibility,
        team,
    )
    .ok_or(CoreError::NotFound("project"))?;
    if held < level && !access.grants.has(or) {
        return Err(CoreError::forbidden(Forbidden::ProjectAccess(level, or)));
    }
    Ok(held)
}

/// A project of the organization with what the grants of `teams`' teams give to it (`None`
/// reads none), from `cache` when it holds it (only reads pass one). A project that does not
/// exist is not kept: creating it must not wait for an invalidation to be seen.
pub(crate) fn find_project(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    organization: OrganizationId,
    project: &NameOrId,
    teams: Option<UserId>,
    now: Ts,
) -> Result<Option<ProjectWithTeamAccess>, CoreError> {
    if let Some(found) = cache.and_then(|c| c.project(organization, project, teams, now)) {
        return Ok(Some(found));
    }
    let ticket = cache.and_then(ReadCache::ticket);
    let found = projects::find(conn, organization, project, teams)?.map(project_with_team_access);
    if let (Some(cache), Some(ticket), Some(found)) = (cache, ticket, &found) {
        cache.keep_project(ticket, project, teams, found);
    }
    Ok(found)
}

/// Checks a [`Requirement::TeamMaintainer`]: the organization as for any organization
/// operation, then the team (404 if it has none such); then `or` in the organization, or the
/// caller being one of the team's maintainers (a person: API keys are in no team), or (with
/// `subject`, for an operation that allows it) the caller acting on its own place in the team.
pub(crate) fn authorize_team_management(
    conn: &mut DbConn,
    cache: Option<&ReadCache>,
    principal: &Principal,
    organization: &OrgKey,
    team: &NameOrId,
    (or, subject): (Permission, Option<UserId>),
    now: Ts,
) -> Result<(OrgAccess, CountedTeam), CoreError> {
    let (Located::Here(access) | Located::Moved(access)) =
        authorize_organization(conn, cache, principal, organization, Need::Visible, now)?;
    let found = teams::find(conn, access.org.id, team)?.ok_or(CoreError::NotFound("team"))?;
    may_manage_team(conn, &access, found.0.id, or, subject)?;
    Ok((*access, found))
}

/// 403 unless the caller holds `or`, or maintains `team` (a person: API keys are in no team),
/// or is `subject` itself. Run again under the organization's lock by the operations, so that a
/// maintainer demoted meanwhile is judged on what holds now.
pub(crate) fn may_manage_team(
    conn: &mut DbConn,
    access: &OrgAccess,
    team: roster_domain::TeamId,
    or: Permission,
    subject: Option<UserId>,
) -> Result<(), CoreError> {
    if access.grants.has(or) || subject.is_some_and(|user| access.is_self(user)) {
        return Ok(());
    }
    let maintainer = match (teams_of(&access.caller), &access.membership) {
        (Some(user), Some(_)) => teams::find_member(conn, team, user)?
            .is_some_and(|place| place.role == roster_domain::TeamRole::Maintainer),
        _ => false,
    };
    if maintainer {
        Ok(())
    } else {
        Err(CoreError::forbidden(Forbidden::TeamMaintainer(or)))
    }
}
