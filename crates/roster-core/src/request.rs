//! Where a request came from, for the audit log.

/// What the transport knows about the request behind an operation. Events carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// The `X-Request-Id` of the HTTP request, or none (a command-line operation).
    pub request_id: Option<String>,
    /// The client's address (the peer, or `X-Forwarded-For` behind a trusted proxy).
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}
