//! An actix-web extractor for Roster access tokens, so a handler in any
//! service can take `RosterClaims` as an argument and be reachable only with a
//! valid token.
//!
//! The extractor needs the keys in app data: `RemoteKeys` (feature `jwks-fetch`, which fetches
//! Roster's `/.well-known/jwks.json` and keeps it fresh), a [`SharedVerifier`], or a
//! [`TokenVerifier`] (each as `web::Data<…>` or plain).

use std::fmt;
use std::future::{ready, Future};
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

use crate::access_token::{AccessClaims, SharedVerifier, TokenVerifier};
use crate::error::AuthError;

/// The verified claims of the request's bearer token.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterClaims(pub AccessClaims);

impl Deref for RosterClaims {
    type Target = AccessClaims;

    fn deref(&self) -> &AccessClaims {
        &self.0
    }
}

/// Why [`RosterClaims`] refused a request. Every variant but `NotConfigured`
/// answers 401 with `WWW-Authenticate` and an RFC 9457 problem body.
#[derive(Debug)]
pub enum ClaimsRejection {
    /// No `Authorization` header.
    MissingToken,
    /// An `Authorization` header that is not `Bearer <token>`.
    NotBearer,
    /// A bearer token that failed verification (the reason is kept for logs).
    Rejected(AuthError),
    /// No `TokenVerifier` in app data: a setup bug, answered as 500.
    NotConfigured,
}

impl FromRequest for RosterClaims {
    type Error = ClaimsRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ClaimsRejection>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        #[cfg(feature = "jwks-fetch")]
        if let Some(keys) = remote_keys(req) {
            return Box::pin(extract_with_remote_keys(req, keys));
        }
        Box::pin(ready(extract(req)))
    }
}

#[cfg(feature = "jwks-fetch")]
fn remote_keys(req: &HttpRequest) -> Option<crate::RemoteKeys> {
    req.app_data::<web::Data<crate::RemoteKeys>>()
        .map(|data| data.get_ref().clone())
        .or_else(|| req.app_data::<crate::RemoteKeys>().cloned())
}

/// Verifies with the keys held; a token signed by a key not seen yet (Roster rotated) makes the
/// keys be fetched again first, on a blocking thread, unless they were a moment ago.
#[cfg(feature = "jwks-fetch")]
fn extract_with_remote_keys(
    req: &HttpRequest,
    keys: crate::RemoteKeys,
) -> impl Future<Output = Result<RosterClaims, ClaimsRejection>> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ClaimsRejection::MissingToken)
        .and_then(|value| bearer_token(value).ok_or(ClaimsRejection::NotBearer))
        .map(str::to_owned);
    async move {
        let token = token?;
        let verified = match keys.verify_known(&token) {
            Err(AuthError::UnknownKey(_)) if keys.would_refetch() => {
                web::block(move || keys.verify(&token))
                    .await
                    .map_err(|e| ClaimsRejection::Rejected(AuthError::Roster(e.to_string())))?
            }
            verified => verified,
        };
        verified
            .map(RosterClaims)
            .map_err(ClaimsRejection::Rejected)
    }
}

fn extract(req: &HttpRequest) -> Result<RosterClaims, ClaimsRejection> {
    let shared = req.app_data::<web::Data<SharedVerifier>>();
    let plain = req
        .app_data::<web::Data<TokenVerifier>>()
        .map(|data| data.get_ref())
        .or_else(|| req.app_data::<TokenVerifier>());
    if shared.is_none() && plain.is_none() {
        return Err(ClaimsRejection::NotConfigured);
    }
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ClaimsRejection::MissingToken)?;
    let token = bearer_token(value).ok_or(ClaimsRejection::NotBearer)?;
    let verified = match (shared, plain) {
        (Some(shared), _) => shared.verify(token),
        (None, Some(plain)) => plain.verify(token),
        (None, None) => return Err(ClaimsRejection::NotConfigured),
    };
    verified
        .map(RosterClaims)
        .map_err(ClaimsRejection::Rejected)
}

impl RosterClaims {
    /// 403 unless the token grants `permission` in its organization (see
    /// [`AccessClaims::grants`]): `claims.require("invoices:read")?` guards a handler.
    pub fn require(&self, permission: &str) -> Result<(), PermissionDenied> {
        if self.0.grants(permission) {
            Ok(())
        } else {
            Err(PermissionDenied(permission.to_owned()))
        }
    }
}

/// A valid token without the permission a route needs: 403 with an RFC 9457 problem body.
#[derive(Debug)]
pub struct PermissionDenied(pub String);

impl fmt::Display for PermissionDenied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this needs the {} permission in the token's organization",
            self.0
        )
    }
}

impl std::error::Error for PermissionDenied {}

impl ResponseError for PermissionDenied {
    fn status_code(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("application/problem+json")
            .json(json!({
                "type": "https://roster.dev/problems/forbidden",
                "title": "Forbidden",
                "status": 403,
                "detail": self.to_string(),
            }))
    }
}

/// The token of a `Bearer` credential (an `Authorization` header's value); the
/// scheme name is case-insensitive (RFC 9110 §11.1). `None` for anything else.
pub fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let value = value.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl ClaimsRejection {
    fn detail(&self) -> &'static str {
        match self {
            Self::MissingToken => "missing bearer token",
            Self::NotBearer => "the Authorization header is not a Bearer token",
            Self::Rejected(AuthError::ExpiredToken) => "the access token has expired",
            Self::Rejected(_) => "the access token is invalid",
            Self::NotConfigured => "token verifier is not configured",
        }
    }

    /// RFC 6750 §3: a bare challenge when no credentials were sent,
    /// `error="invalid_token"` when they were and failed.
    fn challenge(&self) -> &'static str {
        match self {
            Self::MissingToken => "Bearer",
            _ => "Bearer error=\"invalid_token\"",
        }
    }
}

impl fmt::Display for ClaimsRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(e) => write!(f, "{}: {e}", self.detail()),
            _ => f.write_str(self.detail()),
        }
    }
}

impl std::error::Error for ClaimsRejection {}

impl ResponseError for ClaimsRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let problem = match self {
            // 5xx details belong in logs, not responses.
            Self::NotConfigured => json!({
                "type": "about:blank",
                "title": "Internal Server Error",
                "status": 500,
            }),
            _ => json!({
                "type": "https://roster.dev/problems/unauthorized",
                "title": "Unauthorized",
                "status": 401,
                "detail": self.detail(),
            }),
        };
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if !matches!(self, Self::NotConfigured) {
            response.insert_header((header::WWW_AUTHENTICATE, self.challenge()));
        }
        response.body(problem.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::{test, web, App, HttpResponse};
    use serde_json::Value;
    use uuid::Uuid;

    use super::*;
    use crate::{SigningKeyPair, TokenIssuer};

    const ISS: &str = "https://roster.example";

    async fn whoami(claims: RosterClaims) -> HttpResponse {
        HttpResponse::Ok().body(claims.sub.to_string())
    }

    fn keys() -> (TokenIssuer, TokenVerifier) {
        let pair = SigningKeyPair::generate().unwrap();
        let issuer = TokenIssuer::new(&pair, ISS, Duration::from_secs(60)).unwrap();
        let verifier = TokenVerifier::new(ISS, [(pair.kid.clone(), pair.public_key)]).unwrap();
        (issuer, verifier)
    }

    async fn call(
        verifier: TokenVerifier,
        authorization: Option<&str>,
    ) -> (StatusCode, Option<String>, Option<String>, Vec<u8>) {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(verifier))
                .route("/whoami", web::get().to(whoami)),
        )
        .await;
        let mut req = test::TestRequest::get().uri("/whoami");
        if let Some(value) = authorization {
            req = req.insert_header((header::AUTHORIZATION, value));
        }
        let resp = test::call_service(&app, req.to_request()).await;
        let header = |name| {
            resp.headers()
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
        };
        let challenge = header(header::WWW_AUTHENTICATE);
        let content_type = header(header::CONTENT_TYPE);
        let status = resp.status();
        let body = test::read_body(resp).await.to_vec();
        (status, challenge, content_type, body)
    }

    async fn assert_unauthorized(verifier: TokenVerifier, authorization: Option<&str>) {
        let (status, challenge, content_type, body) = call(verifier, authorization).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert!(challenge.unwrap().starts_with("Bearer"));
        assert_eq!(content_type.as_deref(), Some("application/problem+json"));
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["type"], "https://roster.dev/problems/unauthorized");
        assert_eq!(body["title"], "Unauthorized");
        assert_eq!(body["status"], 401);
        assert!(body["detail"].is_string());
    }

    #[actix_web::test]
    async fn missing_token_gets_401_with_bare_challenge() {
        let (_, verifier) = keys();
        let (_, challenge, _, _) = call(verifier.clone(), None).await;
        assert_eq!(challenge.as_deref(), Some("Bearer"));
        assert_unauthorized(verifier, None).await;
    }

    #[actix_web::test]
    async fn bad_tokens_get_401() {
        let (_, verifier) = keys();
        let (other_issuer, _) = keys();
        let foreign = other_issuer.issue(Uuid::now_v7(), None).unwrap().token;
        for authorization in [
            "Bearer not-a-jwt".to_string(),
            "Bearer ".to_string(),
            "Basic dXNlcjpwYXNz".to_string(),
            format!("Bearer {foreign}"),
        ] {
            assert_unauthorized(verifier.clone(), Some(&authorization)).await;
        }
    }

    #[actix_web::test]
    async fn good_token_reaches_the_handler() {
        let (issuer, verifier) = keys();
        let user = Uuid::now_v7();
        let token = issuer.issue(user, None).unwrap().token;
        for scheme in ["Bearer", "bearer"] {
            let (status, _, _, body) =
                call(verifier.clone(), Some(&format!("{scheme} {token}"))).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, user.to_string().into_bytes());
        }
    }

    #[actix_web::test]
    async fn plain_verifier_in_app_data_works_too() {
        let (issuer, verifier) = keys();
        let token = issuer.issue(Uuid::now_v7(), None).unwrap().token;
        let app = test::init_service(
            App::new()
                .app_data(verifier)
                .route("/whoami", web::get().to(whoami)),
        )
        .await;
        let req = test::TestRequest::get()
            .uri("/whoami")
            .insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
            .to_request();
        assert_eq!(test::call_service(&app, req).await.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn missing_verifier_is_a_500_without_details() {
        let app = test::init_service(App::new().route("/whoami", web::get().to(whoami))).await;
        let req = test::TestRequest::get().uri("/whoami").to_request();
        let resp = test::call_service(&app, req).await;
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body: Value = serde_json::from_slice(&test::read_body(resp).await).unwrap();
        assert!(body.get("detail").is_none());
    }
}
