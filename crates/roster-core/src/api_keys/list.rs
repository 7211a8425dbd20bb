//! `api_keys.list` (an organization's) and `api_keys.list_personal`: the keys that are not
//! revoked, oldest first, never their secrets.

use roster_domain::OrgKey;
use roster_domain::{ApiKeyId, Permission};
use roster_store::api_keys::{self, KeyOwner};
use roster_store::Ts;
use serde::{Deserialize, Serialize};

use super::ApiKey;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// Where the next page starts: the last key's creation time and id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyCursor {
    created_at: String,
    id: uuid::Uuid,
}

impl KeyCursor {
    pub fn after(key: &ApiKey) -> KeyCursor {
        KeyCursor {
            created_at: Ts(key.created_at).to_sqlite_text(),
            id: key.id.as_uuid(),
        }
    }
}

fn list(
    cx: &mut Context<'_>,
    owner: KeyOwner,
    page: &Page<KeyCursor>,
) -> Result<Listed<ApiKey>, CoreError> {
    let after = page
        .cursor()
        .map(|c| {
            chrono::DateTime::parse_from_rfc3339(&c.created_at)
                .ok()
                .and_then(|at| Ts::checked(at.with_timezone(&chrono::Utc)))
                .map(|at| (at, ApiKeyId::from_uuid(c.id)))
                .ok_or_else(|| {
                    CoreError::BadRequest("after is not a cursor this endpoint issued".into())
                })
        })
        .transpose()?;
    let (offset, fetch) = page.window();
    let rows = api_keys::list(cx.conn(), owner, after, offset, fetch)?;
    let total = if page.wants_total() {
        Some(api_keys::count(cx.conn(), owner)?)
    } else {
        None
    };
    Ok(Listed { rows, total }.map(ApiKey::from))
}

#[derive(Debug, Clone)]
pub struct ListOrganizationKeys {
    pub organization: OrgKey,
    pub page: Page<KeyCursor>,
}

impl Declared for ListOrganizationKeys {
    const NAME: &'static str = "api_keys.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::ApiKeysRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListOrganizationKeys {
    type Output = Listed<ApiKey>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<ApiKey>, CoreError> {
        let access = cx.organization(&self.organization)?;
        list(cx, KeyOwner::Organization(access.org.id), &self.page)
    }
}

#[derive(Debug, Clone)]
pub struct ListPersonalKeys {
    pub page: Page<KeyCursor>,
}

impl Declared for ListPersonalKeys {
    const NAME: &'static str = "api_keys.list_personal";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListPersonalKeys {
    type Output = Listed<ApiKey>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<ApiKey>, CoreError> {
        let user = cx.signed_in()?.id();
        list(cx, KeyOwner::Personal(user), &self.page)
    }
}
