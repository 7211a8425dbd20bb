//! The server's policies, as the operations consult them.

use std::time::Duration;

use crate::login_throttle::LoginThrottle;

/// Who may sign up without being a platform admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupPolicy {
    /// Anyone may create an account.
    Open,
    /// Only platform admins create accounts.
    Closed,
}

/// Who may create organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgCreationPolicy {
    /// Any signed-in user.
    Any,
    /// Platform admins only.
    Admins,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub signup: SignupPolicy,
    pub org_creation: OrgCreationPolicy,
    pub refresh_token_ttl: Duration,
    /// How long a just-rotated refresh token may come back and get a successor of its own.
    pub refresh_token_grace: Duration,
    pub login_throttle: LoginThrottle,
    /// Every new account gets a personal organization of its own.
    pub personal_orgs: bool,
    pub webhooks: WebhookSettings,
    pub mail: crate::mail::MailSettings,
    /// Memory for the read cache, in bytes (0: no cache).
    pub read_cache_bytes: u64,
}

/// Where webhook messages may go, and how they are retried.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub targets: roster_webhooks::TargetPolicy,
    /// The wait before each retry of a failed delivery; once they are used up, it has failed.
    pub retry_schedule: Vec<Duration>,
    /// How long an instance's claim on a delivery (or a background job) lasts: longer than an
    /// attempt, so a live claim is never taken over; an instance that died loses its claims
    /// after it.
    pub lease: Duration,
    /// Attempts one instance makes at once.
    pub concurrency: usize,
}

impl WebhookSettings {
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about a day and a half.
    pub fn default_retry_schedule() -> Vec<Duration> {
        [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]
            .into_iter()
            .map(Duration::from_secs)
            .collect()
    }
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            targets: roster_webhooks::TargetPolicy::default(),
            retry_schedule: Self::default_retry_schedule(),
            lease: Duration::from_secs(60),
            concurrency: 16,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            signup: SignupPolicy::Open,
            org_creation: OrgCreationPolicy::Any,
            refresh_token_ttl: Duration::from_secs(30 * 86_400),
            refresh_token_grace: Duration::from_secs(30),
            login_throttle: LoginThrottle {
                per_account: 10,
                per_address: 100,
                window: Duration::from_secs(900),
            },
            personal_orgs: false,
            webhooks: WebhookSettings::default(),
            mail: crate::mail::MailSettings::default(),
            read_cache_bytes: crate::read_cache::DEFAULT_BYTES,
        }
    }
}
