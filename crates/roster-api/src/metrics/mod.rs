//! Prometheus metrics (OpenMetrics text, through the `prometheus-client` crate): requests by
//! method, route and status; the database pool, the wait for its slots and the database time of
//! each operation; sign-in outcomes; the process itself.
//!
//! Every label comes from a closed set, so nothing a client sends makes new series: the method
//! is one of eight values, the route is the pattern that matched (`/v1/organizations/{org}`, or
//! `unmatched`), the status a status code, the operation one of the core's operations, the
//! outcome one of [`SignInOutcome::ALL`].

mod process;
mod read_cache;

use std::time::Duration;

use actix_web::http::Method;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use roster_core::read_cache::CacheStats;
use roster_core::{DatabaseState, Observer, SignInOutcome};

/// The media type of the exposition (OpenMetrics 1.0; Prometheus asks for it and parses it).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Upper bounds (seconds) of the request latency buckets.
const REQUEST_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// Database time of one operation: most take well under a millisecond on SQLite, a few on
/// PostgreSQL.
const DATABASE_BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];
/// Waits for a database slot: none at all while the pool keeps up; up to the pool's timeout (3 s)
/// when it does not.
const WAIT_BUCKETS: [f64; 11] = [
    0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5,
];

/// One webhook attempt: from under a millisecond (a receiver next door) to the 15 s limit.
const ATTEMPT_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// The instruments, and the registry that renders them. One per process, shared by both
/// listeners and handed to the core as its [`Observer`].
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily<RouteLabels>,
    operation_time: HistogramFamily<OperationLabels>,
    slot_wait: Histogram,
    slot_timeouts: Counter,
    sign_ins: Family<OutcomeLabels, Counter>,
    webhook_attempts: Family<OutcomeLabels, Counter>,
    webhook_attempt_time: Histogram,
    mail_attempts: Family<OutcomeLabels, Counter>,
    webhook_oldest_pending: Gauge<f64, std::sync::atomic::AtomicU64>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    slots_in_use: Gauge,
    slots_waited_for: Gauge,
    read_cache: read_cache::CacheCollector,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let metrics = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            latency: Family::new_with_constructor(|| Histogram::new(REQUEST_BUCKETS)),
            operation_time: Family::new_with_constructor(|| Histogram::new(DATABASE_BUCKETS)),
            slot_wait: Histogram::new(WAIT_BUCKETS),
            slot_timeouts: Counter::default(),
            sign_ins: Family::default(),
            webhook_attempts: Family::default(),
            webhook_attempt_time: Histogram::new(ATTEMPT_BUCKETS),
            mail_attempts: Family::default(),
            webhook_oldest_pending: Gauge::default(),
            pool_connections: Gauge::default(),
            pool_idle: Gauge::default(),
            pool_max: Gauge::default(),
            slots_in_use: Gauge::default(),
            slots_waited_for: Gauge::default(),
            read_cache: read_cache::CacheCollector::default(),
        };
        // Every outcome from the start, so that a rate over it exists before the first failure.
        for outcome in SignInOutcome::ALL {
            drop(metrics.sign_ins.get_or_create(&OutcomeLabels {
                outcome: outcome.as_str(),
            }));
        }
        drop(metrics.webhook_attempts.get_or_create(&OutcomeLabels {
            outcome: "succeeded",
        }));
        for outcome in ["sent", "retry", "failed", "dropped"] {
            drop(
                metrics
                    .mail_attempts
                    .get_or_create(&OutcomeLabels { outcome }),
            );
        }
        metrics.registered()
    }

    fn registered(mut self) -> Metrics {
        let r = &mut self.registry;
        r.register(
            "roster_build",
            "Roster's version",
            Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]),
        );
        r.register(
            "roster_http_requests",
            "HTTP requests by method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or other), route pattern and status",
            self.requests.clone(),
        );
        r.register_with_unit(
            "roster_http_request_duration",
            "HTTP request latency by method and route pattern",
            Unit::Seconds,
            self.latency.clone(),
        );
        r.register_with_unit(
            "roster_db_operation_duration",
            "Database time of each operation (connection, transaction and commit), by operation",
            Unit::Seconds,
            self.operation_time.clone(),
        );
        r.register_with_unit(
            "roster_db_slot_wait",
            "How long database work waited for a free connection slot",
            Unit::Seconds,
            self.slot_wait.clone(),
        );
        r.register(
            "roster_db_slot_timeouts",
            "Database work refused (503) after waiting the pool's timeout for a slot",
            self.slot_timeouts.clone(),
        );
        r.register(
            "roster_db_slots_in_use",
            "Connection slots held by database work",
            self.slots_in_use.clone(),
        );
        r.register(
            "roster_db_slots_waiting",
            "Pieces of database work waiting for a connection slot",
            self.slots_waited_for.clone(),
        );
        r.register(
            "roster_db_pool_connections",
            "Open database connections",
            self.pool_connections.clone(),
        );
        r.register(
            "roster_db_pool_idle_connections",
            "Idle database connections",
            self.pool_idle.clone(),
        );
        r.register(
            "roster_db_pool_max_connections",
            "The most database connections the pool opens",
            self.pool_max.clone(),
        );
        r.register(
            "roster_sign_ins",
            "Password sign-ins by outcome (success, invalid_credentials, throttled, disabled, not_member, unavailable, error)",
            self.sign_ins.clone(),
        );
        r.register(
            "roster_webhook_attempts",
            "Webhook attempts by outcome (succeeded, or why not: status, timeout, connection, dns, tls, redirect, forbidden_address, invalid_response, endpoint_disabled)",
            self.webhook_attempts.clone(),
        );
        r.register(
            "roster_mail_attempts",
            "Attempts to send queued mail by outcome (sent; retry: a transient failure, tried again later; failed: given up; dropped: nothing to send, a password reset for an address without an account)",
            self.mail_attempts.clone(),
        );
        r.register_with_unit(
            "roster_webhook_attempt_duration",
            "How long webhook attempts took (at most 15 s)",
            Unit::Seconds,
            self.webhook_attempt_time.clone(),
        );
        r.register_with_unit(
            "roster_webhook_oldest_pending_age",
            "How long the oldest pending webhook delivery has waited (0: none waits); it grows when receivers fail or dispatch falls behind",
            Unit::Seconds,
            self.webhook_oldest_pending.clone(),
        );
        r.register_collector(Box::new(process::ProcessCollector));
        r.register_collector(Box::new(self.read_cache.clone()));
        self
    }

    /// Reports the read cache's figures from `source` at each scrape.
    pub fn watch_read_cache(&self, source: Box<dyn Fn() -> CacheStats + Send + Sync>) {
        self.read_cache.read_from(source);
    }

    /// Records one finished request. `route` is the matched pattern (`/v1/organizations/{org}`),
    /// never the raw path, so ids don't explode the number of series.
    pub fn observe(&self, method: &Method, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method,
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The exposition, with the pool's state, the webhook backlog and the process's figures as
    /// they are now.
    pub fn render(&self, database: DatabaseState, oldest_pending: Option<Duration>) -> String {
        self.webhook_oldest_pending
            .set(oldest_pending.map_or(0.0, |age| age.as_secs_f64()));
        self.pool_connections.set(database.connections.into());
        self.pool_idle.set(database.idle_connections.into());
        self.pool_max.set(database.max_connections.into());
        self.slots_in_use
            .set(i64::try_from(database.slots_in_use).unwrap_or(i64::MAX));
        self.slots_waited_for
            .set(i64::try_from(database.slots_waited_for).unwrap_or(i64::MAX));
        let mut out = String::new();
        // Writing to a String cannot fail; a metric that failed to encode would only be cut short.
        let _ = encode_registry(&mut out, &self.registry).and_then(|()| encode_eof(&mut out));
        out
    }
}

impl Observer for Metrics {
    fn database_slot_wait(&self, waited: Duration, acquired: bool) {
        self.slot_wait.observe(waited.as_secs_f64());
        if !acquired {
            self.slot_timeouts.inc();
        }
    }

    fn operation_database_time(&self, operation: &'static str, elapsed: Duration) {
        self.operation_time
            .get_or_create(&OperationLabels { operation })
            .observe(elapsed.as_secs_f64());
    }

    fn sign_in(&self, outcome: SignInOutcome) {
        self.sign_ins
            .get_or_create(&OutcomeLabels {
                outcome: outcome.as_str(),
            })
            .inc();
    }

    fn webhook_attempt(&self, outcome: &'static str, elapsed: Duration) {
        self.webhook_attempts
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
        self.webhook_attempt_time.observe(elapsed.as_secs_f64());
    }

    fn mail_attempt(&self, outcome: &'static str) {
        self.mail_attempts
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }
}

/// The method as a label: the ones HTTP defines for resources, and `other` for any other token a
/// client makes up (`FOO /v1/x` would otherwise add a series for good).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> DatabaseState {
        DatabaseState {
            connections: 4,
            idle_connections: 3,
            max_connections: 8,
            slots_in_use: 1,
            slots_waited_for: 0,
        }
    }

    #[test]
    fn renders_cumulative_buckets_and_the_pool() {
        let metrics = Metrics::new();
        let route = "/v1/organizations/{org}";
        metrics.observe(&Method::GET, route, 200, Duration::from_millis(3));
        metrics.observe(&Method::GET, route, 404, Duration::from_millis(30));
        let text = metrics.render(state(), None);
        assert!(text.contains("roster_http_requests_total{method=\"GET\",route=\"/v1/organizations/{org}\",status=\"200\"} 1"), "{text}");
        let bucket = |le: &str| {
            format!("roster_http_request_duration_seconds_bucket{{le=\"{le}\",method=\"GET\",route=\"{route}\"}}")
        };
        assert!(text.contains(&format!("{} 1\n", bucket("0.005"))), "{text}");
        assert!(text.contains(&format!("{} 2\n", bucket("0.05"))), "{text}");
        assert!(text.contains("roster_db_pool_connections 4"), "{text}");
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn made_up_methods_share_one_series() {
        let metrics = Metrics::new();
        for method in ["FOO", "BAR", "PROPFIND"] {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            metrics.observe(&method, "unmatched", 404, Duration::from_millis(1));
        }
        let text = metrics.render(state(), None);
        assert!(
            text.contains(
                "roster_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} 3"
            ),
            "{text}"
        );
        assert!(!text.contains("FOO"), "{text}");
    }
}
