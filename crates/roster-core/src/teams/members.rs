//! A team's members: listed by when they joined; added (current members of the organization
//! only), given a role or removed by the team's maintainers or holders of `teams:write`; any
//! member may leave.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{Permission, TeamRole, UserId};
use roster_store::memberships::MemberUser;
use roster_store::org_access::member_standing;
use roster_store::teams::{self, TeamMemberRow};

use super::{events, lock_team, TeamMember, TeamView};
use crate::access::{may_manage_team, OrgAccess};
use crate::named_lists::NamedCursor;
use crate::pagination::{Listed, Page};
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Requirement};

pub type TeamMemberCursor = NamedCursor;

/// `team_members.list`
#[derive(Debug, Clone)]
pub struct ListTeamMembers {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub page: Page<TeamMemberCursor>,
}

impl Declared for ListTeamMembers {
    const NAME: &'static str = "team_members.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListTeamMembers {
    type Output = Listed<TeamMember>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let access = cx.organization(&self.organization)?;
        let team = super::find(cx, &access, &self.team)?.row;
        let after = self
            .page
            .cursor()
            .map(|c| c.joined_after(team.id.as_uuid()))
            .transpose()?
            .map(|(at, user)| (at, UserId::from_uuid(user)));
        let (offset, fetch) = self.page.window();
        let rows = teams::list_members(cx.conn(), team.id, after, offset, fetch)?;
        let total = if self.page.wants_total() {
            Some(teams::count_members(cx.conn(), team.id)?)
        } else {
            None
        };
        Ok(Listed { rows, total }.map(TeamMember::from))
    }
}

/// Locks the organization, reads the team again under the lock and checks again that the
/// caller may manage its members (a maintainer demoted meanwhile may not).
fn lock_managed(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    team: &TeamView,
    subject: Option<UserId>,
) -> Result<TeamView, CoreError> {
    let Requirement::TeamMaintainer { or, or_self } = cx.requirement() else {
        return Err(CoreError::Internal(
            "a team member operation without a team requirement".into(),
        ));
    };
    let team = lock_team(cx, access, &team.row)?;
    may_manage_team(
        cx.conn(),
        access,
        team.row.id,
        or,
        subject.filter(|_| or_self),
    )?;
    Ok(team)
}

/// `team_members.add`
#[derive(Debug, Clone)]
pub struct AddTeamMember {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub user: UserId,
    pub role: TeamRole,
}

impl Declared for AddTeamMember {
    const NAME: &'static str = "team_members.add";
    const REQUIRES: Requirement = Requirement::TeamMaintainer {
        or: Permission::TeamsWrite,
        or_self: false,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for AddTeamMember {
    type Output = TeamMember;

    fn run(self, cx: &mut Context<'_>) -> Result<TeamMember, CoreError> {
        let (access, team) = cx.team_to_manage(&self.organization, &self.team, None)?;
        let team = lock_managed(cx, &access, &team.into(), None)?.row;
        let now = cx.now();
        // Under the lock: someone leaving the organization right now has either left (and is
        // refused here) or leaves after this, taking this team membership with them.
        let (membership, _) = member_standing(cx.conn(), team.organization_id, self.user, now)?;
        let Some(membership) = membership else {
            return Err(CoreError::NotOrganizationMember(
                "only current members of the organization join its teams; add them to the organization first".into(),
            ));
        };
        if teams::find_member(cx.conn(), team.id, self.user)?.is_some() {
            return Err(CoreError::Conflict(Conflict::Taken(
                roster_domain::Unique::TeamMember,
            )));
        }
        let place = TeamMemberRow {
            team_id: team.id,
            organization_id: team.organization_id,
            user_id: self.user,
            role: self.role,
            created_at: now,
            updated_at: now,
        };
        teams::add_member(cx.conn(), &place)?;
        cx.record(events::member_added(&team, &place));
        let user = MemberUser::of(&membership);
        Ok((place, user).into())
    }
}

/// `team_members.update`: a member's role in the team.
#[derive(Debug, Clone)]
pub struct UpdateTeamMember {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub user: UserId,
    pub role: TeamRole,
}

impl Declared for UpdateTeamMember {
    const NAME: &'static str = "team_members.update";
    const REQUIRES: Requirement = Requirement::TeamMaintainer {
        or: Permission::TeamsWrite,
        or_self: false,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateTeamMember {
    type Output = TeamMember;

    fn run(self, cx: &mut Context<'_>) -> Result<TeamMember, CoreError> {
        let (access, team) = cx.team_to_manage(&self.organization, &self.team, None)?;
        let team = lock_managed(cx, &access, &team.into(), None)?.row;
        let (before, user) = teams::find_member_with_user(cx.conn(), team.id, self.user)?
            .ok_or(CoreError::NotFound("team member"))?;
        if before.role == self.role {
            return Ok((before, user).into());
        }
        let mut after = before.clone();
        after.role = self.role;
        after.updated_at = cx.now();
        teams::set_member_role(cx.conn(), team.id, self.user, self.role, after.updated_at)?;
        if let Some(event) = events::member_updated(&team, &before, &after) {
            cx.record(event);
        }
        Ok((after, user).into())
    }
}

/// `team_members.remove`: by a maintainer or a holder of `teams:write`, or the member itself
/// (leaving the team).
#[derive(Debug, Clone)]
pub struct RemoveTeamMember {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub user: UserId,
}

impl Declared for RemoveTeamMember {
    const NAME: &'static str = "team_members.remove";
    const REQUIRES: Requirement = Requirement::TeamMaintainer {
        or: Permission::TeamsWrite,
        or_self: true,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for RemoveTeamMember {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let (access, team) = cx.team_to_manage(&self.organization, &self.team, Some(self.user))?;
        let team = lock_managed(cx, &access, &team.into(), Some(self.user))?.row;
        let place = teams::find_member(cx.conn(), team.id, self.user)?
            .ok_or(CoreError::NotFound("team member"))?;
        teams::remove_member(cx.conn(), team.id, self.user)?;
        let reason = if access.is_self(self.user) {
            "left"
        } else {
            "removed"
        };
        cx.record(events::member_removed(&team, &place, reason));
        Ok(())
    }
}
