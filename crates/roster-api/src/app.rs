//! Builds the server: database, migrations, keys, the first admin, then the HTTP app.

use std::net::TcpListener;
use std::sync::Arc;

use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use roster_core::background::Background;
use roster_core::redact_url;
use roster_core::users::EnsureAdmin;
use roster_core::{open_database, Core, CoreError, Principal, RequestMeta};
use roster_domain::{Email, Password};

use crate::config::ServeArgs;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::{request_observer, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Core(String),
    /// A setting that cannot work (an SMTP URL, a mail template…).
    #[error("{0}")]
    Settings(String),
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
    background: Background,
    shutdown_timeout: Duration,
}

impl Application {
    pub fn build(args: ServeArgs) -> Result<Application, StartupError> {
        // Ports first: a port taken is found in a moment, not after the migrations.
        let listener = bind(&args.listen, API_LISTENER)?;
        let management_listener = match &args.management_listen {
            Some(address) => Some((bind(address, MANAGEMENT_LISTENER)?, address.as_str())),
            None => None,
        };
        // Settings next: a mistyped SMTP URL or a broken template stops the start at once.
        let settings = args.settings().map_err(StartupError::Settings)?;
        let (url, is_default) = args.database.resolved_url();
        if is_default {
            tracing::info!("no database URL given: using SQLite in ./roster.db (set ROSTER_DATABASE_URL for Postgres)");
        }
        tracing::info!(database = %redact_url(&url), "opening database");
        let db = open_database(&url, args.database.db_pool_size)?;
        let core = Core::start(db, args.key_settings(), settings)?;
        announce_mail(&core.settings().mail);
        if let (Some(email), Some(password)) = (&args.admin_email, &args.admin_password) {
            // A refusal (the address belongs to someone else) must not keep the service down.
            if let Err(error) = ensure_admin(&core, email, password) {
                let error = describe_admin_error(&error, AdminFlags::SERVE);
                tracing::error!(%error, "no platform admin was created");
            }
        }
        let metrics = Arc::new(Metrics::new());
        core.observe_with(metrics.clone());
        metrics.watch_read_cache(core.cache_stats_source());
        let state = AppState {
            core,
            trusted_proxies: args.trusted_proxies.clone(),
            body_read_timeout: std::time::Duration::from_secs(args.body_read_timeout),
            metrics,
        };

        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let background =
            Background::start(&state.core, Duration::from_secs(args.expiry_sweep_interval))?;
        let shutdown_timeout = Duration::from_secs(args.shutdown_timeout);
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
        // Signals are handled in `run_until_stopped`, which stops the background work too.
        let server = server
            .disable_signals()
            .shutdown_timeout(args.shutdown_timeout)
            .listen(listener)
            .map_err(|source| StartupError::Listen {
                address: args.listen.clone(),
                listener: API_LISTENER,
                source,
            })?
            .run();
        let management = match management_listener {
            Some((listener, address)) => Some(management_server(
                listener,
                address,
                data,
                args.shutdown_timeout,
            )?),
            None => None,
        };
        Ok(Application {
            server,
            port,
            management,
            background,
            shutdown_timeout,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The management listener's port, when there is one.
    pub fn management_port(&self) -> Option<u16> {
        self.management.as_ref().map(|(_, port)| *port)
    }

    /// Serves until the process is told to stop (SIGTERM or SIGINT). Then it takes no new
    /// requests and no new background work, finishes what is in flight within the shutdown
    /// timeout, gives back its claims, and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handles: Vec<ServerHandle> = std::iter::once(self.server.handle())
            .chain(self.management.as_ref().map(|(m, _)| m.handle()))
            .collect();
        let servers = async move {
            match self.management {
                Some((management, _)) => {
                    let (api, management) =
                        futures_util::future::join(self.server, management).await;
                    api.and(management)
                }
                None => self.server.await,
            }
        };
        let (background, timeout) = (self.background, self.shutdown_timeout);
        let shutdown = async move {
            stop_signal().await;
            tracing::info!(
                timeout_seconds = timeout.as_secs(),
                "shutting down: finishing requests and background work in flight"
            );
            let stop_servers = futures_util::future::join_all(handles.iter().map(|h| h.stop(true)));
            futures_util::future::join(stop_servers, background.stop(timeout)).await;
        };
        let (served, ()) = futures_util::future::join(servers, shutdown).await;
        tracing::info!("stopped");
        served
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
    shutdown_timeout: u64,
) -> Result<(Server, u16), StartupError> {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(routes::configure_management)
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(shutdown_timeout)
    .listen(listener)
    .map_err(|source| StartupError::Listen {
        address: address.to_owned(),
        listener: MANAGEMENT_LISTENER,
        source,
    })?
    .run();
    Ok((server, port))
}

/// Resolves at SIGTERM or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use actix_web::rt::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = actix_web::rt::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = actix_web::rt::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = actix_web::rt::signal::ctrl_c().await;
    }
}

/// Says at start where messages go; loudly when they go nowhere but the log.
fn announce_mail(mail: &roster_core::mail::MailSettings) {
    if mail.transport.delivers() {
        tracing::info!(
            transport = %mail.transport.describe(),
            app_url = %mail.app_url,
            templates = mail.templates.folder().unwrap_or("built-in"),
            "mail is sent by SMTP"
        );
    } else {
        tracing::warn!(
            app_url = %mail.app_url,
            "NO SMTP SERVER IS CONFIGURED (ROSTER_SMTP_URL): invitations, verification and password-reset messages are NOT sent; each is written to this log instead, links included"
        );
    }
}
