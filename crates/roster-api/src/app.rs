//! Builds the server: database, migrations, keys, the first admin, then the HTTP app.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use roster_store::{redact_url, run_migrations, Db, PoolOptions, StoreError};

use crate::bootstrap::ensure_admin;
use crate::config::ServeArgs;
use crate::error::ApiError;
use crate::keys::KeyStore;
use crate::state::AppState;
use crate::{request_observer, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Api(String),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

impl From<ApiError> for StartupError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Internal(cause) => StartupError::Api(cause),
            other => StartupError::Api(other.to_string()),
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

/// Opens the database and applies pending migrations (used by `serve` and `migrate`).
pub fn open_database(url: &str, pool_size: u32) -> Result<Db, StoreError> {
    let options = PoolOptions {
        max_size: pool_size,
        ..PoolOptions::default()
    };
    let db = Db::new(url, &options)?;
    let applied = run_migrations(&db)?;
    for version in &applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(db)
}

impl Application {
    pub fn build(args: ServeArgs) -> Result<Application, StartupError> {
        let (url, is_default) = args.database.resolved_url();
        if is_default {
            tracing::info!("no database URL given: using SQLite in ./roster.db (set ROSTER_DATABASE_URL for Postgres)");
        }
        tracing::info!(database = %redact_url(&url), "opening database");
        let db = open_database(&url, args.database.db_pool_size)?;
        let keys = KeyStore::load_or_create(&db, args.key_settings())?;
        if let (Some(email), Some(password)) = (&args.admin_email, &args.admin_password) {
            // A refusal (the address belongs to someone else) must not keep the service down.
            if let Err(error) = ensure_admin(&db, email, password) {
                tracing::error!(error = %error, "ROSTER_ADMIN_EMAIL: no platform admin was created");
            }
        }
        let state = AppState::new(db, keys, args.policies(), args.database.db_pool_size)
            .map_err(|e| StartupError::Api(format!("cannot start the password threads: {e}")))?;

        let listener = bind(&args.listen)?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        refresh_keys_periodically(state.clone());
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
                source,
            })?
            .run();
        let management = match &args.management_listen {
            Some(address) => Some(management_server(address, data)?),
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

/// Looks at the signing keys every refresh interval: rotations made elsewhere start signing
/// here, and keys no live token can need are retired.
fn refresh_keys_periodically(state: AppState) {
    let every = state.keys.refresh_interval();
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            let keys = state.keys.clone();
            if let Err(error) = state.run(move |db| keys.refresh(db)).await {
                tracing::warn!(%error, "could not refresh the signing keys");
            }
        }
    });
}

fn bind(address: &str) -> Result<TcpListener, StartupError> {
    TcpListener::bind(address).map_err(|source| StartupError::Listen {
        address: address.to_owned(),
        source,
    })
}

/// The management listener: `/metrics`, `/healthz` and `/readyz`, for operators and their
/// scrapers, on an address of its own that the public never reaches. One worker is plenty.
fn management_server(
    address: &str,
    data: web::Data<AppState>,
) -> Result<(Server, u16), StartupError> {
    let listener = bind(address)?;
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
        source,
    })?
    .run();
    Ok((server, port))
}
