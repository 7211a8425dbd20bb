//! `api_keys.revoke` and `api_keys.revoke_personal`: the key stops working at once, on every
//! instance (each request reads the key's row), and so do the invitations made with it.
//! Revoking a revoked key changes nothing.
//! Revoking someone else's organization key takes what the key grants, as removing a member
//! does: an admin (or a leaked admin key) cannot switch off the owners' integrations.

use crate::roles::RoleView;
use roster_domain::OrgKey;
use roster_domain::{ApiKeyId, Permission, Role};
use roster_store::api_keys::{self, ApiKeyRow, KeyOwner};
use roster_store::roles;

use super::{etag, events};
use crate::access::role_grants_of;
use crate::members::leaving::end_invitations_of_key;
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

fn revoke(
    cx: &mut Context<'_>,
    owner: KeyOwner,
    id: ApiKeyId,
    precondition: &Precondition,
    may_revoke: impl FnOnce(&mut Context<'_>, &ApiKeyRow) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let key = api_keys::find(cx.conn(), owner, id)?.ok_or(CoreError::NotFound("API key"))?;
    precondition.check(&etag(&key))?;
    may_revoke(cx, &key)?;
    let now = cx.now();
    if api_keys::revoke(cx.conn(), key.id, now)? {
        cx.record(events::revoked(&key, "revoked"));
        // A leaked key leaves no way in behind it.
        end_invitations_of_key(cx, &key, "api_key_revoked")?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct RevokeOrganizationKey {
    pub organization: OrgKey,
    pub id: ApiKeyId,
    pub precondition: Precondition,
}

impl Declared for RevokeOrganizationKey {
    const NAME: &'static str = "api_keys.revoke";
    const REQUIRES: Requirement = Requirement::Organization(Permission::ApiKeysWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for RevokeOrganizationKey {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let access = cx.organization(&self.organization)?;
        revoke(
            cx,
            KeyOwner::Organization(access.org.id),
            self.id,
            &self.precondition,
            |cx, key| {
                if access.is_self(key.user_id) {
                    return Ok(());
                }
                let role = key.role().ok_or(CoreError::NotFound("API key"))?;
                if role == Role::Owner {
                    access.require_owner()?;
                }
                let custom = match &role {
                    Role::Custom(name) => {
                        roles::find(cx.conn(), access.org.id, name)?.map(RoleView::from)
                    }
                    _ => None,
                };
                access.require_covers(
                    &role_grants_of(&role, custom.as_ref()).with_tags(&key.permissions),
                )
            },
        )
    }
}

#[derive(Debug, Clone)]
pub struct RevokePersonalKey {
    pub id: ApiKeyId,
    pub precondition: Precondition,
}

impl Declared for RevokePersonalKey {
    const NAME: &'static str = "api_keys.revoke_personal";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Write;
}

impl Operation for RevokePersonalKey {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let user = cx.signed_in()?.id();
        revoke(
            cx,
            KeyOwner::Personal(user),
            self.id,
            &self.precondition,
            |_, _| Ok(()),
        )
    }
}
