//! `sessions.refresh`: the refresh-token grant. Refresh tokens rotate; one that comes back
//! after its rotation was stolen or replayed, and ends its whole session, except once within a
//! short grace period (two tabs refreshing at once), when it gets one more successor.

use roster_auth::hash_secret;
use roster_store::{refresh_tokens, users};

use super::events;
use super::tokens::{issue_pair, org_scope, IssuedTokens};
use crate::events::user_actor;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Clone)]
pub struct Refresh {
    pub refresh_token: String,
}

impl std::fmt::Debug for Refresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refresh { .. }")
    }
}

/// What a refresh attempt found. A refusal is an `Ok` so that what it changed (a replayed
/// token revokes its session) commits before the grant is refused.
#[derive(Debug)]
pub enum Refreshed {
    Issued(IssuedTokens),
    Refused(&'static str),
}

impl Declared for Refresh {
    const NAME: &'static str = "sessions.refresh";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::BOTH;
}

impl Operation for Refresh {
    type Output = Refreshed;

    fn run(self, cx: &mut Context<'_>) -> Result<Refreshed, CoreError> {
        let now = cx.now();
        let hash = hash_secret(&self.refresh_token);
        let Some(found) = refresh_tokens::find_by_hash(cx.conn(), &hash)? else {
            return Ok(Refreshed::Refused("unknown refresh token"));
        };
        // One refresh of a session at a time, judged on the token as it is now.
        refresh_tokens::lock_family(cx.conn(), found.family_id)?;
        let row = refresh_tokens::find(cx.conn(), found.id)?.unwrap_or(found);
        if row.revoked_at.is_some() {
            return Ok(Refreshed::Refused("this refresh token has been revoked"));
        }
        if row.expires_at <= now {
            return Ok(Refreshed::Refused("this refresh token has expired"));
        }
        let rotated_now =
            row.used_at.is_none() && refresh_tokens::mark_used(cx.conn(), row.id, now)?;
        if !rotated_now {
            // Rotated before, perhaps a moment ago by a concurrent request (read it again to see).
            let used_at = match row.used_at {
                Some(at) => Some(at),
                None => refresh_tokens::find(cx.conn(), row.id)?.and_then(|r| r.used_at),
            };
            let grace = chrono::Duration::from_std(cx.core().settings().refresh_token_grace)
                .unwrap_or_else(|_| chrono::Duration::zero());
            let within_grace = used_at.is_some_and(|at| now.0 - at.0 <= grace);
            // Two tabs need one more successor, once; a third presentation is a replay.
            if !within_grace || !refresh_tokens::take_grace(cx.conn(), row.id, now)? {
                // A rotated token came back: it was stolen or replayed. End the whole sign-in.
                refresh_tokens::revoke_family(cx.conn(), row.family_id, now)?;
                tracing::warn!(session = %row.family_id, user_id = %row.user_id, "refresh token reuse: session revoked");
                let mut revoked = events::revoked(row.family_id, "refresh_token_reused");
                if let Some(user) = users::find(cx.conn(), row.user_id)? {
                    revoked = revoked.by(user_actor(&user));
                }
                cx.record(revoked);
                return Ok(Refreshed::Refused(
                    "this refresh token was already used; the session has been revoked",
                ));
            }
            // Two tabs refreshed at once: the late one gets a successor of its own, and the
            // session (with the winner's new tokens) stays alive.
        }
        let user = match users::find(cx.conn(), row.user_id)? {
            Some(user) if user.is_active() => user,
            _ => return Ok(Refreshed::Refused("this account is disabled")),
        };
        let scope = match row.organization_id {
            Some(organization) => {
                let key = roster_domain::OrgKey::Id(organization);
                match org_scope(cx.conn(), user.id, &key, now) {
                    Ok(scope) => Some(scope),
                    Err(CoreError::InvalidGrant(_)) => {
                        return Ok(Refreshed::Refused(
                            "no longer a member of the token's organization",
                        ))
                    }
                    Err(other) => return Err(other),
                }
            }
            None => None,
        };
        issue_pair(cx, user.id, row.family_id, scope).map(Refreshed::Issued)
    }
}
