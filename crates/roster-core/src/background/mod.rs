//! Background work, one mechanism for all of it: the sequencer (events get their position and
//! their deliveries), the webhook dispatcher, the shared periodic jobs (upkeep, claimed in the
//! database so one instance runs each at a time) and this instance's key refresh. Started once
//! per server; [`Background::stop`] ends it cleanly.

mod jobs;
mod upkeep;

pub use upkeep::{Purge, PurgeExpired};

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::{sleep, Instant};

use crate::webhooks::dispatch::Dispatcher;
use crate::{Core, CoreError};

/// How often an instance looks for events committed by the others (its own writes wake it).
const SEQUENCER_POLL: Duration = Duration::from_millis(250);
/// How often the dispatcher looks for due retries (new deliveries wake it).
const DISPATCHER_POLL: Duration = Duration::from_secs(1);
/// How often the mail sender looks for due retries (queued mail wakes it).
const MAIL_POLL: Duration = Duration::from_secs(1);

/// The running background work of one instance.
pub struct Background {
    core: Core,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    dispatcher: Dispatcher,
    jobs: Vec<jobs::Job>,
}

impl Background {
    /// Starts it all on the current Tokio runtime. `expiry_sweep` is how often memberships past
    /// their end are removed.
    pub fn start(core: &Core, expiry_sweep: Duration) -> Result<Background, CoreError> {
        let (stop, stopped) = watch::channel(false);
        let dispatcher = Dispatcher::new(core.clone())?;
        let jobs = jobs::all(expiry_sweep);
        let mut tasks = vec![
            tokio::spawn(sequence(core.clone(), stopped.clone())),
            tokio::spawn(dispatch(core.clone(), dispatcher.clone(), stopped.clone())),
            tokio::spawn(send_mail(core.clone(), stopped.clone())),
        ];
        for job in &jobs {
            tasks.push(tokio::spawn(periodic(core.clone(), *job, stopped.clone())));
        }
        if let Ok(keys) = core.keys() {
            let every = keys.refresh_interval();
            tasks.push(tokio::spawn(refresh_keys(core.clone(), every, stopped)));
        }
        Ok(Background {
            core: core.clone(),
            stop,
            tasks,
            dispatcher,
            jobs,
        })
    }

    /// Takes no new work, lets the attempts and jobs in flight finish within `within`, then
    /// gives back this instance's claims, so other instances take them over at once.
    pub async fn stop(self, within: Duration) {
        let _ = self.stop.send(true);
        let deadline = Instant::now() + within;
        for task in self.tasks {
            if tokio::time::timeout_at(deadline, task).await.is_err() {
                tracing::warn!("background work still running at the shutdown deadline");
            }
        }
        let (core, dispatcher, jobs) = (self.core.clone(), self.dispatcher, self.jobs);
        let released = self
            .core
            .blocking(move || {
                let deliveries = dispatcher.release_claims()?;
                crate::mail::dispatch::release_claims(&core)?;
                jobs::release_all(&core, &jobs)?;
                Ok(deliveries)
            })
            .await;
        match released {
            Ok(0) => {}
            Ok(deliveries) => tracing::info!(deliveries, "gave back unfinished webhook deliveries"),
            Err(error) => tracing::warn!(%error, "could not give back this instance's claims"),
        }
    }
}

/// Waits for `wake`, `every`, or the stop signal; says whether to go on.
async fn wait(
    wake: Option<&tokio::sync::Notify>,
    every: Duration,
    stopped: &mut watch::Receiver<bool>,
) -> bool {
    if *stopped.borrow() {
        return false;
    }
    match wake {
        Some(wake) => tokio::select! {
            _ = wake.notified() => {}
            _ = sleep(every) => {}
            _ = stopped.changed() => {}
        },
        None => tokio::select! {
            _ = sleep(every) => {}
            _ = stopped.changed() => {}
        },
    }
    !*stopped.borrow()
}

/// The sequencer: numbers committed events and queues their deliveries.
async fn sequence(core: Core, mut stopped: watch::Receiver<bool>) {
    loop {
        let worker = core.clone();
        if let Err(error) = core
            .blocking(move || worker.sequence_events_blocking())
            .await
        {
            tracing::warn!(%error, "could not sequence events");
        }
        if !wait(Some(core.events_written()), SEQUENCER_POLL, &mut stopped).await {
            return;
        }
    }
}

/// The dispatcher: claims as many due deliveries as it has room for and makes each attempt
/// on a blocking thread (the database is not held while a receiver answers).
async fn dispatch(core: Core, dispatcher: Dispatcher, mut stopped: watch::Receiver<bool>) {
    let concurrency = core.settings().webhooks.concurrency.max(1);
    let room = Arc::new(Semaphore::new(concurrency));
    let claim_at_least = (concurrency / 4).max(1);
    loop {
        let free = room.available_permits();
        let mut claimed = 0;
        if free > 0 {
            let claimer = dispatcher.clone();
            match core.blocking(move || claimer.claim(free)).await {
                Ok(deliveries) => {
                    claimed = deliveries.len();
                    for delivery in deliveries {
                        let Ok(permit) = room.clone().acquire_owned().await else {
                            return;
                        };
                        let worker = dispatcher.clone();
                        tokio::task::spawn_blocking(move || {
                            if let Err(error) = worker.attempt(delivery) {
                                tracing::warn!(%error, "could not record a webhook attempt");
                            }
                            drop(permit);
                        });
                    }
                }
                Err(error) => tracing::warn!(%error, "could not claim webhook deliveries"),
            }
        }
        if *stopped.borrow() {
            break;
        }
        if free > 0 && claimed == free {
            continue; // there may be more due
        }
        if free < claim_at_least {
            // Most slots are busy: wait until a quarter of them are free (or the stop signal),
            // so that claims are batches rather than one transaction per delivery.
            tokio::select! {
                _ = room.acquire_many(claim_at_least as u32) => {}
                _ = stopped.changed() => {}
            }
            continue;
        }
        if !wait(Some(core.deliveries_due()), DISPATCHER_POLL, &mut stopped).await {
            break;
        }
    }
    // The attempts in flight end within their timeout; the caller bounds the wait.
    let _ = room.acquire_many(concurrency as u32).await;
}

/// The mail sender: sends what is due, one message after another, off the async workers (an
/// SMTP conversation holds no database connection).
async fn send_mail(core: Core, mut stopped: watch::Receiver<bool>) {
    loop {
        let worker = core.clone();
        match tokio::task::spawn_blocking(move || crate::mail::dispatch::send_due(&worker)).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "could not send queued mail"),
            Err(error) => tracing::warn!(%error, "the mail sender failed"),
        }
        if !wait(Some(core.mail_due()), MAIL_POLL, &mut stopped).await {
            return;
        }
    }
}

/// One shared job: on each tick, run it here if it is due and no one else runs it.
async fn periodic(core: Core, job: jobs::Job, mut stopped: watch::Receiver<bool>) {
    loop {
        if !wait(None, job.every, &mut stopped).await {
            return;
        }
        let worker = core.clone();
        if let Err(error) = core
            .blocking(move || jobs::run_if_due(&worker, &job).map(|_| ()))
            .await
        {
            tracing::warn!(job = job.name, %error, "background job failed");
        }
    }
}

/// This instance's signing keys: rotations made elsewhere start signing here, keys no live token
/// can need are retired.
async fn refresh_keys(core: Core, every: Duration, mut stopped: watch::Receiver<bool>) {
    loop {
        if !wait(None, every, &mut stopped).await {
            return;
        }
        if let Err(error) = core.refresh_keys().await {
            tracing::warn!(%error, "could not refresh the signing keys");
        }
    }
}
