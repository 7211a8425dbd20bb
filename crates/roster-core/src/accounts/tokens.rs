//! One-time tokens mailed to a user: made here, stored as their SHA-256, used once.

use roster_auth::{hash_secret, NewSecret};
use roster_store::account_tokens::{self, AccountTokenRow};
use roster_store::users::UserRow;
use roster_store::{DbId, Ts};

use crate::{Context, CoreError};

/// A token just issued: its plaintext (for the message), its row and when it expires.
pub(crate) struct Issued {
    pub plaintext: String,
    pub id: DbId,
    pub expires_at: Ts,
}

/// A new token of `purpose` for `user`, mailed to `email`, valid for `lifetime`; the user's
/// earlier open tokens of that purpose end (only the newest link works).
pub(crate) fn issue(
    cx: &mut Context<'_>,
    user: &UserRow,
    purpose: &str,
    email: &str,
    secret: NewSecret,
    lifetime: chrono::Duration,
) -> Result<Issued, CoreError> {
    let now = cx.now();
    account_tokens::end_all(cx.conn(), user.id, purpose, now)?;
    let expires_at = Ts(now.0 + lifetime);
    let id = DbId(uuid::Uuid::now_v7());
    account_tokens::insert(
        cx.conn(),
        &AccountTokenRow {
            id,
            user_id: user.id,
            purpose: purpose.to_owned(),
            email: email.to_owned(),
            token_hash: secret.hash,
            expires_at,
            used_at: None,
            created_at: now,
        },
    )?;
    Ok(Issued {
        plaintext: secret.plaintext,
        id,
        expires_at,
    })
}

/// 400 `invalid-token`: used, expired, unknown or malformed alike.
pub(crate) fn invalid() -> CoreError {
    CoreError::InvalidToken("this token is not valid: it is unknown, used or expired".into())
}

/// Uses the token `plaintext` of `purpose`: the stored row, for the one caller that finds it
/// unused and unexpired; 400 `invalid-token` for anyone else.
pub(crate) fn consume(
    cx: &mut Context<'_>,
    purpose: &str,
    plaintext: &str,
) -> Result<AccountTokenRow, CoreError> {
    let now = cx.now();
    let row =
        account_tokens::find(cx.conn(), purpose, &hash_secret(plaintext))?.ok_or_else(invalid)?;
    if !account_tokens::consume(cx.conn(), row.id, now)? {
        return Err(invalid());
    }
    Ok(row)
}
