//! Every error leaves the API as one RFC 9457 problem response.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use roster_domain::{DomainError, FieldError};
use roster_store::StoreError;
use serde::Serialize;

/// The problem body. `errors` lists the fields at fault; `error` and `error_description` carry
/// an OAuth2 error on the token endpoint so OAuth2 clients (Swagger UI among them) show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"type": "https://roster.dev/problems/not-found", "title": "Not found", "status": 404, "detail": "organization not found"}))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors: Option<Vec<ProblemField>>,
    /// The OAuth2 error code (token endpoint only), e.g. `invalid_grant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error: Option<String>,
    /// The OAuth2 error's explanation (token endpoint only): the same as `detail`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_description: Option<String>,
}

/// One field at fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    #[schema(example = "name")]
    pub field: String,
    #[schema(example = "invalid_format")]
    pub code: String,
    pub message: String,
}

impl From<FieldError> for ProblemField {
    fn from(error: FieldError) -> Self {
        ProblemField {
            field: error.field,
            code: error.code.to_owned(),
            message: error.message,
        }
    }
}

/// Why a request failed, one variant per status a client can see.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{detail}")]
    Unauthorized {
        detail: String,
        oauth_error: Option<&'static str>,
    },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("the request body did not arrive within {0} seconds")]
    RequestTimeout(u64),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// More password work is waiting than the server will queue: 503, retry shortly.
    #[error("too many sign-ins at once; retry shortly")]
    Overloaded,
    /// Too many attempts (login throttling): retry after this many seconds.
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    #[error("the database is unavailable; retry shortly")]
    Unavailable,
    /// The database kept aborting this request's transaction for conflicts with others (after
    /// retrying it): answered 503, for the client to retry shortly.
    #[error("conflicting writes kept the database busy; retry shortly")]
    Busy,
    /// A bug. The cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            detail: detail.into(),
            oauth_error: None,
        }
    }

    /// A failed grant at the token endpoint (OAuth2 `invalid_grant`).
    pub fn invalid_grant(detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            detail: detail.into(),
            oauth_error: Some("invalid_grant"),
        }
    }

    pub fn field(error: FieldError) -> Self {
        ApiError::validation(vec![error])
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        ApiError::Validation {
            detail: "the request has invalid fields".into(),
            errors,
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized { .. } => ("unauthorized", "Unauthorized"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            ApiError::RequestTimeout(_) => ("request-timeout", "Request timeout"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            ApiError::Validation { .. } => ("validation", "Validation failed"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable | ApiError::Busy | ApiError::Overloaded => {
                ("unavailable", "Service unavailable")
            }
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation { errors, .. } => {
                Some(errors.iter().cloned().map(ProblemField::from).collect())
            }
            _ => None,
        };
        let error = match self {
            ApiError::Unauthorized { oauth_error, .. } => oauth_error.map(str::to_owned),
            ApiError::Validation { .. } => None,
            _ => None,
        };
        let error_description = error.as_ref().map(|_| detail.clone());
        Problem {
            kind: format!("https://roster.dev/problems/{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            error,
            error_description,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable | ApiError::Busy | ApiError::Overloaded => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            ApiError::Unavailable => tracing::warn!("answered 503: database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized { .. } => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="roster""#));
            }
            ApiError::Unavailable | ApiError::Busy | ApiError::Overloaded => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            // The rest of the body may never come: the connection cannot be reused.
            ApiError::RequestTimeout(_) => {
                response.force_close();
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound("not found".into()),
            StoreError::Unavailable(cause) => {
                tracing::warn!(cause = %cause, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Transient(cause) => {
                tracing::warn!(cause = %cause, "transaction kept conflicting with others");
                ApiError::Busy
            }
            StoreError::Conflict => {
                ApiError::Conflict("the resource was modified concurrently; retry".into())
            }
            // A value the database refuses as text (a NUL byte on Postgres) came from the client.
            StoreError::InvalidInput(_) => {
                ApiError::BadRequest("a value in the request cannot be stored as text".into())
            }
            // Handlers map the unique constraints they expect; reaching here is a bug.
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl roster_store::TransactionError for ApiError {
    fn is_transient(&self) -> bool {
        matches!(self, ApiError::Busy)
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Validation(errors) => ApiError::validation(errors),
            DomainError::Conflict(detail) => ApiError::Conflict(detail),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        ApiError::field(error)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task failed: {error}"))
    }
}
