//! Sends one message, boundedly: at most [`ATTEMPT_TIMEOUT`] from the first DNS lookup to the
//! last byte read, no redirect followed, at most [`MAX_RESPONSE_BODY`] of the answer read, and
//! every address checked against the [`TargetPolicy`] after DNS, at connect time.

use std::io::Read;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::TargetPolicy;

/// How long one attempt may take in all.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// How much of a receiver's answer is read (and then dropped): enough to finish a small
/// response cleanly, never a flood.
const MAX_RESPONSE_BODY: u64 = 64 * 1024;

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The receiver's status code, when it answered.
    pub status: Option<u16>,
    /// Why the attempt failed (`None`: a 2xx answer).
    pub error: Option<AttemptError>,
    pub duration: Duration,
}

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Why an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptError {
    /// No complete answer within the time allowed.
    Timeout,
    /// The connection could not be made, or broke.
    Connection,
    /// The name did not resolve.
    Dns,
    /// The host resolved to an address messages may not go to.
    ForbiddenAddress,
    /// A 3xx answer: redirects are not followed.
    Redirect,
    /// Another answer than 2xx or 3xx.
    Status,
    /// The TLS handshake failed (certificate or protocol).
    Tls,
    /// The answer was not HTTP.
    InvalidResponse,
}

impl AttemptError {
    /// The word the API shows.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptError::Timeout => "timeout",
            AttemptError::Connection => "connection",
            AttemptError::Dns => "dns",
            AttemptError::ForbiddenAddress => "forbidden_address",
            AttemptError::Redirect => "redirect",
            AttemptError::Status => "status",
            AttemptError::Tls => "tls",
            AttemptError::InvalidResponse => "invalid_response",
        }
    }
}

/// Sends messages; one per process is enough (it keeps connections to receivers alive).
#[derive(Clone)]
pub struct Sender {
    agent: ureq::Agent,
}

/// The resolver every connection goes through: DNS, then the policy on each address.
struct GuardedResolver {
    policy: TargetPolicy,
}

impl ureq::Resolver for GuardedResolver {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let resolved: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        let allowed: Vec<SocketAddr> = resolved
            .iter()
            .copied()
            .filter(|a| self.policy.check_address(a.ip()).is_ok())
            .collect();
        if allowed.is_empty() && !resolved.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                ForbiddenAddress,
            ));
        }
        Ok(allowed)
    }
}

/// The marker an address refusal carries through ureq's error.
#[derive(Debug)]
struct ForbiddenAddress;

impl std::fmt::Display for ForbiddenAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the host resolved to a non-public address")
    }
}

impl std::error::Error for ForbiddenAddress {}

impl Sender {
    pub fn new(policy: TargetPolicy) -> Result<Sender, native_tls::Error> {
        Self::with_timeout(policy, ATTEMPT_TIMEOUT)
    }

    /// A sender whose attempts end after `timeout` (tests use a short one).
    pub fn with_timeout(
        policy: TargetPolicy,
        timeout: Duration,
    ) -> Result<Sender, native_tls::Error> {
        let tls = native_tls::TlsConnector::new()?;
        let agent = ureq::AgentBuilder::new()
            .resolver(GuardedResolver { policy })
            .tls_connector(Arc::new(tls))
            .timeout(timeout)
            .redirects(0)
            .https_only(!policy.allow_private)
            .user_agent(concat!("Roster-Webhooks/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections_per_host(4)
            .build();
        Ok(Sender { agent })
    }

    /// POSTs `body` to `url` with `headers`; never fails, reports how it went.
    pub fn send(&self, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Attempt {
        let started = Instant::now();
        let mut request = self.agent.post(url);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let (status, error) = match request.send_bytes(body) {
            Ok(response) => {
                let status = response.status();
                drain(response);
                (Some(status), judge(status))
            }
            Err(ureq::Error::Status(status, response)) => {
                drain(response);
                (Some(status), judge(status))
            }
            Err(ureq::Error::Transport(transport)) => (None, Some(classify(&transport))),
        };
        Attempt {
            status,
            error,
            duration: started.elapsed(),
        }
    }
}

/// Reads a little of the answer (so a small one leaves the connection reusable) and drops the
/// rest unread.
fn drain(response: ureq::Response) {
    let mut sink = Vec::new();
    let _ = response
        .into_reader()
        .take(MAX_RESPONSE_BODY)
        .read_to_end(&mut sink);
}

fn judge(status: u16) -> Option<AttemptError> {
    match status {
        200..=299 => None,
        300..=399 => Some(AttemptError::Redirect),
        _ => Some(AttemptError::Status),
    }
}

fn classify(transport: &ureq::Transport) -> AttemptError {
    use std::error::Error;
    let mut source = transport.source();
    while let Some(cause) = source {
        if cause.is::<ForbiddenAddress>() {
            return AttemptError::ForbiddenAddress;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return AttemptError::Timeout;
            }
            if io
                .get_ref()
                .is_some_and(|inner| inner.is::<ForbiddenAddress>())
            {
                return AttemptError::ForbiddenAddress;
            }
        }
        if cause.is::<native_tls::Error>() {
            return AttemptError::Tls;
        }
        source = cause.source();
    }
    match transport.kind() {
        ureq::ErrorKind::Dns => AttemptError::Dns,
        ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => AttemptError::InvalidResponse,
        _ => AttemptError::Connection,
    }
}
