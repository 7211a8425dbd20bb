//! Someone's access to projects when it is not the caller's own (`user_id` in a list, in
//! `authorize`, in `access/{user_id}`): from their membership, their teams and the project's
//! visibility, as for the caller.

use roster_domain::{AccessLevel, Grants, OrganizationId, Permission, ProjectVisibility, UserId};
use roster_store::projects::{Reach, Sight};

use crate::access::{member_grants, project_level, teams_of, OrgAccess};
use crate::members::Membership;
use crate::roles::RoleView;
use crate::standing::SubjectStanding;
use crate::{Context, CoreError};

/// Whose access a project operation works out: what they hold in the organization, whether
/// they are a current member there, and whose teams count.
#[derive(Debug, Clone)]
pub(crate) struct Holder {
    pub grants: Grants,
    pub member: bool,
    /// Their role's key, when they are a member.
    pub role: Option<String>,
    /// Whose teams count (`None`: an API key's, which has none).
    pub teams_of: Option<UserId>,
    /// A platform admin acting for itself (its access is not its role's).
    pub platform_admin: bool,
}

impl Holder {
    /// The caller itself.
    pub fn caller(access: &OrgAccess) -> Holder {
        Holder {
            grants: access.grants.clone(),
            member: access.membership.is_some(),
            role: access
                .membership
                .as_ref()
                .map(|m| m.role.as_str().to_owned()),
            teams_of: teams_of(&access.caller),
            platform_admin: access.caller.is_platform_admin(),
        }
    }

    /// Another user, by what their membership grants (a disabled user, a non-member or a user
    /// that does not exist holds nothing; whether someone is a platform admin is not the
    /// asker's business).
    pub fn user(
        cx: &mut Context<'_>,
        organization: OrganizationId,
        user: UserId,
    ) -> Result<Holder, CoreError> {
        Ok(Holder::existing_user(cx, organization, user)?
            .unwrap_or_else(|| Holder::standing(user, None, None)))
    }

    /// The same, `None` for a user that does not exist (one query either way).
    pub fn existing_user(
        cx: &mut Context<'_>,
        organization: OrganizationId,
        user: UserId,
    ) -> Result<Option<Holder>, CoreError> {
        let standing = cx.subject_standing(organization, user)?;
        Ok(standing.map(|standing| Holder::of_subject(user, standing)))
    }

    /// A user as their standing in the organization makes them (a disabled user holds nothing).
    pub fn of_subject(user: UserId, (row, membership, custom_role): SubjectStanding) -> Holder {
        if row.is_active() {
            Holder::standing(user, membership.as_ref(), custom_role.as_ref())
        } else {
            Holder::standing(user, None, None)
        }
    }

    fn standing(
        user: UserId,
        membership: Option<&Membership>,
        custom_role: Option<&RoleView>,
    ) -> Holder {
        Holder {
            grants: member_grants(membership, custom_role),
            member: membership.is_some(),
            role: membership.map(|m| m.role.as_str().to_owned()),
            teams_of: Some(user),
            platform_admin: false,
        }
    }

    /// Their access level to a project with this visibility, given what their teams' grants
    /// give to it (`team`).
    pub fn level(
        &self,
        visibility: ProjectVisibility,
        team: Option<AccessLevel>,
    ) -> Option<AccessLevel> {
        let team = if self.teams_of.is_some() { team } else { None };
        project_level(&self.grants, self.member, visibility, team)
    }

    /// Whose team grants to read for them: none when their role makes them owner anyway.
    pub fn teams_read(&self) -> Option<UserId> {
        if self.grants.has(Permission::ProjectsWrite) {
            None
        } else {
            self.teams_of
        }
    }

    /// Which projects they reach besides their teams' grants.
    pub fn reach(&self) -> Reach {
        if self.grants.has(Permission::ProjectsWrite) {
            Reach::Everything
        } else if self.member {
            Reach::Visible
        } else {
            Reach::Granted
        }
    }

    /// The projects they reach, and through whose teams.
    pub fn sight(&self) -> Sight {
        Sight {
            reach: self.reach(),
            user: self.teams_read(),
        }
    }

    /// Where `owner` from their standing in the organization comes from, if it does.
    pub fn owner_source(&self) -> Option<String> {
        if !self.grants.has(Permission::ProjectsWrite) {
            return None;
        }
        match &self.role {
            Some(role) if !self.platform_admin => Some(format!("role:{role}")),
            _ => Some("platform_admin".to_owned()),
        }
    }
}
