//! `roles.get`: one role, built-in or custom.

use roster_domain::OrgKey;
use roster_domain::{Permission, Role};
use roster_store::roles;

use super::RoleView;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetRole {
    pub organization: OrgKey,
    pub key: String,
}

impl Declared for GetRole {
    const NAME: &'static str = "roles.get";
    const REQUIRES: Requirement = Requirement::Organization(Permission::RolesRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for GetRole {
    type Output = RoleView;

    fn run(self, cx: &mut Context<'_>) -> Result<RoleView, CoreError> {
        let access = cx.organization(&self.organization)?;
        match Role::parse(&self.key) {
            Ok(Role::Custom(key)) => roles::find(cx.conn(), access.org.id, &key)?
                .map(RoleView::from)
                .ok_or(CoreError::NotFound("role")),
            Ok(builtin) => Ok(RoleView::builtin(&builtin)),
            Err(_) => Err(CoreError::NotFound("role")),
        }
    }
}
