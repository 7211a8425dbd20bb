//! `sessions.sign_out`: revoke a refresh token and every token of its session (RFC 7009: the
//! answer is the same whether or not the token was known).

use roster_auth::hash_secret;
use roster_store::{refresh_tokens, users};

use super::events;
use crate::events::user_actor;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Clone)]
pub struct SignOut {
    pub refresh_token: String,
}

impl std::fmt::Debug for SignOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignOut { .. }")
    }
}

impl Declared for SignOut {
    const NAME: &'static str = "sessions.sign_out";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Operation for SignOut {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let now = cx.now();
        let Some(row) = refresh_tokens::find_by_hash(cx.conn(), &hash_secret(&self.refresh_token))?
        else {
            return Ok(());
        };
        if refresh_tokens::revoke_family(cx.conn(), row.family_id, now)? > 0 {
            let mut revoked = events::revoked(row.family_id, "signed_out");
            if let Some(user) = users::find(cx.conn(), row.user_id)? {
                revoked = revoked.by(user_actor(&user));
            }
            cx.record(revoked);
        }
        Ok(())
    }
}
