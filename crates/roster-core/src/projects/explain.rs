//! `projects.access`: one user's access level to a project, with where it comes from
//! (`role:admin`, `team:backend:writer`, `visibility:organization`, `platform_admin`).

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission, ProjectVisibility, UserId};
use roster_store::projects;

use super::standing::Holder;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ExplainProjectAccess {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub user: UserId,
}

/// A user's access level to a project (`None`: none, the project is 404 to them) and its
/// sources, highest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectAccessExplained {
    pub access: Option<AccessLevel>,
    pub sources: Vec<String>,
}

impl Declared for ExplainProjectAccess {
    const NAME: &'static str = "projects.access";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Reader,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Read;
}

impl Operation for ExplainProjectAccess {
    type Output = ProjectAccessExplained;

    fn run(self, cx: &mut Context<'_>) -> Result<ProjectAccessExplained, CoreError> {
        let (access, standing) = cx.project(&self.organization, &self.project)?;
        let holder = if access.is_self(self.user) {
            Holder::caller(&access)
        } else {
            access.require(Permission::MembersRead)?;
            Holder::user(cx, access.org.id, self.user)?
        };
        let project = standing.project;
        let mut sources = Vec::new();
        let mut level = None;
        if let Some(source) = holder.owner_source() {
            sources.push(source);
            level = Some(AccessLevel::Owner);
        }
        if holder.member {
            for grant in projects::grants_reaching(cx.conn(), project.id, self.user)? {
                let granted = grant.grant.access;
                sources.push(format!("team:{}:{}", grant.team_name, granted.as_str()));
                level = level.max(Some(granted));
            }
            if project.visibility == ProjectVisibility::Organization {
                sources.push("visibility:organization".to_owned());
                level = level.max(Some(AccessLevel::Reader));
            }
        }
        Ok(ProjectAccessExplained {
            access: level,
            sources,
        })
    }
}
