//! `teams.list`: an organization's teams by name or age (`user_id`: those a member is in).

use roster_domain::NamedSort;
use roster_domain::OrgKey;
use roster_domain::{Permission, UserId};
use roster_store::teams::{self, TeamFilter};

use super::TeamView;
use crate::named_lists::NamedCursor;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListTeams {
    pub organization: OrgKey,
    /// Only the teams this member is in.
    pub member: Option<UserId>,
    pub sort: NamedSort,
    pub descending: bool,
    pub page: Page<TeamCursor>,
}

pub type TeamCursor = NamedCursor;

impl TeamView {
    /// The cursor that continues after this team in its organization's list.
    pub fn cursor(&self, sort: NamedSort, descending: bool) -> TeamCursor {
        NamedCursor::after(
            self.row.organization_id.as_uuid(),
            sort,
            descending,
            (&self.row.name, self.row.created_at, self.row.id.as_uuid()),
        )
    }
}

impl Declared for ListTeams {
    const NAME: &'static str = "teams.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListTeams {
    type Output = Listed<TeamView>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<TeamView>, CoreError> {
        let access = cx.organization(&self.organization)?;
        let filter = TeamFilter {
            organization: access.org.id,
            member: self.member,
        };
        let keyset = self
            .page
            .cursor()
            .map(|c| c.keyset(access.org.id.as_uuid(), self.sort, self.descending))
            .transpose()?;
        let (offset, fetch) = self.page.window();
        let rows = teams::list(
            cx.conn(),
            &filter,
            self.sort,
            self.descending,
            keyset.as_ref(),
            offset,
            fetch,
        )?;
        let total = if self.page.wants_total() {
            Some(teams::count(cx.conn(), &filter)?)
        } else {
            None
        };
        Ok(Listed {
            rows: rows.into_iter().map(TeamView::from).collect(),
            total,
        })
    }
}
