//! The dispatcher: claims due deliveries, sends each one (signed, bounded), and records the
//! attempt. No lock is held while a receiver is being called: a claim is a lease written to the
//! delivery's row, and an instance that dies mid-attempt loses it when it expires.

use std::time::Duration;

use chrono::Utc;
use roster_domain::{DeliveryId, WebhookId};
use roster_store::webhooks::{self, status, AttemptOutcome, DeliveryRow, EndpointRow};
use roster_store::{events, Ts};
use roster_webhooks::{Attempt, Secret, Sender};

use super::{events as webhook_events, message, secrets, FAILING_FOR};
use crate::{
    Context, Core, CoreError, Declared, Kind, Operation, Principal, RequestMeta, Requirement,
};

/// Claims up to `limit` due deliveries for this instance (the operator's own work).
#[derive(Debug, Clone)]
pub(crate) struct ClaimDeliveries {
    pub limit: i64,
}

impl Declared for ClaimDeliveries {
    const NAME: &'static str = "webhooks.claim";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for ClaimDeliveries {
    type Output = Vec<DeliveryRow>;

    fn run(self, cx: &mut Context<'_>) -> Result<Vec<DeliveryRow>, CoreError> {
        let now = cx.now();
        let lease = cx.core().settings().webhooks.lease;
        let until = Ts(now.0 + chrono::Duration::from_std(lease).unwrap_or_default());
        let holder = cx.core().instance();
        Ok(webhooks::claim_due(
            cx.conn(),
            now,
            holder,
            until,
            self.limit,
        )?)
    }
}

/// What an attempt needs from the database: the endpoint, its secrets and the message body.
struct Prepared {
    endpoint: EndpointRow,
    secrets: Vec<Secret>,
    body: Vec<u8>,
}

fn prepare(core: &Core, delivery: &DeliveryRow) -> Result<Option<Prepared>, CoreError> {
    let delivery = delivery.clone();
    let core_inner = core.clone();
    core.db().read(move |conn| {
        let Some(endpoint) = webhooks::find_endpoint(conn, delivery.endpoint_id)? else {
            return Ok(None);
        };
        let event = match delivery.event_id {
            Some(id) => events::find_many(conn, &[id])?.into_iter().next(),
            None => None,
        };
        let now = Ts::now();
        let mut secrets = vec![secrets::open(&core_inner, endpoint.id, &endpoint.secret)?];
        if let (Some(previous), Some(until)) =
            (&endpoint.previous_secret, endpoint.previous_secret_until)
        {
            if until > now {
                secrets.push(secrets::open(&core_inner, endpoint.id, previous)?);
            }
        }
        let body = message::body(&delivery, event);
        Ok(Some(Prepared {
            endpoint,
            secrets,
            body,
        }))
    })
}

/// Records how an attempt went, under this instance's claim, and keeps the endpoint's failing
/// streak: five days of nothing but failures disables it.
#[derive(Debug, Clone)]
pub(crate) struct FinishAttempt {
    pub delivery: DeliveryId,
    pub endpoint: WebhookId,
    pub attempts_before: i32,
    pub started_at: Ts,
    pub attempt: AttemptSummary,
}

#[derive(Debug, Clone)]
pub(crate) struct AttemptSummary {
    pub status: Option<u16>,
    pub error: Option<&'static str>,
    pub duration: Duration,
}

impl Declared for FinishAttempt {
    const NAME: &'static str = "webhooks.finish_attempt";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for FinishAttempt {
    type Output = Option<i32>;

    fn run(self, cx: &mut Context<'_>) -> Result<Option<i32>, CoreError> {
        let now = cx.now();
        let schedule = cx.core().settings().webhooks.retry_schedule.clone();
        let succeeded = self.attempt.error.is_none();
        // Attempt n (1-based) failed: the n-th wait of the schedule, or the end.
        let number = self.attempts_before as usize + 1;
        let (delivery_status, next) = if succeeded {
            (status::SUCCEEDED, None)
        } else if let Some(wait) = schedule.get(number - 1) {
            let wait = chrono::Duration::from_std(*wait).unwrap_or_default();
            (status::PENDING, Some(Ts(now.0 + wait)))
        } else {
            (status::FAILED, None)
        };
        let outcome = AttemptOutcome {
            started_at: self.started_at,
            duration_ms: self.attempt.duration.as_millis() as i64,
            response_status: self.attempt.status.map(i32::from),
            error: self.attempt.error.map(str::to_owned),
            status: delivery_status,
            next_attempt_at: next,
        };
        let holder = cx.core().instance();
        let recorded = webhooks::finish_attempt(cx.conn(), self.delivery, holder, &outcome, now)?;
        if recorded.is_some() {
            keep_failing_streak(cx, self.endpoint, succeeded, now)?;
        }
        Ok(recorded)
    }
}

fn keep_failing_streak(
    cx: &mut Context<'_>,
    endpoint: WebhookId,
    succeeded: bool,
    now: Ts,
) -> Result<(), CoreError> {
    // Most attempts change nothing here: look without a lock first, so that the attempts to
    // one endpoint do not queue on its row.
    let Some(seen) = webhooks::find_endpoint(cx.conn(), endpoint)? else {
        return Ok(());
    };
    if !streak_changes(&seen, succeeded, now) {
        return Ok(());
    }
    let Some(mut row) = webhooks::lock_endpoint(cx.conn(), endpoint)? else {
        return Ok(());
    };
    if !streak_changes(&row, succeeded, now) {
        return Ok(()); // another attempt got there first
    }
    match row.failing_since {
        Some(_) if succeeded => row.failing_since = None,
        None => row.failing_since = Some(now),
        // Five days of failures; disabled unless something got through meanwhile (another
        // delivery may have).
        Some(since) => {
            if webhooks::succeeded_since(cx.conn(), endpoint, since)? {
                row.failing_since = Some(now);
            } else {
                row.enabled = false;
                row.disabled_reason = Some("failing".into());
                row.updated_at = now;
                tracing::warn!(webhook = %endpoint, "disabled a webhook endpoint that failed every attempt for 5 days");
                webhooks::save_endpoint(cx.conn(), &row)?;
                cx.record(webhook_events::endpoint_event::<
                    webhook_events::WebhookDisabled,
                >(&row));
                return Ok(());
            }
        }
    }
    webhooks::save_endpoint(cx.conn(), &row)?;
    Ok(())
}

/// Whether an attempt that ended so changes the endpoint's failing streak: a success ends one,
/// a failure starts one, or (after five days of them) may disable the endpoint.
fn streak_changes(endpoint: &EndpointRow, succeeded: bool, now: Ts) -> bool {
    match (succeeded, endpoint.failing_since) {
        (true, since) => since.is_some(),
        (false, None) => true,
        (false, Some(since)) => endpoint.enabled && now.0 - since.0 >= FAILING_FOR,
    }
}

/// Makes the attempts: one [`Sender`] per process.
#[derive(Clone)]
pub struct Dispatcher {
    core: Core,
    sender: Sender,
}

impl Dispatcher {
    pub fn new(core: Core) -> Result<Dispatcher, CoreError> {
        let sender = Sender::new(core.settings().webhooks.targets)
            .map_err(|e| CoreError::Internal(format!("cannot set up TLS for webhooks: {e}")))?;
        Ok(Dispatcher { core, sender })
    }

    /// Claims up to `limit` due deliveries for this instance.
    pub(crate) fn claim(&self, limit: usize) -> Result<Vec<DeliveryRow>, CoreError> {
        self.core.execute_blocking(
            &Principal::Operator,
            &RequestMeta::default(),
            ClaimDeliveries {
                limit: limit as i64,
            },
        )
    }

    /// One attempt at a claimed delivery, start to end (blocking: up to the attempt timeout).
    pub(crate) fn attempt(&self, delivery: DeliveryRow) -> Result<(), CoreError> {
        let started_at = Ts::now();
        let summary = match prepare(&self.core, &delivery)? {
            None => return Ok(()), // the endpoint was deleted, and the delivery with it
            // A disabled endpoint gets test messages only (a way to check it before re-enabling).
            Some(prepared) if !prepared.endpoint.enabled && delivery.event_id.is_some() => {
                AttemptSummary {
                    status: None,
                    error: Some("endpoint_disabled"),
                    duration: Duration::ZERO,
                }
            }
            Some(prepared) => self.send(&delivery, &prepared),
        };
        if let Some(error) = summary.error {
            tracing::warn!(
                delivery = %delivery.id,
                webhook = %delivery.endpoint_id,
                event_type = %delivery.event_type,
                attempt = delivery.attempts + 1,
                status = summary.status,
                error,
                "webhook attempt failed"
            );
        }
        self.core
            .observer()
            .webhook_attempt(summary.error.unwrap_or("succeeded"), summary.duration);
        self.core.execute_blocking(
            &Principal::Operator,
            &RequestMeta::default(),
            FinishAttempt {
                delivery: delivery.id,
                endpoint: delivery.endpoint_id,
                attempts_before: delivery.attempts,
                started_at,
                attempt: summary,
            },
        )?;
        Ok(())
    }

    fn send(&self, delivery: &DeliveryRow, prepared: &Prepared) -> AttemptSummary {
        let timestamp = Utc::now().timestamp();
        let headers = message::headers(delivery, timestamp, &prepared.body, &prepared.secrets);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Attempt {
            status,
            error,
            duration,
        } = self
            .sender
            .send(&prepared.endpoint.url, &headers, &prepared.body);
        AttemptSummary {
            status,
            error: error.map(|e| e.as_str()),
            duration,
        }
    }

    /// Gives back this instance's claims (shutting down): due again at once, elsewhere.
    pub(crate) fn release_claims(&self) -> Result<usize, CoreError> {
        let holder = self.core.instance();
        self.core
            .db()
            .write(|conn| webhooks::release_claims(conn, holder).map_err(CoreError::from))
    }
}
