//! The dispatcher: claims due deliveries, sends each one (signed, bounded), and records the
//! attempt. No lock is held while a receiver is being called: a claim is a lease written to the
//! delivery's row, and an instance that dies mid-attempt loses it when it expires.

use std::collections::HashMap;
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
pub(crate) struct Prepared {
    endpoint: EndpointRow,
    secrets: Vec<Secret>,
    body: Vec<u8>,
}

/// A claimed delivery with what its attempt needs; `None` when its endpoint is gone.
pub(crate) type ClaimedDelivery = (DeliveryRow, Option<Prepared>);

/// Reads what a batch of claimed deliveries needs in one transaction: each endpoint and its
/// secrets once, every event in one query.
fn prepare(core: &Core, deliveries: Vec<DeliveryRow>) -> Result<Vec<ClaimedDelivery>, CoreError> {
    let core_inner = core.clone();
    core.db().read(move |conn| {
        let mut endpoints: HashMap<WebhookId, Option<(EndpointRow, Vec<Secret>)>> = HashMap::new();
        let now = Ts::now();
        for delivery in &deliveries {
            if endpoints.contains_key(&delivery.endpoint_id) {
                continue;
            }
            let found = match webhooks::find_endpoint(conn, delivery.endpoint_id)? {
                Some(endpoint) => {
                    let mut secrets =
                        vec![secrets::open(&core_inner, endpoint.id, &endpoint.secret)?];
                    if let (Some(previous), Some(until)) =
                        (&endpoint.previous_secret, endpoint.previous_secret_until)
                    {
                        if until > now {
                            secrets.push(secrets::open(&core_inner, endpoint.id, previous)?);
                        }
                    }
                    Some((endpoint, secrets))
                }
                None => None,
            };
            endpoints.insert(delivery.endpoint_id, found);
        }
        let event_ids: Vec<_> = deliveries.iter().filter_map(|d| d.event_id).collect();
        // One event may be in the batch for several endpoints: each message gets its copy.
        let events: HashMap<_, _> = events::find_many(conn, &event_ids)?
            .into_iter()
            .map(|event| (event.id, event))
            .collect();
        Ok(deliveries
            .into_iter()
            .map(|delivery| {
                let prepared =
                    endpoints[&delivery.endpoint_id]
                        .as_ref()
                        .map(|(endpoint, secrets)| {
                            let event = delivery.event_id.and_then(|id| events.get(&id).cloned());
                            Prepared {
                                endpoint: endpoint.clone(),
                                secrets: secrets.clone(),
                                body: message::body(&delivery, event),
                            }
                        });
                (delivery, prepared)
            })
            .collect())
    })
}

/// Records how an attempt went, under this instance's claim, and keeps the endpoint's failing
/// streak: five days of nothing but failures disables it.
#[derive(Clone)]
pub(crate) struct FinishAttempt {
    pub delivery: DeliveryId,
    /// The endpoint as the attempt saw it (its failing streak is judged from it first).
    pub endpoint: EndpointRow,
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
            keep_failing_streak(cx, &self.endpoint, succeeded, now)?;
        }
        Ok(recorded)
    }
}

fn keep_failing_streak(
    cx: &mut Context<'_>,
    seen: &EndpointRow,
    succeeded: bool,
    now: Ts,
) -> Result<(), CoreError> {
    // Most attempts change nothing here: judge from the endpoint as the attempt saw it, so that
    // the attempts to one endpoint neither read nor queue on its row. (Seen stale, a streak's
    // end waits for the next success; a start or a disabling is judged again under the lock.)
    if !streak_changes(seen, succeeded, now) {
        return Ok(());
    }
    let endpoint = seen.id;
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

    /// Claims up to `limit` due deliveries for this instance, each with what its attempt needs.
    pub(crate) fn claim(&self, limit: usize) -> Result<Vec<ClaimedDelivery>, CoreError> {
        let claimed = self.core.execute_blocking(
            &Principal::Operator,
            &RequestMeta::default(),
            ClaimDeliveries {
                limit: limit as i64,
            },
        )?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        prepare(&self.core, claimed)
    }

    /// One attempt at a claimed delivery, start to end (blocking: up to the attempt timeout).
    pub(crate) fn attempt(&self, (delivery, prepared): ClaimedDelivery) -> Result<(), CoreError> {
        let started_at = Ts::now();
        let Some(prepared) = prepared else {
            return Ok(()); // the endpoint was deleted, and the delivery with it
        };
        // A disabled endpoint gets test messages only (a way to check it before re-enabling).
        let summary = if !prepared.endpoint.enabled && delivery.event_id.is_some() {
            AttemptSummary {
                status: None,
                error: Some("endpoint_disabled"),
                duration: Duration::ZERO,
            }
        } else {
            self.send(&delivery, &prepared)
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
                endpoint: prepared.endpoint,
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
