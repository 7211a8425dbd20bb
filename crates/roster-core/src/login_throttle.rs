//! Login throttling: failed password attempts in a sliding window, per account and client
//! address, and per client address, kept in the database so every instance counts alike.
//!
//! Following OWASP's guidance, an account is never locked as such: the per-account limit
//! counts failures from one address only, so an attacker hammering an account from one place
//! cannot lock its owner out from another. The per-address limit stops one place from trying
//! many accounts. An unknown account is throttled exactly like a real one.

use std::time::Duration;

use roster_store::{login_failures, DbConn, Ts};

use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// How many failures each window allows, and how long the window is.
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

/// Who is trying: the account as typed (normalized) and the client's address.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: String,
    address: String,
}

impl Attempt {
    pub fn new(username: &str, address: Option<&str>) -> Attempt {
        Attempt {
            account: username.trim().to_lowercase(),
            address: address.unwrap_or("unknown").to_owned(),
        }
    }
}

impl LoginThrottle {
    pub(crate) fn window_start(&self, now: Ts) -> Ts {
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX);
        Ts::from_datetime(now.0.checked_sub_signed(window).unwrap_or(now.0))
    }

    /// 429 when either window is full, with how long until one failure leaves it.
    pub fn check(&self, conn: &mut DbConn, attempt: &Attempt, now: Ts) -> Result<(), CoreError> {
        let since = self.window_start(now);
        let limits = [
            (Some(attempt.account.as_str()), self.per_account),
            (None, self.per_address),
        ];
        for (account, limit) in limits {
            let recent =
                login_failures::recent(conn, account, &attempt.address, since, i64::from(limit))?;
            // Newest first: the window has room again once its `limit`-th newest failure leaves.
            if let Some(oldest_counted) = recent.get(limit as usize - 1).copied() {
                let free_at =
                    oldest_counted.0 + chrono::Duration::from_std(self.window).unwrap_or_default();
                let wait = (free_at - now.0).num_milliseconds().max(0);
                return Err(CoreError::TooManyAttempts {
                    detail: "too many failed sign-ins; try again later".into(),
                    retry_after: u64::try_from(wait).unwrap_or(0).div_ceil(1000).max(1),
                });
            }
        }
        Ok(())
    }

    /// Counts a failed attempt.
    pub fn failed(&self, conn: &mut DbConn, attempt: &Attempt, now: Ts) -> Result<(), CoreError> {
        login_failures::record(conn, &attempt.account, &attempt.address, now)?;
        Ok(())
    }

    /// A successful sign-in wipes the account's failures from that address.
    pub fn succeeded(&self, conn: &mut DbConn, attempt: &Attempt) -> Result<(), CoreError> {
        login_failures::clear(conn, &attempt.account, &attempt.address)?;
        Ok(())
    }
}

/// `login_throttle.count_failure`: counts a wrong password, in a transaction of its own so the
/// count stands although the request that made the attempt fails. Public because the attempt
/// it counts was already admitted by the operation that checked the password.
#[derive(Debug, Clone)]
pub(crate) struct CountFailure(pub Attempt);

impl Declared for CountFailure {
    const NAME: &'static str = "login_throttle.count_failure";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
}

impl Operation for CountFailure {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let throttle = cx.core().settings().login_throttle;
        let now = cx.now();
        throttle.failed(cx.conn(), &self.0, now)
    }
}

/// The signed-in caller as stored, once the throttle lets another check of their password
/// through (changing the password, deleting the account): the password is checked after, and
/// a wrong one counted with [`CountFailure`].
#[derive(Debug, Clone)]
pub(crate) struct ThrottledCaller {
    pub ip: Option<String>,
}

impl Declared for ThrottledCaller {
    const NAME: &'static str = "login_throttle.check_caller";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Read;
}

impl Operation for ThrottledCaller {
    type Output = (roster_store::users::UserRow, Attempt);

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        // The password hash is read here, fresh: the caller as checked does not carry it.
        let caller = cx.signed_in()?.id();
        let user =
            roster_store::users::find(cx.conn(), caller)?.ok_or(CoreError::NotFound("user"))?;
        let attempt = Attempt::new(&user.email, self.ip.as_deref());
        let throttle = cx.core().settings().login_throttle;
        let now = cx.now();
        throttle.check(cx.conn(), &attempt, now)?;
        Ok((user, attempt))
    }
}
