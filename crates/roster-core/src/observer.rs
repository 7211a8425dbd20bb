//! What the core reports about its own work, for whoever measures it (`roster-api` turns it into
//! Prometheus metrics).
//!
//! A trait object set once on [`Core`](crate::Core), rather than a metrics library inside the
//! core: the core stays free of any exposition format and its dependencies, another program that
//! embeds it plugs in its own measurements, and one that plugs in nothing pays a branch per
//! operation. Every label it hands out is from a closed set (an operation's `NAME`, an outcome),
//! so an observer cannot be made to grow without bound by what clients send.

use std::time::Duration;

use crate::CoreError;

/// Receives the core's measurements. Every method has an empty default; calls come from async
/// workers and blocking threads alike, so keep them short and never block.
pub trait Observer: Send + Sync + 'static {
    /// A piece of database work waited `waited` for one of the pool's slots; `acquired` is false
    /// when it gave up after the pool's timeout (and was answered as unavailable).
    fn database_slot_wait(&self, waited: Duration, acquired: bool) {
        let _ = (waited, acquired);
    }

    /// An operation's database work (connection, transaction, commit) took `elapsed`.
    /// `operation` is its [`Declared::NAME`](crate::Declared::NAME).
    fn operation_database_time(&self, operation: &'static str, elapsed: Duration) {
        let _ = (operation, elapsed);
    }

    /// A password sign-in ended so.
    fn sign_in(&self, outcome: SignInOutcome) {
        let _ = outcome;
    }

    /// A webhook attempt ended so (`succeeded`, or the error's word: `timeout`, `status`, …)
    /// after `elapsed`.
    fn webhook_attempt(&self, outcome: &'static str, elapsed: Duration) {
        let _ = (outcome, elapsed);
    }

    /// An attempt to send a queued message ended so: `sent`, `retry`, `failed` or `dropped`.
    fn mail_attempt(&self, outcome: &'static str) {
        let _ = outcome;
    }
}

/// How a password sign-in ended, in the few kinds an operator tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignInOutcome {
    /// Tokens were issued.
    Success,
    /// A wrong password, or an account that does not exist.
    InvalidCredentials,
    /// Refused before any password work: too many recent failures.
    Throttled,
    /// The right password of a disabled account.
    Disabled,
    /// The right password, for a token scoped to an organization the user is not a member of.
    NotMember,
    /// The database or the password threads could not take it (retry later).
    Unavailable,
    /// Anything else: a bug or a broken database.
    Error,
}

impl SignInOutcome {
    pub const ALL: [SignInOutcome; 7] = [
        SignInOutcome::Success,
        SignInOutcome::InvalidCredentials,
        SignInOutcome::Throttled,
        SignInOutcome::Disabled,
        SignInOutcome::NotMember,
        SignInOutcome::Unavailable,
        SignInOutcome::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignInOutcome::Success => "success",
            SignInOutcome::InvalidCredentials => "invalid_credentials",
            SignInOutcome::Throttled => "throttled",
            SignInOutcome::Disabled => "disabled",
            SignInOutcome::NotMember => "not_member",
            SignInOutcome::Unavailable => "unavailable",
            SignInOutcome::Error => "error",
        }
    }

    /// The outcome of a sign-in that failed for a reason other than its credentials.
    pub(crate) fn of_failure(error: &CoreError) -> SignInOutcome {
        match error {
            CoreError::TooManyAttempts { .. } => SignInOutcome::Throttled,
            CoreError::Unavailable | CoreError::Busy | CoreError::Overloaded => {
                SignInOutcome::Unavailable
            }
            _ => SignInOutcome::Error,
        }
    }
}

/// The observer of a core that was given none.
pub(crate) struct Unobserved;

impl Observer for Unobserved {}
