//! The outbox: committed events get their global position, and each one a delivery for every
//! webhook endpoint that wants it, in one transaction. The audit log is the outbox: nothing is
//! written twice by the operations, and an event is in the log and on its way to its endpoints
//! or in neither.

use roster_store::webhooks::{self, DeliveryRow};
use roster_store::{events, DbConn, Ts};

use crate::{Core, CoreError};

/// Events numbered in one transaction, at most.
const BATCH: i64 = 1_000;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sequenced {
    pub events: usize,
    pub deliveries: usize,
}

/// Numbers one batch of committed events and queues their deliveries, in the caller's write
/// transaction. Endpoints created after an event are not sent it.
pub(crate) fn sequence_batch(conn: &mut DbConn, now: Ts) -> Result<Sequenced, CoreError> {
    let batch = events::sequence(conn, BATCH)?;
    if batch.is_empty() {
        return Ok(Sequenced::default());
    }
    let endpoints = webhooks::enabled_endpoints(conn)?;
    let mut deliveries = Vec::new();
    for event in &batch {
        for endpoint in &endpoints {
            if endpoint.created_at <= event.created_at
                && endpoint.wants(&event.kind, event.organization_id)
            {
                deliveries.push(DeliveryRow::new(
                    endpoint.id,
                    Some(event.id),
                    &event.kind,
                    None,
                    now,
                ));
            }
        }
    }
    webhooks::insert_deliveries(conn, &deliveries)?;
    Ok(Sequenced {
        events: batch.len(),
        deliveries: deliveries.len(),
    })
}

impl Core {
    /// Numbers every event committed so far (batch by batch) and queues their deliveries; wakes
    /// the dispatcher when there are some. Returns how many events it numbered.
    pub(crate) fn sequence_events_blocking(&self) -> Result<usize, CoreError> {
        let mut numbered = 0;
        loop {
            if !self
                .db()
                .read(|conn| events::any_unsequenced(conn).map_err(CoreError::from))?
            {
                return Ok(numbered);
            }
            let round = self.db().write(|conn| sequence_batch(conn, Ts::now()))?;
            if round.deliveries > 0 {
                self.deliveries_due().notify_one();
            }
            numbered += round.events;
            if round.events < BATCH as usize {
                return Ok(numbered);
            }
        }
    }
}
