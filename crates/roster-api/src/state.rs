//! What every request handler shares.

use std::sync::Arc;
use std::time::Duration;

use roster_core::Core;

use crate::client_address::TrustedProxies;
use crate::metrics::Metrics;

/// Shared, cheap to clone: the core (database, keys, policies) and what HTTP adds to it.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// How long a request body may take to arrive.
    pub body_read_timeout: Duration,
    pub metrics: Arc<Metrics>,
}
