//! `roles.create`: a custom role. Its key is unique in the organization and never a built-in
//! one; nobody makes a role that grants more than they hold.

use roster_domain::OrgKey;
use roster_domain::{parse_role_permissions, Permission, Role};
use roster_store::roles::{self, RoleRow};

use super::{events, parse_description, parse_name, RoleView};
use crate::members::lock;
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct CreateRole {
    pub organization: OrgKey,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<String>,
}

impl Declared for CreateRole {
    const NAME: &'static str = "roles.create";
    const REQUIRES: Requirement = Requirement::Organization(Permission::RolesWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for CreateRole {
    type Output = RoleView;

    fn run(self, cx: &mut Context<'_>) -> Result<RoleView, CoreError> {
        let access = cx.organization(&self.organization)?;
        let mut errors = Vec::new();
        let key = match Role::parse_field(&self.key, "key") {
            Ok(Role::Custom(key)) => Some(key),
            Ok(_) => return Err(CoreError::Conflict(Conflict::BuiltinRole)),
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let name = parse_name(&self.name).map_err(|e| errors.push(e)).ok();
        let description = parse_description(self.description.as_deref())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let parsed = parse_role_permissions(self.permissions, "permissions")
            .map_err(|found| errors.extend(found))
            .ok();
        let (Some(key), Some(name), Some((grants, permissions))) = (key, name, parsed) else {
            return Err(CoreError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        access.require_covers(&grants)?;
        let org = lock(cx, &access)?;
        let now = cx.now();
        let row = RoleRow {
            organization_id: org.id,
            key,
            name,
            description,
            permissions,
            created_at: now,
            updated_at: now,
        };
        roles::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        Ok(RoleView::from(row))
    }
}

/// The custom role `key` of the organization: 409 for a built-in key, 404 for one it lacks.
pub(super) fn find_custom(
    cx: &mut Context<'_>,
    organization: roster_domain::OrganizationId,
    key: &str,
) -> Result<RoleRow, CoreError> {
    match Role::parse(key) {
        Ok(Role::Custom(_)) => {
            roles::find(cx.conn(), organization, key)?.ok_or(CoreError::NotFound("role"))
        }
        Ok(_) => Err(CoreError::Conflict(Conflict::BuiltinRole)),
        Err(_) => Err(CoreError::NotFound("role")),
    }
}
