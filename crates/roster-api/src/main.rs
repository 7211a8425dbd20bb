//! `roster`: serve the API, migrate the database, print the OpenAPI document, create an admin.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use roster_api::config::{DatabaseArgs, LogArgs};
use roster_api::{
    ensure_admin, open_database, openapi, telemetry, AdminOutcome, Application, ServeArgs,
};
use roster_store::redact_url;

#[derive(Parser)]
#[command(
    name = "roster",
    version,
    about = "Roster: organizations, users and memberships for multi-tenant applications"
)]
struct Cli {
    #[command(flatten)]
    log: LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API (applies pending migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Manage platform admins.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform admin, or make an existing user one.
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The admin's email.
        #[arg(long, env = "ROSTER_ADMIN_EMAIL")]
        email: String,
        /// The admin's password (at least 8 characters).
        #[arg(long, env = "ROSTER_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log);
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Migrate(database) => migrate(&database),
        Command::Openapi => print_openapi(),
        Command::Admin(AdminCommand::Create {
            database,
            email,
            password,
        }) => admin_create(&database, &email, &password),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("roster: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let listen = args.listen.clone();
        let management_listen = args.management_listen.clone();
        let app = Application::build(args).map_err(|e| e.to_string())?;
        let host = listen.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
        let shown = if host == "0.0.0.0" || host.is_empty() { "localhost" } else { host };
        tracing::info!(
            "Roster is listening on http://{shown}:{port} — Swagger UI: http://{shown}:{port}/docs/",
            port = app.port()
        );
        if let (Some(address), Some(port)) = (&management_listen, app.management_port()) {
            let host = address.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
            tracing::info!(
                "management listener on http://{host}:{port} (/metrics, /healthz, /readyz)"
            );
        }
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

/// Prints the document; a closed pipe (`roster openapi | head`) is not an error.
fn print_openapi() -> Result<(), String> {
    use std::io::Write;
    match std::io::stdout().write_all(openapi::api_doc_json().as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(()),
    }
}

fn migrate(database: &DatabaseArgs) -> Result<(), String> {
    let (url, _) = database.resolved_url();
    tracing::info!(database = %redact_url(&url), "migrating");
    open_database(&url, 1).map_err(|e| e.to_string())?;
    tracing::info!("the database is up to date");
    Ok(())
}

fn admin_create(database: &DatabaseArgs, email: &str, password: &str) -> Result<(), String> {
    let (url, _) = database.resolved_url();
    let db = open_database(&url, 1).map_err(|e| e.to_string())?;
    match ensure_admin(&db, email, password).map_err(|e| e.problem().detail)? {
        AdminOutcome::Created(id) => println!("created platform admin {email} ({id})"),
        AdminOutcome::AlreadyExists(id) => println!("{email} ({id}) is a platform admin"),
    }
    Ok(())
}
