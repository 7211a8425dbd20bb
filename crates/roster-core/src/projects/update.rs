//! `projects.update`: a project's name, display name, description, visibility and custom data,
//! by its owners (through a team) or holders of `projects:write`.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission, ProjectVisibility};
use roster_store::projects;

use super::{etag, events, lock_project, profile_of, set_profile, Project};
use crate::events::Change;
use crate::profile::{ProfileChanges, ProfilePatch};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct UpdateProject {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub patch: ProfilePatch,
    pub visibility: Option<ProjectVisibility>,
    pub precondition: Precondition,
}

impl Declared for UpdateProject {
    const NAME: &'static str = "projects.update";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Owner,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateProject {
    type Output = Project;

    fn run(self, cx: &mut Context<'_>) -> Result<Project, CoreError> {
        let (access, standing) = cx.project(&self.organization, &self.project)?;
        let mut locked = lock_project(cx, &access, &standing)?;
        let row = &mut locked.row;
        self.precondition.check(&etag(row))?;
        let before = profile_of(row);
        let after = self.patch.apply(&before).map_err(CoreError::Validation)?;
        let visibility = self.visibility.unwrap_or(row.visibility);
        let mut changes = ProfileChanges::between(&before, &after);
        changes.visibility = Change::of(
            row.visibility.as_str().to_owned(),
            visibility.as_str().to_owned(),
        );
        if changes.is_empty() {
            return Ok(locked.into());
        }
        set_profile(row, after, visibility);
        row.updated_at = cx.now();
        projects::update(cx.conn(), row)?;
        if let Some(event) = events::updated(row, changes) {
            cx.record(event);
        }
        Ok(locked.into())
    }
}
