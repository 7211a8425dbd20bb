//! Sending queued mail: an instance claims due messages (a lease, so one that dies loses them
//! and another sends them), renders and sends each without holding the database, then records
//! the outcome under its claim. A message is sent once while instances are healthy; one that
//! crashed between sending and recording is sent again when its lease runs out. A message
//! whose token another instance sealed waits a lease for it; then the token is reissued.

use std::time::Duration;

use roster_mail::{MessageKind, SendError};
use roster_store::mail_outbox::{self, MailRow, Outcome};
use roster_store::{account_tokens, invitations};

use super::Opens;
use roster_store::{DbId, Ts};

use crate::{Core, CoreError};

/// Messages claimed at once.
const BATCH: i64 = 20;

/// Claims and sends due messages until none are left; returns how many were attempted.
pub(crate) fn send_due(core: &Core) -> Result<usize, CoreError> {
    let mut attempted = 0;
    loop {
        let batch = claim(core)?;
        if batch.is_empty() {
            return Ok(attempted);
        }
        attempted += batch.len();
        for row in batch {
            send_one(core, row)?;
        }
    }
}

fn claim(core: &Core) -> Result<Vec<MailRow>, CoreError> {
    let holder = core.instance();
    let now = Ts::now();
    let lease = chrono::Duration::from_std(core.settings().webhooks.lease).unwrap_or_default();
    let (until, orphaned_before) = (Ts(now.0 + lease), Ts(now.0 - lease));
    core.db().write(|conn| {
        mail_outbox::claim_due(conn, now, holder, until, orphaned_before, BATCH)
            .map_err(CoreError::from)
    })
}

/// The values of `row`, with its link and token when it has one (a new token when this
/// instance cannot open the sealed one); a permanent failure when there is nothing left to
/// link to (the invitation or token was used or withdrawn meanwhile).
fn values(core: &Core, row: &MailRow) -> Result<serde_json::Value, SendError> {
    let permanent = |e: CoreError| SendError::Permanent(e.to_string());
    let mut values: serde_json::Value = serde_json::from_slice(&row.data)
        .map_err(|e| SendError::Permanent(format!("a queued message is malformed: {e}")))?;
    let Some(sealed) = &row.secret else {
        return Ok(values);
    };
    let sealed_by = row.sealed_by.0.map(|by| by.0);
    let token = match super::open_token(core, row.id.0, sealed, sealed_by) {
        Some(token) => token,
        None => reissue(core, row).map_err(permanent)?.ok_or_else(|| {
            SendError::Permanent("what the link opened was used or withdrawn meanwhile".into())
        })?,
    };
    let path = values["link_path"].as_str().unwrap_or_default().to_owned();
    values["link"] = core.settings().mail.link(&path, &token).into();
    values["token"] = token.into();
    Ok(values)
}

/// Mints a new token for what `row`'s link opens, when the instance that sealed the old one
/// is gone (its key went with it), and keeps it sealed for retries; `None` when what it
/// opened is no longer open.
fn reissue(core: &Core, row: &MailRow) -> Result<Option<String>, CoreError> {
    let opens = row
        .token_ref
        .as_deref()
        .and_then(Opens::decode)
        .ok_or_else(|| CoreError::Internal("a queued link names nothing to open".into()))?;
    let minted = core.db().write(|conn| {
        let now = Ts::now();
        let minted = match opens {
            Opens::Invitation(id) => {
                let secret = roster_auth::new_invitation_token();
                invitations::replace_token(conn, id, &secret.hash)?.then_some(secret.plaintext)
            }
            Opens::AccountToken(id) => {
                let Some(stored) = account_tokens::find_by_id(conn, DbId(id))? else {
                    return Ok(None);
                };
                let secret = if stored.purpose == account_tokens::purpose::PASSWORD_RESET {
                    roster_auth::new_password_reset_token()
                } else {
                    roster_auth::new_verification_token()
                };
                account_tokens::replace_hash(conn, DbId(id), &secret.hash, now)?
                    .then_some(secret.plaintext)
            }
        };
        if let Some(token) = &minted {
            let (sealed, by) = super::seal_token(core, row.id.0, token)?;
            mail_outbox::reseal(conn, row.id, sealed, by)?;
        }
        Ok::<_, CoreError>(minted)
    })?;
    if minted.is_some() {
        tracing::info!(kind = %row.kind, message = %row.id.0, "the instance that queued this message is gone: its link got a new token");
    }
    Ok(minted)
}

fn send_one(core: &Core, row: MailRow) -> Result<(), CoreError> {
    let settings = &core.settings().mail;
    let id = row.id.0;
    let sent = MessageKind::parse(&row.kind)
        .ok_or_else(|| SendError::Permanent(format!("unknown message kind {}", row.kind)))
        .and_then(|kind| {
            let values = values(core, &row)?;
            settings
                .templates
                .render(kind, &values)
                .map_err(|e| SendError::Permanent(e.to_string()))
        })
        .and_then(|message| {
            settings
                .transport
                .send(&id.to_string(), &row.recipient, &message)
        });
    let now = Ts::now();
    let outcome = match sent {
        Ok(()) => Outcome::Sent,
        Err(SendError::Permanent(error)) => Outcome::Failed { error },
        Err(SendError::Transient(error)) => {
            match settings.retry_schedule.get(row.attempts.max(0) as usize) {
                Some(wait) => Outcome::Retry {
                    at: later(now, *wait),
                    error,
                },
                None => Outcome::Failed { error },
            }
        }
    };
    match &outcome {
        Outcome::Sent => tracing::info!(kind = %row.kind, message = %id, "mail sent"),
        Outcome::Retry { error, at } => {
            tracing::warn!(kind = %row.kind, message = %id, %error, retry_at = %at.0, "mail not sent; will retry")
        }
        Outcome::Failed { error } => {
            tracing::error!(kind = %row.kind, message = %id, %error, "mail not sent; giving up")
        }
    }
    core.observer().mail_attempt(match outcome {
        Outcome::Sent => "sent",
        Outcome::Retry { .. } => "retry",
        Outcome::Failed { .. } => "failed",
    });
    let holder = core.instance();
    core.db().write(|conn| {
        mail_outbox::finish(conn, row.id, holder, &outcome, now).map_err(CoreError::from)
    })?;
    Ok(())
}

fn later(now: Ts, wait: Duration) -> Ts {
    Ts(now.0 + chrono::Duration::from_std(wait).unwrap_or_default())
}

/// Gives back this instance's claims (shutting down).
pub(crate) fn release_claims(core: &Core) -> Result<usize, CoreError> {
    let holder = core.instance();
    core.db()
        .write(|conn| mail_outbox::release_claims(conn, holder).map_err(CoreError::from))
}
