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

use crate::{Core, CoreError, Principal, RequestMeta};

/// Messages claimed at once.
const BATCH: i64 = 20;
/// Messages of a batch sent at once.
const SENDERS: usize = 4;

/// Claims and sends due messages until none are left; returns how many were attempted.
pub(crate) fn send_due(core: &Core) -> Result<usize, CoreError> {
    let mut attempted = 0;
    loop {
        let batch = claim(core)?;
        if batch.is_empty() {
            return Ok(attempted);
        }
        attempted += batch.len();
        send_batch(core, batch)?;
    }
}

/// Sends a claimed batch on a few threads at once (the SMTP connections are pooled and reused),
/// so one slow conversation does not hold up the rest.
fn send_batch(core: &Core, batch: Vec<MailRow>) -> Result<(), CoreError> {
    let senders = SENDERS.min(batch.len()).max(1);
    let queue = std::sync::Mutex::new(batch.into_iter());
    let next = || queue.lock().ok().and_then(|mut rows| rows.next());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..senders)
            .map(|_| {
                scope.spawn(|| {
                    while let Some(row) = next() {
                        send_one(core, row)?;
                    }
                    Ok::<(), CoreError>(())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| Err(CoreError::Internal("a mail sender panicked".into())))
            })
            .collect::<Result<Vec<()>, CoreError>>()
            .map(|_| ())
    })
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

/// A password reset queued before its account was looked up: its account gets a token now,
/// and the values with the link; `None` when no account has the address.
fn issue_reset(core: &Core, row: &MailRow) -> Result<Option<serde_json::Value>, SendError> {
    let issue = crate::accounts::IssueReset {
        mail: row.id.0,
        email: row.recipient.clone(),
    };
    let issued = core
        .execute_blocking(&Principal::Operator, &RequestMeta::default(), issue)
        .map_err(|e| SendError::Transient(e.to_string()))?;
    Ok(issued.map(|(token, mut values)| {
        let path = values["link_path"].as_str().unwrap_or_default().to_owned();
        values["link"] = core.settings().mail.link(&path, &token).into();
        values["token"] = token.into();
        values
    }))
}

/// Whether `row` waits for its account to be looked up (see [`issue_reset`]).
fn deferred(row: &MailRow) -> bool {
    row.secret.is_none() && row.kind == MessageKind::PasswordReset.as_str()
}

fn send_one(core: &Core, row: MailRow) -> Result<(), CoreError> {
    let settings = &core.settings().mail;
    let id = row.id.0;
    let prepared = match MessageKind::parse(&row.kind) {
        None => Err(SendError::Permanent(format!(
            "unknown message kind {}",
            row.kind
        ))),
        Some(kind) if deferred(&row) => issue_reset(core, &row).map(|v| v.map(|v| (kind, v))),
        Some(kind) => values(core, &row).map(|v| Some((kind, v))),
    };
    let sent = prepared.and_then(|prepared| {
        let Some((kind, values)) = prepared else {
            return Ok(false);
        };
        let message = settings
            .templates
            .render(kind, &values)
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        settings
            .transport
            .send(&id.to_string(), &row.recipient, &message)
            .map(|()| true)
    });
    let now = Ts::now();
    let outcome = match sent {
        Ok(true) => Outcome::Sent,
        Ok(false) => Outcome::Dropped,
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
        // Without SMTP the transport has logged the message itself.
        Outcome::Sent if settings.transport.delivers() => {
            tracing::info!(kind = %row.kind, message = %id, "mail sent")
        }
        Outcome::Sent | Outcome::Dropped => {}
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
        Outcome::Dropped => "dropped",
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
