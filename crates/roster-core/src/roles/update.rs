//! `roles.update`: a custom role's name, description and permissions (built-in roles are
//! read-only). Nobody edits a role that grants more than they hold, nor makes it do so.

use roster_domain::OrgKey;
use roster_domain::{parse_role_permissions, role_grants, Permission};
use roster_store::roles;

use super::create::find_custom;
use super::{events, parse_description, parse_name, RoleView};
use crate::invitations::end_invitations_that_no_longer_hold;
use crate::members::lock;
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct UpdateRole {
    pub organization: OrgKey,
    pub key: String,
    pub name: Option<String>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub permissions: Option<Vec<String>>,
    pub precondition: Precondition,
}

impl Declared for UpdateRole {
    const NAME: &'static str = "roles.update";
    const REQUIRES: Requirement = Requirement::Organization(Permission::RolesWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateRole {
    type Output = RoleView;

    fn run(self, cx: &mut Context<'_>) -> Result<RoleView, CoreError> {
        let access = cx.organization(&self.organization)?;
        let org = lock(cx, &access)?;
        let before = find_custom(cx, org.id, &self.key)?;
        self.precondition.check(&RoleView::custom(&before).etag())?;
        access.require_covers(&role_grants(&before.permissions))?;
        let mut after = before.clone();
        let mut errors = Vec::new();
        if let Some(name) = &self.name {
            match parse_name(name) {
                Ok(name) => after.name = name,
                Err(e) => errors.push(e),
            }
        }
        if let Some(description) = &self.description {
            match parse_description(description.as_deref()) {
                Ok(description) => after.description = description,
                Err(e) => errors.push(e),
            }
        }
        if let Some(permissions) = self.permissions {
            match parse_role_permissions(permissions, "permissions") {
                Ok((grants, kept)) => {
                    access.require_covers(&grants)?;
                    after.permissions = kept;
                }
                Err(found) => errors.extend(found),
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        if after == before {
            return Ok(RoleView::from(before));
        }
        after.updated_at = cx.now();
        roles::update(cx.conn(), &after)?;
        if let Some(event) = events::updated(&before, &after) {
            cx.record(event);
        }
        // The members who hold this role may no longer grant what they invited people to.
        end_invitations_that_no_longer_hold(cx, org.id, None)?;
        Ok(RoleView::from(after))
    }
}
