//! `api_keys.create` (an organization's) and `api_keys.create_personal`. An API key never makes
//! another: a leaked key could otherwise outlive its own revocation.

use chrono::{DateTime, Utc};
use roster_auth::new_api_key;
use roster_domain::OrgKey;
use roster_domain::{parse_tags, ApiKeyId, Permission, Role, UserId};
use roster_store::api_keys::{self, ApiKeyRow};
use roster_store::Ts;

use super::{check_expiry, events, parse_name, CreatedKey};
use crate::limits::ensure_room;
use crate::members::{lock, rules};
use crate::{
    Context, CoreError, Declared, Forbidden, Kind, LimitKind, Operation, Requirement, Secrets,
};

#[derive(Debug, Clone)]
pub struct CreateOrganizationKey {
    pub organization: OrgKey,
    pub name: String,
    pub role: Role,
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Declared for CreateOrganizationKey {
    const NAME: &'static str = "api_keys.create";
    const REQUIRES: Requirement = Requirement::Organization(Permission::ApiKeysWrite);
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for CreateOrganizationKey {
    type Output = CreatedKey;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedKey, CoreError> {
        let access = cx.organization(&self.organization)?;
        if access.caller.api_key().is_some() {
            return Err(no_keys_from_keys());
        }
        let now = cx.now();
        let mut errors = Vec::new();
        let name = parse_name(&self.name).map_err(|e| errors.push(e)).ok();
        let tags = parse_tags(self.permissions, "permissions")
            .map_err(|found| errors.extend(found))
            .ok();
        if let Err(e) = check_expiry(self.expires_at.map(Ts::from_datetime), now) {
            errors.push(e);
        }
        let (Some(name), Some(tags)) = (name, tags) else {
            return Err(CoreError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let org = lock(cx, &access)?;
        let grants = rules::granted_by(cx.conn(), org.id, &self.role, &tags, "role")?;
        rules::may_hand_on(&access, &self.role, &grants)?;
        ensure_room(cx, &org, LimitKind::ApiKeys, 1)?;
        let key = KeyBasics {
            user_id: access.caller.id(),
            name,
            expires_at: self.expires_at.map(Ts::from_datetime),
        };
        issue(cx, key, now, |row| ApiKeyRow {
            organization_id: Some(org.id),
            role: Some(self.role.as_str().to_owned()),
            permissions: tags,
            ..row
        })
    }
}

fn no_keys_from_keys() -> CoreError {
    CoreError::forbidden(Forbidden::Policy(
        "an API key cannot make API keys; sign in as a person to make one",
    ))
}

#[derive(Debug, Clone)]
pub struct CreatePersonalKey {
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Declared for CreatePersonalKey {
    const NAME: &'static str = "api_keys.create_personal";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for CreatePersonalKey {
    type Output = CreatedKey;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedKey, CoreError> {
        let caller = cx.signed_in()?.clone();
        let now = cx.now();
        let mut errors = Vec::new();
        let name = parse_name(&self.name).map_err(|e| errors.push(e)).ok();
        if let Err(e) = check_expiry(self.expires_at.map(Ts::from_datetime), now) {
            errors.push(e);
        }
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(CoreError::Validation(errors));
        };
        let key = KeyBasics {
            user_id: caller.id(),
            name,
            expires_at: self.expires_at.map(Ts::from_datetime),
        };
        issue(cx, key, now, |row| row)
    }
}

/// What every key has: whose it is, its name and its expiry.
struct KeyBasics {
    user_id: UserId,
    name: String,
    expires_at: Option<Ts>,
}

/// Makes a key with a fresh secret (a personal key, unless `scope` makes it an organization's),
/// stores its hash and records its event; the answer holds the secret, this once.
fn issue(
    cx: &mut Context<'_>,
    key: KeyBasics,
    now: Ts,
    scope: impl FnOnce(ApiKeyRow) -> ApiKeyRow,
) -> Result<CreatedKey, CoreError> {
    let secret = new_api_key();
    let row = scope(ApiKeyRow {
        id: ApiKeyId::new(),
        organization_id: None,
        user_id: key.user_id,
        name: key.name,
        prefix: secret.prefix,
        key_hash: secret.hash,
        role: None,
        permissions: Vec::new(),
        expires_at: key.expires_at,
        last_used_at: None,
        created_at: now,
        revoked_at: None,
    });
    api_keys::insert(cx.conn(), &row)?;
    cx.record(events::created(&row));
    Ok(CreatedKey {
        api_key: row.into(),
        key: secret.plaintext,
    })
}
