//! Sending queued mail: an instance claims due messages (a lease, so one that dies loses them
//! and another sends them), renders and sends each without holding the database, then records
//! the outcome under its claim. A message is sent once while instances are healthy; one that
//! crashed between sending and recording is sent again when its lease runs out.

use std::time::Duration;

use roster_mail::{MessageKind, SendError};
use roster_store::mail_outbox::{self, MailRow, Outcome};
use roster_store::Ts;

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
    core.db().write(|conn| {
        mail_outbox::claim_due(conn, now, holder, Ts(now.0 + lease), BATCH).map_err(CoreError::from)
    })
}

fn send_one(core: &Core, row: MailRow) -> Result<(), CoreError> {
    let settings = &core.settings().mail;
    let id = row.id.0;
    let sent = MessageKind::parse(&row.kind)
        .ok_or_else(|| SendError::Permanent(format!("unknown message kind {}", row.kind)))
        .and_then(|kind| {
            let values = super::open(core, id, &row.data)
                .map_err(|e| SendError::Permanent(e.to_string()))?;
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
