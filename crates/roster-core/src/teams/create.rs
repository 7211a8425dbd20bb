//! `teams.create`: a team, with a name unique in its organization, within `limits.max_teams`.

use roster_domain::OrgKey;
use roster_domain::{Permission, TeamId};
use roster_store::teams::{self, TeamRow};
use roster_store::JsonValue;

use super::{events, Team, TeamView};
use crate::limits::ensure_room;
use crate::members::lock;
use crate::profile::NewProfile;
use crate::{Context, CoreError, Declared, Kind, LimitKind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct CreateTeam {
    pub organization: OrgKey,
    pub profile: NewProfile,
}

impl Declared for CreateTeam {
    const NAME: &'static str = "teams.create";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for CreateTeam {
    type Output = Team;

    fn run(self, cx: &mut Context<'_>) -> Result<Team, CoreError> {
        let access = cx.organization(&self.organization)?;
        let profile = self.profile.parse()?;
        let org = lock(cx, &access)?;
        ensure_room(cx, &org, LimitKind::Teams, 1)?;
        let now = cx.now();
        let row = TeamRow {
            id: TeamId::new(),
            organization_id: org.id,
            name: profile.name,
            display_name: profile.display_name,
            description: profile.description,
            custom: JsonValue(profile.custom),
            created_at: now,
            updated_at: now,
        };
        teams::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        Ok(TeamView {
            row,
            member_count: 0,
        }
        .into())
    }
}
