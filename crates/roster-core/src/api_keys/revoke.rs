//! `api_keys.revoke` and `api_keys.revoke_personal`: the key stops working at once, on every
//! instance (each request reads the key's row). Revoking a revoked key changes nothing.

use roster_domain::{ApiKeyId, Permission};
use roster_store::api_keys::{self, KeyOwner};
use roster_store::organizations::OrgKey;

use super::events;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

fn revoke(cx: &mut Context<'_>, owner: KeyOwner, id: ApiKeyId) -> Result<(), CoreError> {
    let key = api_keys::find(cx.conn(), owner, id)?.ok_or(CoreError::NotFound("API key"))?;
    let now = cx.now();
    if api_keys::revoke(cx.conn(), key.id, now)? {
        cx.record(events::revoked(&key));
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct RevokeOrganizationKey {
    pub organization: OrgKey,
    pub id: ApiKeyId,
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
        revoke(cx, KeyOwner::Organization(access.org.id), self.id)
    }
}

#[derive(Debug, Clone)]
pub struct RevokePersonalKey {
    pub id: ApiKeyId,
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
        revoke(cx, KeyOwner::Personal(user), self.id)
    }
}
