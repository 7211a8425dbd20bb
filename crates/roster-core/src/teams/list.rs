//! `teams.list`: an organization's teams by name or age (`user_id`: those a member is in).

use roster_domain::NamedSort;
use roster_domain::OrgKey;
use roster_domain::{Permission, UserId};
use roster_store::teams::{self, TeamFilter};

use super::{Team, TeamView};
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

impl Declared for ListTeams {
    const NAME: &'static str = "teams.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListTeams {
    type Output = Listed<Team>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Team>, CoreError> {
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
            rows: rows
                .into_iter()
                .map(|row| TeamView::from(row).into())
                .collect(),
            total,
        })
    }
}
