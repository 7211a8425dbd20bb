//! `projects.get`: one project the caller has access to, with its access level.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission};

use super::Project;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetProject {
    pub organization: OrgKey,
    pub project: NameOrId,
}

impl Declared for GetProject {
    const NAME: &'static str = "projects.get";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Reader,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Read;
}

impl Operation for GetProject {
    type Output = Project;

    fn run(self, cx: &mut Context<'_>) -> Result<Project, CoreError> {
        let (_, standing) = cx.project(&self.organization, &self.project)?;
        Ok(standing.into())
    }
}
