//! `projects.create`: a project, with a name unique in its organization, within
//! `limits.max_projects`. Its maker holds `projects:write`, so it is the project's `owner`.

use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission, ProjectId, ProjectVisibility};
use roster_store::projects::{self, ProjectRow};
use roster_store::JsonValue;

use super::{events, Project};
use crate::limits::ensure_room;
use crate::members::lock;
use crate::profile::NewProfile;
use crate::{Context, CoreError, Declared, Kind, LimitKind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct CreateProject {
    pub organization: OrgKey,
    pub profile: NewProfile,
    pub visibility: ProjectVisibility,
}

impl Declared for CreateProject {
    const NAME: &'static str = "projects.create";
    const REQUIRES: Requirement = Requirement::Organization(Permission::ProjectsWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for CreateProject {
    type Output = Project;

    fn run(self, cx: &mut Context<'_>) -> Result<Project, CoreError> {
        let access = cx.organization(&self.organization)?;
        let profile = self.profile.parse()?;
        let org = lock(cx, &access)?;
        ensure_room(cx, &org, LimitKind::Projects, 1)?;
        let now = cx.now();
        let row = ProjectRow {
            id: ProjectId::new(),
            organization_id: org.id,
            name: profile.name,
            display_name: profile.display_name,
            description: profile.description,
            visibility: self.visibility,
            custom: JsonValue(profile.custom),
            created_at: now,
            updated_at: now,
        };
        projects::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        Ok(Project::of(row, Some(AccessLevel::Owner)))
    }
}
