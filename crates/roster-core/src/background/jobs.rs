//! Periodic jobs shared by every instance: each run is claimed in the database, so one instance
//! runs a job at a time, and a claim whose instance died expires.

use std::time::Duration;

use roster_store::{background_jobs, Ts};

use super::upkeep::{self, Purge, PurgeExpired};
use crate::{Core, CoreError, Principal, RequestMeta};

/// A job: its name (its row in `background_jobs`), how often it runs, and its work.
#[derive(Clone, Copy)]
pub(crate) struct Job {
    pub name: &'static str,
    pub every: Duration,
    pub work: fn(&Core) -> Result<usize, CoreError>,
}

/// Every shared job, with the expiry sweep's interval (memberships and invitations) as configured.
pub(crate) fn all(expiry_sweep: Duration) -> Vec<Job> {
    fn purge(core: &Core, what: Purge) -> Result<usize, CoreError> {
        core.execute_blocking(
            &Principal::Operator,
            &RequestMeta::default(),
            PurgeExpired(what),
        )
    }
    const TEN_MINUTES: Duration = Duration::from_secs(600);
    const HOURLY: Duration = Duration::from_secs(3600);
    vec![
        Job {
            name: "memberships.remove_expired",
            every: expiry_sweep,
            work: upkeep::remove_expired_memberships,
        },
        Job {
            name: "invitations.expire",
            every: expiry_sweep,
            work: upkeep::expire_invitations,
        },
        Job {
            name: "refresh_tokens.purge",
            every: HOURLY,
            work: |core| purge(core, Purge::RefreshTokens),
        },
        Job {
            name: "idempotency_keys.purge",
            every: TEN_MINUTES,
            work: |core| purge(core, Purge::IdempotencyKeys),
        },
        Job {
            name: "login_failures.purge",
            every: TEN_MINUTES,
            work: |core| purge(core, Purge::LoginFailures),
        },
        Job {
            name: "webhooks.purge_history",
            every: HOURLY,
            work: |core| purge(core, Purge::WebhookHistory),
        },
        Job {
            name: "account_tokens.purge",
            every: HOURLY,
            work: |core| purge(core, Purge::AccountTokens),
        },
        Job {
            name: "rate_hits.purge",
            every: TEN_MINUTES,
            work: |core| purge(core, Purge::RateHits),
        },
        Job {
            name: "mail.purge_history",
            every: HOURLY,
            work: |core| purge(core, Purge::MailHistory),
        },
    ]
}

/// Runs `job` here if it is due and no other instance holds it; returns whether it ran.
pub(crate) fn run_if_due(core: &Core, job: &Job) -> Result<bool, CoreError> {
    let holder = core.instance();
    let now = Ts::now();
    let lease = chrono::Duration::from_std(core.settings().webhooks.lease).unwrap_or_default();
    let every = chrono::Duration::from_std(job.every).unwrap_or_default();
    // A little early is still due: runs on several instances are not all in step.
    let due_before = Ts::from_datetime(now.0 - every + chrono::Duration::milliseconds(500));
    let claimed = core.db().write(|conn| {
        background_jobs::claim(conn, job.name, holder, now, Ts(now.0 + lease), due_before)
            .map_err(CoreError::from)
    })?;
    if !claimed {
        return Ok(false);
    }
    let outcome = (job.work)(core);
    let finished = match &outcome {
        Ok(_) => Some(Ts::now()),
        Err(_) => None,
    };
    core.db().write(|conn| {
        background_jobs::release(conn, job.name, holder, finished).map_err(CoreError::from)
    })?;
    let done = outcome?;
    if done > 0 {
        tracing::info!(job = job.name, done, "background job ran");
    }
    Ok(true)
}

/// Gives back every job claim this instance holds (shutting down).
pub(crate) fn release_all(core: &Core, jobs: &[Job]) -> Result<(), CoreError> {
    let holder = core.instance();
    core.db().write(|conn| {
        for job in jobs {
            background_jobs::release(conn, job.name, holder, None)?;
        }
        Ok::<_, CoreError>(())
    })
}
