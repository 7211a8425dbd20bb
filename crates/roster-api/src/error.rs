//! Every error leaves the API as one RFC 9457 problem response, and this is the one place where
//! a `CoreError` becomes one.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use roster_core::{Conflict, CoreError, Forbidden, LimitKind};
use roster_domain::FieldError;
use serde::Serialize;

/// The problem body. `errors` lists the fields at fault; `error` and `error_description` carry
/// an OAuth2 error on the token endpoint so OAuth2 clients (Swagger UI among them) show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"type": "https://roster.dev/problems/not-found", "title": "Not found", "status": 404, "detail": "organization not found"}))]
pub struct Problem {
    /// A URI naming the kind of problem; one per kind, so clients can branch on it.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599, example = 404)]
    pub status: u16,
    /// What went wrong with this request, for people.
    pub detail: String,
    /// The fields at fault, when fields are.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors: Option<Vec<ProblemField>>,
    /// The OAuth2 error code (token endpoint only): `invalid_request`, `invalid_grant` or
    /// `unsupported_grant_type`.
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
    /// The field's path in the request, e.g. `name` or `members[2].email`.
    #[schema(example = "name")]
    pub field: String,
    /// What is wrong with it: `required`, `invalid_format`, `too_long`, `unknown_field`, …
    #[schema(example = "invalid_format")]
    pub code: String,
    /// The same, for people.
    #[schema(example = "may contain only lowercase letters, digits and hyphens")]
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
    #[error("{0}")]
    Unauthorized(String),
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
    /// Too many attempts (login throttling): retry after this many seconds.
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    /// A token-endpoint error as RFC 6749 §5.2 has it: 400 with an OAuth2 `error` code.
    #[error("{detail}")]
    OAuth {
        error: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// The database (or the password threads) cannot take the request now: retry shortly.
    #[error("{0}")]
    Unavailable(String),
    /// A refusal with a problem type of its own (a conflict or a refusal clients branch on:
    /// the last owner, a limit, an invitation's state).
    #[error("{detail}")]
    Typed {
        status: StatusCode,
        slug: &'static str,
        title: &'static str,
        detail: String,
    },
    /// A bug. The cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
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

    /// The same refusal as a token-endpoint `invalid_request` (RFC 6749 §5.2), keeping the
    /// fields at fault; other errors stay as they are.
    pub fn as_invalid_request(self) -> Self {
        match self {
            ApiError::Validation { errors, .. } => {
                let detail = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                ApiError::OAuth {
                    error: "invalid_request",
                    detail,
                    errors,
                }
            }
            ApiError::BadRequest(detail) => ApiError::OAuth {
                error: "invalid_request",
                detail,
                errors: Vec::new(),
            },
            other => other,
        }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Unauthorized"),
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
            ApiError::OAuth { error, .. } => match *error {
                "invalid_grant" => ("invalid-grant", "Invalid grant"),
                "unsupported_grant_type" => ("unsupported-grant-type", "Unsupported grant type"),
                _ => ("invalid-request", "Invalid request"),
            },
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Typed { slug, title, .. } => (slug, title),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        let fields = match self {
            ApiError::Validation { errors, .. } => Some(errors),
            ApiError::OAuth { errors, .. } if !errors.is_empty() => Some(errors),
            _ => None,
        };
        let error = match self {
            ApiError::OAuth { error, .. } => Some((*error).to_owned()),
            _ => None,
        };
        Problem {
            kind: format!("https://roster.dev/problems/{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            error_description: error.as_ref().map(|_| detail.clone()),
            detail,
            errors: fields.map(|errors| errors.iter().cloned().map(ProblemField::from).collect()),
            error,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::OAuth { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
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
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Typed { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            ApiError::Unavailable(why) => tracing::warn!("answered 503: {why}"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="roster""#));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            // The rest of the body may never come: the connection cannot be reused.
            ApiError::RequestTimeout(_) => {
                response.force_close();
            }
            // RFC 6749 §5.2: token responses, errors too, are never cached.
            ApiError::OAuth { .. } => {
                response.insert_header((header::CACHE_CONTROL, "no-store"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

/// The one mapping from what the core says to what HTTP says.
impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Unauthenticated(detail) => ApiError::Unauthorized(detail),
            CoreError::Forbidden(Forbidden::InvitationForSomeoneElse) => ApiError::Typed {
                status: StatusCode::FORBIDDEN,
                slug: "invitation-for-another-email",
                title: "Invitation for another email",
                detail: Forbidden::InvitationForSomeoneElse.to_string(),
            },
            CoreError::Forbidden(reason) => ApiError::Forbidden(reason.to_string()),
            CoreError::NotFound(what) => ApiError::not_found(what),
            CoreError::Gone(detail) => ApiError::Typed {
                status: StatusCode::GONE,
                slug: "invitation-expired",
                title: "Invitation expired",
                detail,
            },
            CoreError::Conflict(conflict) => conflict_problem(conflict),
            CoreError::Validation(errors) => ApiError::validation(errors),
            CoreError::BadRequest(detail) => ApiError::BadRequest(detail),
            CoreError::PreconditionFailed(detail) => ApiError::PreconditionFailed(detail),
            CoreError::InvalidGrant(detail) => ApiError::OAuth {
                error: "invalid_grant",
                detail,
                errors: Vec::new(),
            },
            CoreError::InvalidToken(detail) => ApiError::Typed {
                status: StatusCode::BAD_REQUEST,
                slug: "invalid-token",
                title: "Invalid token",
                detail,
            },
            CoreError::NotOrganizationMember(detail) => ApiError::Typed {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                slug: "not-an-organization-member",
                title: "Not an organization member",
                detail,
            },
            CoreError::TooManyAttempts {
                detail,
                retry_after,
            } => ApiError::TooManyRequests {
                detail,
                retry_after,
            },
            CoreError::Unavailable => {
                ApiError::Unavailable("the database is unavailable; retry shortly".into())
            }
            error @ (CoreError::Busy | CoreError::Overloaded) => {
                ApiError::Unavailable(error.to_string())
            }
            CoreError::Internal(cause) => ApiError::Internal(cause),
            CoreError::Admitted => {
                ApiError::Internal("an admission check's signal escaped Core::admits".into())
            }
        }
    }
}

/// Conflicts a client may want to tell apart get a problem type of their own; the rest share
/// `conflict`.
fn conflict_problem(conflict: Conflict) -> ApiError {
    let (slug, title) = match &conflict {
        Conflict::LastOwner | Conflict::LastOwnerOf(_) => ("last-owner", "Last owner"),
        Conflict::LimitReached(limit) => match limit.kind {
            LimitKind::Members => ("max-members-reached", "Member limit reached"),
            LimitKind::ApiKeys => ("max-api-keys-reached", "API key limit reached"),
            LimitKind::Invitations => ("max-invitations-reached", "Invitation limit reached"),
            LimitKind::Teams => ("max-teams-reached", "Team limit reached"),
            LimitKind::Projects => ("max-projects-reached", "Project limit reached"),
        },
        Conflict::AlreadyMember => ("already-member", "Already a member"),
        Conflict::InvitationAccepted => ("invitation-accepted", "Invitation already accepted"),
        Conflict::InvitationRevoked => ("invitation-revoked", "Invitation revoked"),
        Conflict::InvitationDeclined => ("invitation-declined", "Invitation declined"),
        Conflict::RoleInUse => ("role-in-use", "Role in use"),
        Conflict::BuiltinRole => ("builtin-role", "Built-in role"),
        Conflict::PersonalOrganization => ("personal-organization", "Personal organization"),
        _ => return ApiError::Conflict(conflict.to_string()),
    };
    ApiError::Typed {
        status: StatusCode::CONFLICT,
        slug,
        title,
        detail: conflict.to_string(),
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        ApiError::field(error)
    }
}
