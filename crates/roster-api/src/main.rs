//! `roster`: serve the API, migrate the database, print the OpenAPI document, create an admin.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use std::time::Duration;

use roster_api::config::{AccessTokenTtl, DatabaseArgs, KeyArgs, LogArgs};
use roster_api::{
    admin_from_flags, describe_admin_error, ensure_admin, openapi, telemetry, AdminFlags,
    Application, ServeArgs,
};
use roster_core::keys::{self, KeySettings, KeyState};
use roster_core::redact_url;
use roster_core::users::AdminOutcome;
use roster_core::{open_database, Core, Settings};

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
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Manage platform admins.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage the keys that sign access tokens.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Set a user's password, read from standard input (one line), e.g.
    /// `printf '%s\n' "$NEW_PASSWORD" | roster users set-password ada@example.com`. Every session
    /// of the user ends, and they are told by mail (sent by a running server).
    SetPassword {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The user's email.
        email: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new signing key. Every instance signs with it within its key refresh interval;
    /// the old key keeps verifying the tokens it signed until they have expired, then retires.
    Rotate {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// List the signing keys: which one signs, which still verify and until when, which are
    /// retired, and whether they are encrypted at rest.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        lifetime: AccessTokenTtl,
        /// The instances' key refresh interval, in seconds (as `roster serve` has it).
        #[arg(long, env = "ROSTER_KEY_REFRESH_INTERVAL", default_value_t = 60)]
        key_refresh_interval: u64,
    },
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
        Command::Serve(args) => serve(*args),
        Command::Migrate(database) => migrate(&database),
        Command::Openapi => print_openapi(),
        Command::Admin(AdminCommand::Create {
            database,
            email,
            password,
        }) => admin_create(&database, &email, &password),
        Command::Keys(KeysCommand::Rotate { database, keys }) => keys_rotate(&database, &keys),
        Command::Users(UsersCommand::SetPassword { database, email }) => {
            users_set_password(&database, &email)
        }
        Command::Keys(KeysCommand::List {
            database,
            lifetime,
            key_refresh_interval,
        }) => keys_list(&database, &lifetime, key_refresh_interval),
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
    let describe = |e| describe_admin_error(&e, AdminFlags::ADMIN_CREATE);
    // The flags first: a typo is reported without touching the database.
    admin_from_flags(email, password).map_err(describe)?;
    let (url, _) = database.resolved_url();
    let db = open_database(&url, 1).map_err(|e| e.to_string())?;
    let core = Core::for_tools(db, Settings::default()).map_err(|e| e.to_string())?;
    let outcome = ensure_admin(&core, email, password).map_err(describe)?;
    match outcome {
        AdminOutcome::Created(id) => println!("created platform admin {email} ({id})"),
        AdminOutcome::AlreadyExists(id) => println!("{email} ({id}) is a platform admin"),
    }
    Ok(())
}

fn users_set_password(database: &DatabaseArgs, email: &str) -> Result<(), String> {
    use roster_core::accounts::SetPassword;
    use roster_core::users::FindUserByEmail;
    use roster_core::{Principal, RequestMeta};

    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    let password = roster_domain::Password::parse_field(password, "password")
        .map_err(|e| format!("the password on standard input {}", e.message))?;
    let (url, _) = database.resolved_url();
    let db = open_database(&url, 2).map_err(|e| e.to_string())?;
    let core = Core::for_tools(db, Settings::default()).map_err(|e| e.to_string())?;
    let (operator, request) = (Principal::Operator, RequestMeta::default());
    let find = FindUserByEmail {
        email: email.to_owned(),
    };
    let user = core
        .execute_blocking(&operator, &request, find)
        .map_err(|_| format!("no user has the email {email}"))?;
    let set = SetPassword {
        user: user.id,
        password,
    };
    actix_web::rt::System::new()
        .block_on(core.perform(&operator, &request, set))
        .map_err(|e| e.to_string())?;
    println!(
        "set the password of {} ({}); their sessions ended",
        user.email, user.id
    );
    Ok(())
}

fn keys_rotate(database: &DatabaseArgs, args: &KeyArgs) -> Result<(), String> {
    let (url, _) = database.resolved_url();
    let db = open_database(&url, 1).map_err(|e| e.to_string())?;
    let kid = keys::rotate(&db, args.key_encryption_key.as_ref()).map_err(|e| e.to_string())?;
    let sealed = if args.key_encryption_key.is_some() {
        "encrypted at rest"
    } else {
        "NOT encrypted at rest (no ROSTER_KEY_ENCRYPTION_KEY)"
    };
    println!("added signing key {kid}, {sealed}; instances sign with it within their key refresh interval");
    Ok(())
}

fn keys_list(
    database: &DatabaseArgs,
    lifetime: &AccessTokenTtl,
    refresh_interval: u64,
) -> Result<(), String> {
    let (url, _) = database.resolved_url();
    let db = open_database(&url, 1).map_err(|e| e.to_string())?;
    let settings = KeySettings {
        issuer: String::new(),
        access_token_ttl: Duration::from_secs(lifetime.access_token_ttl),
        refresh_interval: Duration::from_secs(refresh_interval),
        encryption_key: None,
    };
    let listed = keys::list(&db, &settings).map_err(|e| e.to_string())?;
    println!("{:<24} {:<28} {:<10} STATE", "KID", "CREATED", "ENCRYPTED");
    let time = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for key in listed {
        let state = match key.state {
            KeyState::Signing => "signing".to_owned(),
            KeyState::Verifying { until } => format!("verifying until {}", time(until)),
            KeyState::Retired { at } => format!("retired {}", time(at)),
        };
        let encrypted = if key.encrypted { "yes" } else { "no" };
        println!(
            "{:<24} {:<28} {:<10} {state}",
            key.kid,
            time(key.created_at),
            encrypted
        );
    }
    Ok(())
}
