//! Issuing a pair of tokens for a session: a refresh token (stored as its SHA-256 only) and a
//! signed access token.

use std::fmt;

use roster_auth::{new_refresh_token, OrgScope};
use roster_domain::OrgKey;
use roster_domain::{OrganizationId, RefreshTokenId, SessionId, UserId};
use roster_store::refresh_tokens::{self, RefreshTokenRow};
use roster_store::{org_access, DbConn, Ts};

use crate::access::member_grants;
use crate::standing::{OrgLookup, OrgStanding};
use crate::{Context, CoreError};

/// What the token endpoint answers. Both tokens are secrets: shown once, never logged.
#[derive(Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
}

impl fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// Stores a new refresh token in `family` and signs an access token for the same session.
pub(crate) fn issue_pair(
    cx: &mut Context<'_>,
    user: UserId,
    family: SessionId,
    scope: Option<OrgScope>,
) -> Result<IssuedTokens, CoreError> {
    let now = cx.now();
    let ttl = chrono::Duration::from_std(cx.core().settings().refresh_token_ttl)
        .unwrap_or(chrono::Duration::days(30));
    let refresh = new_refresh_token();
    refresh_tokens::insert(
        cx.conn(),
        &RefreshTokenRow {
            id: RefreshTokenId::new(),
            family_id: family,
            user_id: user,
            token_hash: refresh.hash.clone(),
            organization_id: scope.as_ref().map(|s| OrganizationId::from_uuid(s.org_id)),
            created_at: now,
            expires_at: Ts::from_datetime(now.0 + ttl),
            used_at: None,
            revoked_at: None,
            grace_used_at: None,
        },
    )?;
    let access = cx.core().keys()?.issue(user, family, scope)?;
    Ok(IssuedTokens {
        access_token: access.token,
        expires_in: access.expires_in,
        refresh_token: refresh.plaintext,
    })
}

/// The user's role and permissions in the organization `key` names, for a token scoped to it.
/// Unknown, invisible and not-a-member organizations look alike: the grant does not hold.
pub(crate) fn org_scope(
    conn: &mut DbConn,
    user: UserId,
    key: &OrgKey,
    now: Ts,
) -> Result<OrgScope, CoreError> {
    let not_member =
        || CoreError::InvalidGrant("no such organization, or you are not a member of it".into());
    let standing = org_access::load(conn, user, None, key, now)?
        .map(OrgStanding::from)
        .ok_or_else(not_member)?;
    let (OrgLookup::Found(org), Some(membership)) = (standing.organization, standing.membership)
    else {
        return Err(not_member());
    };
    let grants = member_grants(Some(&membership), standing.custom_role.as_ref());
    Ok(OrgScope {
        org_id: org.id.as_uuid(),
        role: membership.role.as_str().to_owned(),
        permissions: grants.to_strings(),
    })
}
