//! `members.authorize`: one call answers an application's access question: may this user (the
//! caller, by default) do each of these things in the organization, and (optionally) with at
//! least this access to this project? Catalogue permissions and application permissions alike;
//! tags ending in `*` grant by prefix.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{
    in_catalogue_area, validate_permission_name, AccessLevel, FieldError, Grants, Permission,
    UserId,
};

use crate::access::OrgAccess;
use crate::projects::standing::Holder;
use crate::{Context, CoreError, Declared, Kind, Memory, Operation, Requirement};

/// At most this many permissions in one question.
pub const MAX_ASKED: usize = 100;

#[derive(Debug, Clone)]
pub struct Authorize {
    pub organization: OrgKey,
    /// Whom the question is about; `None` for the caller itself (an API key included).
    pub user: Option<UserId>,
    pub permissions: Vec<String>,
    /// A project of the organization (id or name) and the access wanted to it.
    pub project: Option<(NameOrId, AccessLevel)>,
}

/// The answer: each permission asked, the project access when asked, and whether all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub results: Vec<(String, bool)>,
    pub project: Option<ProjectDecision>,
}

/// Whether the user has the access asked for to the project: their level (`None`: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectDecision {
    pub access: Option<AccessLevel>,
    pub allowed: bool,
}

impl Declared for Authorize {
    const NAME: &'static str = "members.authorize";
    const REQUIRES: Requirement = Requirement::OrganizationOrSelf(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for Authorize {
    type Output = Decision;

    fn run(self, cx: &mut Context<'_>) -> Result<Decision, CoreError> {
        check_asked(&self.permissions, self.project.is_some())?;
        let access = cx.organization_about(&self.organization, self.user)?;
        let about = self.user.filter(|user| !access.is_self(*user));
        let (holder, project) = match (about, self.project) {
            (Some(user), Some((key, wanted))) => {
                about_user_and_project(cx, &access, user, &key, wanted)?
            }
            (Some(user), None) => (
                Holder::existing_user(cx, access.org.id, user)?.ok_or_else(no_such_user)?,
                None,
            ),
            (None, project) => {
                let holder = Holder::caller(&access);
                let project = project
                    .map(|(key, wanted)| own_project_decision(cx, &access, &holder, &key, wanted))
                    .transpose()?;
                (holder, project)
            }
        };
        Ok(decision(&holder.grants, self.permissions, project))
    }

    /// A question about the caller or a member, and a project, that the cache holds.
    fn answer_from_memory(&self, memory: &Memory<'_>) -> Option<Result<Decision, CoreError>> {
        if let Err(error) = check_asked(&self.permissions, self.project.is_some()) {
            return Some(Err(error));
        }
        let access = match memory.organization_about(&self.organization, self.user)? {
            Ok(access) => access,
            Err(error) => return Some(Err(error)),
        };
        let org = access.org.id;
        let about = self.user.filter(|user| !access.is_self(*user));
        let holder = match about {
            Some(user) => Holder::of_subject(user, memory.subject_standing(org, user)?),
            None => Holder::caller(&access),
        };
        let project = match &self.project {
            None => None,
            Some((key, wanted)) => {
                // Whose teams: the asker's as the database path reads them, and the subject's.
                let asker = Holder::caller(&access);
                let (row, asker_team) = memory.project_with_teams(org, key, asker.teams_read())?;
                let level = match about {
                    Some(user) => {
                        if asker.level(row.visibility, asker_team).is_none() {
                            return Some(Err(no_such_project()));
                        }
                        let (row, team) = memory.project_with_teams(org, key, Some(user))?;
                        holder.level(row.visibility, team)
                    }
                    None => match holder.level(row.visibility, asker_team) {
                        Some(level) => Some(level),
                        None => return Some(Err(no_such_project())),
                    },
                };
                Some(decide(level, *wanted))
            }
        };
        Some(Ok(decision(
            &holder.grants,
            self.permissions.clone(),
            project,
        )))
    }
}

/// Each permission asked, as `grants` answer it, and the project's answer.
fn decision(
    grants: &Grants,
    permissions: Vec<String>,
    project: Option<ProjectDecision>,
) -> Decision {
    let results: Vec<(String, bool)> = permissions
        .into_iter()
        .map(|p| {
            let granted = grants.allows(&p);
            (p, granted)
        })
        .collect();
    Decision {
        allowed: results.iter().all(|(_, granted)| *granted) && project.is_none_or(|p| p.allowed),
        results,
        project,
    }
}

fn check_asked(permissions: &[String], project_asked: bool) -> Result<(), CoreError> {
    if (permissions.is_empty() && !project_asked) || permissions.len() > MAX_ASKED {
        return Err(CoreError::field(FieldError::new(
            "permissions",
            "out_of_range",
            format!("ask about 1 to {MAX_ASKED} permissions (or none, with a project)"),
        )));
    }
    let errors: Vec<FieldError> = permissions
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let field = format!("permissions[{i}]");
            validate_permission_name(p, &field).err().or_else(|| {
                // A misspelt catalogue permission would otherwise be a silent `false`.
                (in_catalogue_area(p) && Permission::parse(p).is_none()).then(|| {
                    FieldError::new(
                        field,
                        "unknown_permission",
                        format!("`{p}` is not in the permission catalogue"),
                    )
                })
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errors))
    }
}

fn no_such_user() -> CoreError {
    CoreError::field(FieldError::new("user_id", "not_found", "no such user"))
}

fn no_such_project() -> CoreError {
    CoreError::field(FieldError::new(
        "project",
        "not_found",
        "the organization has no such project",
    ))
}

/// The caller's own access to the project `key` names.
fn own_project_decision(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    holder: &Holder,
    key: &NameOrId,
    wanted: AccessLevel,
) -> Result<ProjectDecision, CoreError> {
    let (row, team) = cx
        .project_with_teams(access.org.id, key, holder.teams_read())?
        .ok_or_else(no_such_project)?;
    let level = holder
        .level(row.visibility, team)
        .ok_or_else(no_such_project)?;
    Ok(decide(Some(level), wanted))
}

/// Another user's standing and access to the project `key` names, in one query. A project the
/// asker may not see is answered as one that does not exist (422), so that its name cannot be
/// probed.
fn about_user_and_project(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    user: UserId,
    key: &NameOrId,
    wanted: AccessLevel,
) -> Result<(Holder, Option<ProjectDecision>), CoreError> {
    let asker = Holder::caller(access);
    let (standing, project) = cx
        .subject_with_project(access.org.id, user, key, asker.teams_read())?
        .ok_or_else(no_such_user)?;
    let holder = Holder::of_subject(user, standing);
    let (row, asker_team, team) = project.ok_or_else(no_such_project)?;
    if asker.level(row.visibility, asker_team).is_none() {
        return Err(no_such_project());
    }
    let level = holder.level(row.visibility, team);
    Ok((holder, Some(decide(level, wanted))))
}

fn decide(level: Option<AccessLevel>, wanted: AccessLevel) -> ProjectDecision {
    ProjectDecision {
        access: level,
        allowed: level.is_some_and(|held| held >= wanted),
    }
}
