//! `sessions.whoami`: who the presented credential is, and what it may do where it is confined
//! (a scoped token's or an organization key's organization).

use chrono::{DateTime, Utc};
use roster_store::organizations;

use crate::access::grants_in;
use crate::api_keys::ApiKey;
use crate::organizations::Organization;
use crate::standing::member_standing;
use crate::users::User;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone, Default)]
pub struct WhoAmI;

/// The credential's holder and reach.
#[derive(Clone)]
pub struct Identity {
    /// The user: the token's, or the one the API key acts for.
    pub user: User,
    pub api_key: Option<ApiKey>,
    /// The organization the credential is confined to, if any.
    pub organization: Option<Organization>,
    /// The role there (a scoped token's membership role, an organization key's role).
    pub role: Option<String>,
    /// The permissions in force there.
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Declared for WhoAmI {
    const NAME: &'static str = "sessions.whoami";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for WhoAmI {
    type Output = Identity;

    fn run(self, cx: &mut Context<'_>) -> Result<Identity, CoreError> {
        let caller = cx.signed_in()?.clone();
        let api_key = caller.api_key().map(|checked| checked.key.clone());
        let mut identity = Identity {
            user: caller.user.clone(),
            api_key: api_key.clone(),
            organization: None,
            role: None,
            permissions: Vec::new(),
            expires_at: caller.expires_at(),
        };
        let Some(scope) = caller.scope() else {
            return Ok(identity);
        };
        let Some(org) = organizations::find(cx.conn(), scope)?.map(Organization::from) else {
            return Ok(identity);
        };
        let now = cx.now();
        let (membership, custom_role) = member_standing(cx.conn(), org.id, caller.id(), now)?;
        let grants = grants_in(&caller, &org, membership.as_ref(), custom_role.as_ref());
        identity.role = match &api_key {
            Some(key) => key.role.clone(),
            None => membership.map(|m| m.role.as_str().to_owned()),
        };
        identity.permissions = grants.to_strings();
        identity.organization = Some(org);
        Ok(identity)
    }
}
