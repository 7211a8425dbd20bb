//! `roles.list`: the built-in roles first, then the organization's custom roles by key.

use roster_domain::OrgKey;
use roster_domain::{Permission, Role};
use roster_store::roles;
use serde::{Deserialize, Serialize};

use super::RoleView;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListRoles {
    pub organization: OrgKey,
    pub page: Page<RoleCursor>,
}

/// Where the next page starts: the last role's key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleCursor {
    key: String,
}

impl RoleCursor {
    pub fn after(view: &RoleView) -> RoleCursor {
        RoleCursor {
            key: view.key.clone(),
        }
    }
}

impl Declared for ListRoles {
    const NAME: &'static str = "roles.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::RolesRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListRoles {
    type Output = Listed<RoleView>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<RoleView>, CoreError> {
        let access = cx.organization(&self.organization)?;
        let builtin: Vec<RoleView> = Role::BUILTIN.iter().map(RoleView::builtin).collect();
        let (offset, fetch) = self.page.window();
        // The list is the built-ins, then the custom roles: skip into it by position or key.
        let (builtin_shown, custom_after, custom_offset): (Vec<RoleView>, Option<String>, i64) =
            match self.page.cursor() {
                Some(cursor) => match builtin.iter().position(|r| r.key == cursor.key) {
                    Some(at) => (builtin[at + 1..].to_vec(), None, 0),
                    None => (Vec::new(), Some(cursor.key.clone()), 0),
                },
                None => {
                    let skip = (offset as usize).min(builtin.len());
                    let custom_offset = (offset - builtin.len() as i64).max(0);
                    (builtin[skip..].to_vec(), None, custom_offset)
                }
            };
        let mut rows: Vec<RoleView> = builtin_shown.into_iter().take(fetch as usize).collect();
        let wanted = fetch - rows.len() as i64;
        if wanted > 0 {
            let custom = roles::list(
                cx.conn(),
                access.org.id,
                custom_after.as_deref(),
                custom_offset,
                wanted,
            )?;
            rows.extend(custom.iter().map(RoleView::custom));
        }
        let total = if self.page.wants_total() {
            Some(builtin.len() as i64 + roles::count(cx.conn(), access.org.id)?)
        } else {
            None
        };
        Ok(Listed { rows, total })
    }
}
