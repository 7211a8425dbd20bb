//! `teams.update`: a team's name, display name, description and custom data.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::Permission;
use roster_store::teams;

use super::{etag, events, lock_team, profile_of, set_profile, Team};
use crate::profile::{ProfileChanges, ProfilePatch};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct UpdateTeam {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub patch: ProfilePatch,
    pub precondition: Precondition,
}

impl Declared for UpdateTeam {
    const NAME: &'static str = "teams.update";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateTeam {
    type Output = Team;

    fn run(self, cx: &mut Context<'_>) -> Result<Team, CoreError> {
        let access = cx.organization(&self.organization)?;
        let found = super::find(cx, &access, &self.team)?;
        let mut view = lock_team(cx, &access, &found.row)?;
        self.precondition.check(&etag(&view.row))?;
        let before = profile_of(&view.row);
        let after = self.patch.apply(&before).map_err(CoreError::Validation)?;
        if after == before {
            return Ok(view.into());
        }
        let changes = ProfileChanges::between(&before, &after);
        set_profile(&mut view.row, after);
        view.row.updated_at = cx.now();
        teams::update(cx.conn(), &view.row)?;
        if let Some(event) = events::updated(&view.row, changes) {
            cx.record(event);
        }
        Ok(view.into())
    }
}
