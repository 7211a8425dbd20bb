//! `Caller`: who is calling, from `Authorization: Bearer <access token>` (or `X-Api-Key`).
//!
//! The token proves identity; everything else (is the user still active, still an admin) is
//! read live from the database on every request, so disabling a user takes effect at once.

use actix_web::dev::Payload;
use actix_web::{http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use roster_auth::{looks_like_api_key, AuthError, API_KEY_PREFIX};
use roster_store::{users, DbConn, DbId};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// A verified access token, before the database has been asked about its user. Handlers that
/// want a single database round trip take this and load the user with [`Authenticated::load`]
/// (or inside a combined query) in their own transaction.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated {
    pub user_id: Uuid,
    /// The sign-in session (refresh-token family) the token belongs to; every access token
    /// Roster issues has one, and it must still be live.
    pub session_id: Option<Uuid>,
    /// The organization the token is scoped to, if it was issued with `organization`.
    pub org_id: Option<Uuid>,
}

impl Authenticated {
    /// The caller, if its user still exists and is active and its session is still live.
    pub fn caller(
        &self,
        user: Option<&users::UserRow>,
        session_live: bool,
    ) -> Result<Caller, ApiError> {
        match user {
            Some(_) if self.session_id.is_some() && !session_live => {
                Err(ApiError::unauthorized("this session has been signed out"))
            }
            Some(user) if user.state == users::ACTIVE => Ok(Caller {
                user_id: self.user_id,
                is_admin: user.is_admin,
                session_id: self.session_id,
                org_scope: self.org_id,
            }),
            Some(_) => Err(ApiError::unauthorized("this user is disabled")),
            None => Err(ApiError::unauthorized("this user no longer exists")),
        }
    }

    /// Loads the user, checks it is active and that the token's session is live: one query.
    pub fn load(&self, conn: &mut DbConn) -> Result<Caller, ApiError> {
        let (user, live) = match self.session_id {
            Some(session) => {
                match users::find_with_session(conn, DbId(self.user_id), DbId(session))? {
                    Some((user, live)) => (Some(user), live),
                    None => (None, false),
                }
            }
            None => (users::find(conn, DbId(self.user_id))?, true),
        };
        self.caller(user.as_ref(), live)
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let credential = credential(req);
        let state = app_state(req);
        Box::pin(async move {
            match credential? {
                Some(token) => verify(&*state?, token).await,
                None => Err(ApiError::unauthorized("this endpoint needs a bearer token")),
            }
        })
    }
}

/// An authenticated, active user.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: Uuid,
    pub is_admin: bool,
    /// The sign-in session (refresh-token family) the token belongs to.
    pub session_id: Option<Uuid>,
    /// The organization the token is scoped to: it acts in that organization only.
    pub org_scope: Option<Uuid>,
}

impl Caller {
    pub fn db_id(&self) -> DbId {
        DbId(self.user_id)
    }

    /// Account-wide actions (profile, password, creating organizations, user management) need a
    /// token that is not scoped to one organization.
    pub fn require_unscoped(&self) -> Result<(), ApiError> {
        match self.org_scope {
            None => Ok(()),
            Some(_) => Err(ApiError::Forbidden(
                "this access token is scoped to one organization; use a token issued without `organization`".into(),
            )),
        }
    }

    /// Platform admins pass; everyone else gets 403.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden("this requires a platform admin".into()))
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let authenticated = Authenticated::from_request(req, payload);
        let state = app_state(req);
        Box::pin(async move {
            let auth = authenticated.await?;
            state?.run(move |db| db.read(|conn| auth.load(conn))).await
        })
    }
}

/// A caller who may or may not have signed in; a credential that is present must be valid.
pub struct OptionalCaller(pub Option<Caller>);

impl FromRequest for OptionalCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = !matches!(credential(req), Ok(None));
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            if signed_in {
                caller.await.map(|c| OptionalCaller(Some(c)))
            } else {
                Ok(OptionalCaller(None))
            }
        })
    }
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("AppState missing".into()))
}

/// The presented credential, if any: a bearer token, or an `X-Api-Key`.
pub(crate) fn credential(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
        let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(ApiError::unauthorized("use Authorization: Bearer <token>"));
        }
        return Ok(Some(token.trim().to_owned()));
    }
    if let Some(value) = req.headers().get("x-api-key") {
        let key = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("the X-Api-Key header is not valid text"))?
            .trim();
        // X-Api-Key carries API keys only: an access token there is refused, not verified.
        if !key.starts_with(API_KEY_PREFIX) {
            return Err(ApiError::unauthorized(
                "X-Api-Key takes an API key (rst_…); send access tokens as Authorization: Bearer",
            ));
        }
        return Ok(Some(key.to_owned()));
    }
    Ok(None)
}

/// Verifies the credential itself (no database, unless the signing keys need a reload).
pub(crate) async fn verify(state: &AppState, token: String) -> Result<Authenticated, ApiError> {
    if token.starts_with(API_KEY_PREFIX) {
        // No API key has been issued by this version of Roster, so none can be valid.
        let detail = if looks_like_api_key(&token) {
            "unknown API key"
        } else {
            "malformed API key"
        };
        return Err(ApiError::unauthorized(detail));
    }
    let claims = match state.keys.verify(&token) {
        Ok(claims) => claims,
        Err(AuthError::ExpiredToken) => {
            return Err(ApiError::unauthorized("the access token has expired"))
        }
        Err(AuthError::UnknownKey(_)) if state.keys.claim_reload() => {
            // Perhaps another instance created a key we haven't loaded yet.
            let keys = state.keys.clone();
            state.run(move |db| keys.reload(db)).await?;
            state.keys.verify(&token).map_err(reject)?
        }
        Err(error) => return Err(reject(error)),
    };
    if claims.sid.is_none() {
        return Err(ApiError::unauthorized(
            "the access token belongs to no session",
        ));
    }
    Ok(Authenticated {
        user_id: claims.sub,
        session_id: claims.sid,
        org_id: claims.org_id,
    })
}

fn reject(error: AuthError) -> ApiError {
    match error {
        AuthError::ExpiredToken => ApiError::unauthorized("the access token has expired"),
        _ => ApiError::unauthorized("the access token is invalid"),
    }
}
