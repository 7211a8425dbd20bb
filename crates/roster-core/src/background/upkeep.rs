//! Upkeep: what expires is forgotten, and memberships past their end are removed.

use roster_store::{
    account_tokens, idempotency, login_failures, mail_outbox, rate_hits, refresh_tokens, webhooks,
    Ts,
};

use crate::invitations::ExpireInvitations;
use crate::members::{FindExpiredMemberships, RemoveExpiredMemberships};
use crate::{
    Context, Core, CoreError, Declared, Kind, Operation, Principal, RequestMeta, Requirement,
};

/// How long delivery history (attempts, finished deliveries) is kept.
const WEBHOOK_HISTORY_DAYS: i64 = 30;
/// How long sent and failed mail is kept (who was sent what, never the links).
const MAIL_HISTORY_DAYS: i64 = 30;

/// One purge, run by the operator's background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purge {
    /// Sessions whose every refresh token has expired.
    RefreshTokens,
    /// Idempotency keys past their 24 hours.
    IdempotencyKeys,
    /// Failed sign-ins older than the throttling window.
    LoginFailures,
    /// Webhook attempts and finished deliveries older than 30 days.
    WebhookHistory,
    /// Verification and password-reset tokens past their time.
    AccountTokens,
    /// Throttling hits older than the longest window.
    RateHits,
    /// Sent or failed mail older than 30 days.
    MailHistory,
}

#[derive(Debug, Clone)]
pub struct PurgeExpired(pub Purge);

impl Declared for PurgeExpired {
    const NAME: &'static str = "upkeep.purge";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for PurgeExpired {
    type Output = usize;

    fn run(self, cx: &mut Context<'_>) -> Result<usize, CoreError> {
        let now = cx.now();
        let before = |age: chrono::Duration| Ts::from_datetime(now.0 - age);
        Ok(match self.0 {
            Purge::RefreshTokens => refresh_tokens::purge_expired(cx.conn(), now)?,
            Purge::IdempotencyKeys => idempotency::purge(
                cx.conn(),
                before(chrono::Duration::hours(crate::idempotency::LIFETIME_HOURS)),
            )?,
            Purge::LoginFailures => {
                let start = cx.core().settings().login_throttle.window_start(now);
                login_failures::purge(cx.conn(), start)?
            }
            Purge::WebhookHistory => {
                let cutoff = before(chrono::Duration::days(WEBHOOK_HISTORY_DAYS));
                webhooks::purge_attempts(cx.conn(), cutoff)?
                    + webhooks::purge_deliveries(cx.conn(), cutoff)?
            }
            Purge::AccountTokens => account_tokens::purge(cx.conn(), now)?,
            Purge::RateHits => {
                let window = chrono::Duration::from_std(crate::rate_limit::LONGEST_WINDOW)
                    .unwrap_or_default();
                rate_hits::purge(cx.conn(), before(window))?
            }
            Purge::MailHistory => {
                mail_outbox::purge(cx.conn(), before(chrono::Duration::days(MAIL_HISTORY_DAYS)))?
            }
        })
    }
}

/// Stores `expired` (with its event) for pending invitations past their time, in batches.
pub(crate) fn expire_invitations(core: &Core) -> Result<usize, CoreError> {
    let (operator, request) = (Principal::Operator, RequestMeta::default());
    let mut expired = 0;
    loop {
        let batch = core.execute_blocking(&operator, &request, ExpireInvitations { limit: 500 })?;
        expired += batch;
        if batch < 500 {
            return Ok(expired);
        }
    }
}

/// Removes memberships past their expiry, organization by organization, with their events.
/// They grant nothing once expired whether or not this has run; this catches the member
/// counts and the audit log up.
pub(crate) fn remove_expired_memberships(core: &Core) -> Result<usize, CoreError> {
    let (operator, request) = (Principal::Operator, RequestMeta::default());
    let mut removed = 0;
    loop {
        let due =
            core.execute_blocking(&operator, &request, FindExpiredMemberships { limit: 500 })?;
        let mut removed_in_round = 0;
        for organization in due {
            let gone = core.execute_blocking(
                &operator,
                &request,
                RemoveExpiredMemberships { organization },
            )?;
            tracing::info!(%organization, removed = gone, "removed expired memberships");
            removed_in_round += usize::try_from(gone).unwrap_or(0);
        }
        removed += removed_in_round;
        // Nothing left, or nothing that could go (never spin on it).
        if removed_in_round == 0 {
            return Ok(removed);
        }
    }
}
