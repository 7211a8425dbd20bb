//! Builds the server: database, migrations, keys, the first admin, then the HTTP app.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use roster_core::members::{FindExpiredMemberships, RemoveExpiredMemberships};
use roster_core::users::EnsureAdmin;
use roster_core::{open_database, Core, CoreError, Principal, RequestMeta};
use roster_domain::{Email, Password};
use roster_store::redact_url;

use crate::config::ServeArgs;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::{request_observer, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Core(String),
    #[error(
        "cannot listen on {address} (the {listener}): {}",
        why_not_listening(source)
    )]
    Listen {
        address: String,
        /// Which listener, and the flag that sets its address.
        listener: &'static str,
        source: std::io::Error,
    },
}

const API_LISTENER: &str = "API listener, --listen or ROSTER_LISTEN";
const MANAGEMENT_LISTENER: &str =
    "management listener, --management-listen or ROSTER_MANAGEMENT_LISTEN";

/// The system's words, with what to do about the usual cases.
fn why_not_listening(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            "address already in use: another process listens on this port; stop it or choose another port".into()
        }
        std::io::ErrorKind::AddrNotAvailable => {
            "no network interface of this machine has that address".into()
        }
        std::io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges)".into()
        }
        _ => error.to_string(),
    }
}

impl From<CoreError> for StartupError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Internal(cause) => StartupError::Core(cause),
            other => StartupError::Core(other.to_string()),
        }
    }
}

/// A built server, bound to its ports, not yet running: the API, and the management listener
/// (metrics and health) when one was asked for.
pub struct Application {
    server: Server,
    port: u16,
    management: Option<(Server, u16)>,
}

impl Application {
    pub fn build(args: ServeArgs) -> Result<Application, StartupError> {
        // Ports first: a port taken is found in a moment, not after the migrations.
        let listener = bind(&args.listen, API_LISTENER)?;
        let management_listener = match &args.management_listen {
            Some(address) => Some((bind(address, MANAGEMENT_LISTENER)?, address.as_str())),
            None => None,
        };
        let (url, is_default) = args.database.resolved_url();
        if is_default {
            tracing::info!("no database URL given: using SQLite in ./roster.db (set ROSTER_DATABASE_URL for Postgres)");
        }
        tracing::info!(database = %redact_url(&url), "opening database");
        let db = open_database(&url, args.database.db_pool_size)?;
        let core = Core::start(db, args.key_settings(), args.settings())?;
        if let (Some(email), Some(password)) = (&args.admin_email, &args.admin_password) {
            // A refusal (the address belongs to someone else) must not keep the service down.
            if let Err(error) = ensure_admin(&core, email, password) {
                let error = describe_admin_error(&error, AdminFlags::SERVE);
                tracing::error!(%error, "no platform admin was created");
            }
        }
        let metrics = Arc::new(Metrics::new());
        core.observe_with(metrics.clone());
        let state = AppState {
            core,
            trusted_proxies: args.trusted_proxies.clone(),
            body_read_timeout: std::time::Duration::from_secs(args.body_read_timeout),
            metrics,
        };

        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        refresh_keys_periodically(state.core.clone());
        remove_expired_memberships_periodically(
            state.core.clone(),
            std::time::Duration::from_secs(args.expiry_sweep_interval),
        );
        let data = web::Data::new(state);
        let api_data = data.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(api_data.clone())
                .wrap(Compress::default())
                .wrap(from_fn(request_observer::middleware))
                .configure(routes::configure)
        });
        if let Some(workers) = args.workers {
            server = server.workers(workers);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Listen {
                address: args.listen.clone(),
                listener: API_LISTENER,
                source,
            })?
            .run();
        let management = match management_listener {
            Some((listener, address)) => Some(management_server(listener, address, data)?),
            None => None,
        };
        Ok(Application {
            server,
            port,
            management,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The management listener's port, when there is one.
    pub fn management_port(&self) -> Option<u16> {
        self.management.as_ref().map(|(_, port)| *port)
    }

    /// Serves until the process is told to stop (SIGINT/SIGTERM); both listeners stop together.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.management {
            Some((management, _)) => {
                let (api, management) = futures_util::future::join(self.server, management).await;
                api.and(management)
            }
            None => self.server.await,
        }
    }
}

/// Creates the platform admin named at start-up (or makes the account one): the operator's
/// doing, through the core like everything else.
pub fn ensure_admin(
    core: &Core,
    email: &str,
    password: &str,
) -> Result<roster_core::users::AdminOutcome, CoreError> {
    let op = admin_from_flags(email, password)?;
    let outcome = core.execute_blocking(&Principal::Operator, &RequestMeta::default(), op)?;
    tracing::info!(email = %email, outcome = ?outcome, "platform admin present");
    Ok(outcome)
}

/// The platform admin that `email` and `password` name; both are judged at once, so that one
/// run reports everything that is wrong.
pub fn admin_from_flags(email: &str, password: &str) -> Result<EnsureAdmin, CoreError> {
    match (Email::parse(email), Password::parse(password.to_owned())) {
        (Ok(email), Ok(password)) => Ok(EnsureAdmin { email, password }),
        (email, password) => Err(CoreError::Validation(
            [email.err(), password.err()]
                .into_iter()
                .flatten()
                .collect(),
        )),
    }
}

/// The flags (and environment variables) that name a platform admin's email and password.
pub struct AdminFlags {
    pub email: &'static str,
    pub password: &'static str,
}

impl AdminFlags {
    /// `roster serve`'s.
    pub const SERVE: AdminFlags = AdminFlags {
        email: "--admin-email (ROSTER_ADMIN_EMAIL)",
        password: "--admin-password (ROSTER_ADMIN_PASSWORD)",
    };
    /// `roster admin create`'s.
    pub const ADMIN_CREATE: AdminFlags = AdminFlags {
        email: "--email (ROSTER_ADMIN_EMAIL)",
        password: "--password (ROSTER_ADMIN_PASSWORD)",
    };
}

/// Why [`ensure_admin`] refused, naming the flag of each invalid field.
pub fn describe_admin_error(error: &CoreError, flags: AdminFlags) -> String {
    match error {
        CoreError::Validation(fields) => fields
            .iter()
            .map(|field| {
                let flag = match field.field.as_str() {
                    "email" => flags.email,
                    "password" => flags.password,
                    other => other,
                };
                format!("invalid {flag}: {}", field.message)
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Looks at the signing keys every refresh interval: rotations made elsewhere start signing
/// here, and keys no live token can need are retired.
fn refresh_keys_periodically(core: Core) {
    let Ok(keys) = core.keys() else {
        return;
    };
    let every = keys.refresh_interval();
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            if let Err(error) = core.refresh_keys().await {
                tracing::warn!(%error, "could not refresh the signing keys");
            }
        }
    });
}

/// Removes memberships past their expiry, with their events, every `every`. Memberships grant
/// nothing once expired whether or not this has run; several instances may run it at once
/// (each organization is swept under its lock, and a second sweep finds nothing).
fn remove_expired_memberships_periodically(core: Core, every: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            if let Err(error) = remove_expired_memberships(&core).await {
                tracing::warn!(%error, "could not remove expired memberships");
            }
        }
    });
}

async fn remove_expired_memberships(core: &Core) -> Result<(), roster_core::CoreError> {
    let (operator, request) = (Principal::Operator, RequestMeta::default());
    loop {
        let due = core
            .execute(&operator, &request, FindExpiredMemberships { limit: 500 })
            .await?;
        let mut removed_in_round = 0;
        for organization in due {
            let removed = core
                .execute(
                    &operator,
                    &request,
                    RemoveExpiredMemberships { organization },
                )
                .await?;
            tracing::info!(%organization, removed, "removed expired memberships");
            removed_in_round += removed;
        }
        // Nothing left, or nothing that could go (never spin on it).
        if removed_in_round == 0 {
            return Ok(());
        }
    }
}

fn bind(address: &str, listener: &'static str) -> Result<TcpListener, StartupError> {
    TcpListener::bind(address).map_err(|source| StartupError::Listen {
        address: address.to_owned(),
        listener,
        source,
    })
}

/// The management listener: `/metrics`, `/healthz` and `/readyz`, for operators and their
/// scrapers, on an address of its own that the public never reaches. One worker is plenty.
fn management_server(
    listener: TcpListener,
    address: &str,
    data: web::Data<AppState>,
) -> Result<(Server, u16), StartupError> {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(routes::configure_management)
    })
    .workers(1)
    .listen(listener)
    .map_err(|source| StartupError::Listen {
        address: address.to_owned(),
        listener: MANAGEMENT_LISTENER,
        source,
    })?
    .run();
    Ok((server, port))
}
