//! `projects.list`: the projects the caller (or, with `user_id`, another member) can access,
//! each with that access level, by name or age. One query per page, grants included.

use roster_domain::NamedSort;
use roster_domain::OrgKey;
use roster_domain::{Permission, UserId};
use roster_store::projects::{self, ProjectFilter};

use super::standing::Holder;
use super::Project;
use crate::named_lists::NamedCursor;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListProjects {
    pub organization: OrgKey,
    /// Whose projects (`None`: the caller's). Another member's need `members:read`.
    pub user: Option<UserId>,
    pub sort: NamedSort,
    pub descending: bool,
    pub page: Page<ProjectCursor>,
}

pub type ProjectCursor = NamedCursor;

impl Declared for ListProjects {
    const NAME: &'static str = "projects.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::ProjectsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListProjects {
    type Output = Listed<Project>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Project>, CoreError> {
        let access = cx.organization(&self.organization)?;
        let asker = Holder::caller(&access);
        let (holder, asker) = match self.user {
            Some(user) if !access.is_self(user) => {
                access.require(Permission::MembersRead)?;
                // Only projects the asker may see too: a private project stays unnamed.
                (Holder::user(cx, access.org.id, user)?, Some(asker.sight()))
            }
            _ => (asker, None),
        };
        let filter = ProjectFilter {
            organization: access.org.id,
            holder: holder.sight(),
            asker,
        };
        let keyset = self
            .page
            .cursor()
            .map(|c| c.keyset(access.org.id.as_uuid(), self.sort, self.descending))
            .transpose()?;
        let (offset, fetch) = self.page.window();
        let rows = projects::list(
            cx.conn(),
            &filter,
            self.sort,
            self.descending,
            keyset.as_ref(),
            offset,
            fetch,
        )?;
        let total = if self.page.wants_total() {
            Some(projects::count(cx.conn(), &filter)?)
        } else {
            None
        };
        let rows = rows
            .into_iter()
            .map(|(row, team)| {
                let access = holder.level(row.visibility, team);
                Project::of(row, access)
            })
            .collect();
        Ok(Listed { rows, total })
    }
}
