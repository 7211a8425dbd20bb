//! `members.authorize`: one call answers an application's access question: may this user (the
//! caller, by default) do each of these things in the organization, and (optionally) with at
//! least this access to this project? Catalogue permissions and application permissions alike;
//! tags ending in `*` grant by prefix.

use roster_domain::{
    in_catalogue_area, validate_permission_name, AccessLevel, FieldError, Permission, UserId,
};
use roster_store::named::NameOrId;
use roster_store::organizations::OrgKey;
use roster_store::projects;

use crate::access::OrgAccess;
use crate::projects::standing::Holder;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

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
        let holder = match self.user {
            Some(user) if !access.is_self(user) => Holder::existing_user(cx, access.org.id, user)?
                .ok_or_else(|| {
                    CoreError::field(FieldError::new("user_id", "not_found", "no such user"))
                })?,
            _ => Holder::caller(&access),
        };
        let about_self = self.user.is_none_or(|user| access.is_self(user));
        let project = self
            .project
            .map(|(key, wanted)| project_decision(cx, &access, &holder, about_self, &key, wanted))
            .transpose()?;
        let grants = holder.grants;
        let results: Vec<(String, bool)> = self
            .permissions
            .into_iter()
            .map(|p| {
                let granted = grants.allows(&p);
                (p, granted)
            })
            .collect();
        Ok(Decision {
            allowed: results.iter().all(|(_, granted)| *granted)
                && project.is_none_or(|p| p.allowed),
            results,
            project,
        })
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

/// Whether `holder` has `wanted` access to the project `key` names. A project the asker may not
/// see is answered as one that does not exist (422), so that its name cannot be probed.
fn project_decision(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    holder: &Holder,
    about_self: bool,
    key: &NameOrId,
    wanted: AccessLevel,
) -> Result<ProjectDecision, CoreError> {
    let not_found = || {
        CoreError::field(FieldError::new(
            "project",
            "not_found",
            "the organization has no such project",
        ))
    };
    let asker = Holder::caller(access);
    let (row, asker_team, team) = if about_self {
        let (row, team) = projects::find(cx.conn(), access.org.id, key, holder.teams_read())?
            .ok_or_else(not_found)?;
        (row, team, team)
    } else {
        let teams = (asker.teams_read(), holder.teams_read());
        projects::find_for_both(cx.conn(), access.org.id, key, teams)?.ok_or_else(not_found)?
    };
    if asker.level(&row, asker_team).is_none() {
        return Err(not_found());
    }
    let level = holder.level(&row, team);
    Ok(ProjectDecision {
        access: level,
        allowed: level.is_some_and(|held| held >= wanted),
    })
}
