//! `teams.delete`: a team, with its members' places in it and what projects granted it, in
//! one transaction (an event for each).

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::Permission;
use roster_store::projects::{self, GrantsOf};
use roster_store::teams;

use super::{etag, events, lock_team};
use crate::projects::events as project_events;
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct DeleteTeam {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub precondition: Precondition,
}

impl Declared for DeleteTeam {
    const NAME: &'static str = "teams.delete";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteTeam {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let access = cx.organization(&self.organization)?;
        let found = super::find(cx, &access, &self.team)?;
        let team = lock_team(cx, &access, &found.row)?.row;
        self.precondition.check(&etag(&team))?;
        for grant in projects::remove_grants(cx.conn(), GrantsOf::Team(team.id))? {
            cx.record(project_events::revoked(&grant, "team_deleted"));
        }
        for place in teams::members_of(cx.conn(), team.id)? {
            cx.record(events::member_removed(&team, &place, "team_deleted"));
        }
        teams::delete(cx.conn(), team.id)?;
        cx.record(events::deleted(&team));
        Ok(())
    }
}
