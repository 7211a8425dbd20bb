//! `projects.delete`: a project and what it grants, in one transaction (an event for each).

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission};
use roster_store::projects::{self, GrantsOf};

use super::{etag, events, lock_project};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct DeleteProject {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub precondition: Precondition,
}

impl Declared for DeleteProject {
    const NAME: &'static str = "projects.delete";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Owner,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteProject {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let (access, standing) = cx.project(&self.organization, &self.project)?;
        let project = lock_project(cx, &access, &standing)?.row;
        self.precondition.check(&etag(&project))?;
        for grant in projects::remove_grants(cx.conn(), GrantsOf::Project(project.id))? {
            cx.record(events::revoked(&grant, "project_deleted"));
        }
        projects::delete(cx.conn(), project.id)?;
        cx.record(events::deleted(&project));
        Ok(())
    }
}
