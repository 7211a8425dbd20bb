//! `teams.get`: one team, by id or name.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::Permission;

use super::Team;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetTeam {
    pub organization: OrgKey,
    pub team: NameOrId,
}

impl Declared for GetTeam {
    const NAME: &'static str = "teams.get";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for GetTeam {
    type Output = Team;

    fn run(self, cx: &mut Context<'_>) -> Result<Team, CoreError> {
        let access = cx.organization(&self.organization)?;
        super::find(cx, &access, &self.team).map(Team::from)
    }
}
