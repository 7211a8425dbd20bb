//! `members.permissions`: a member's effective permissions, each with where it comes from
//! (`role:<key>` or `tag:<tag>`).

use roster_domain::OrgKey;
use roster_domain::{Permission, UserId};

use crate::access::role_grants_of;
use crate::standing::member_standing;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct MemberPermissions {
    pub organization: OrgKey,
    pub user: UserId,
}

/// One permission in force and what grants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced {
    pub permission: String,
    pub sources: Vec<String>,
}

impl Declared for MemberPermissions {
    const NAME: &'static str = "members.permissions";
    const REQUIRES: Requirement = Requirement::OrganizationOrSelf(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for MemberPermissions {
    type Output = Vec<Sourced>;

    fn run(self, cx: &mut Context<'_>) -> Result<Vec<Sourced>, CoreError> {
        let access = cx.organization_about(&self.organization, Some(self.user))?;
        let now = cx.now();
        let (membership, custom_role) = member_standing(cx.conn(), access.org.id, self.user, now)?;
        let membership = membership.ok_or(CoreError::NotFound("member"))?;
        let role_source = format!("role:{}", membership.role.as_str());
        let mut found: Vec<Sourced> = Vec::new();
        let mut add = |permission: String, source: String| match found
            .iter_mut()
            .find(|s| s.permission == permission)
        {
            Some(entry) if !entry.sources.contains(&source) => entry.sources.push(source),
            Some(_) => {}
            None => found.push(Sourced {
                permission,
                sources: vec![source],
            }),
        };
        let from_role = role_grants_of(&membership.role, custom_role.as_ref()).to_strings();
        for permission in from_role {
            add(permission, role_source.clone());
        }
        for tag in &membership.permissions {
            add(tag.clone(), format!("tag:{tag}"));
        }
        Ok(found)
    }
}
