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
        }
    }
}
