//! The end-to-end test harness: a real Roster server on a free port, over a fresh database on
//! SQLite or PostgreSQL, driven through real HTTP.
//!
//! Every test runs on both backends (see [`backend_tests!`]). The Postgres half gets an empty
//! database of its own on the local server (from a pool emptied between tests). When Postgres is unreachable
//! the Postgres half fails if `CI` is set or `ROSTER_TEST_POSTGRES=require`, and is skipped
//! with a loud message otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod client;
mod database;
pub mod mail_sink;
mod postgres_databases;
pub mod problem;
pub mod receiver;
pub mod throwaway_postgres;

use std::sync::mpsc;
use std::thread;

pub use client::{raw_exchange, raw_json_request, Client, Res};
pub use database::{postgres_admin_url, Backend, TestDb};
pub use mail_sink::{Mail, MailSink};
use roster_api::{Application, ServeArgs};
use serde_json::{json, Value};

/// A running Roster and its database. Dropping it drops the database.
pub struct TestApp {
    pub base: String,
    /// The management listener's base URL, when the server was started with one.
    pub management: Option<String>,
    pub backend: Backend,
    pub client: Client,
    pub db: TestDb,
}

/// Spawns the real server in its own thread with its own actix system; returns its base URL.
pub fn spawn_server(database_url: &str, flags: &[&str]) -> String {
    spawn_listeners(database_url, flags).0
}

/// Like [`spawn_server`]; also returns the management listener's base URL, if it has one.
pub fn spawn_listeners(database_url: &str, flags: &[&str]) -> (String, Option<String>) {
    init_test_log();
    let mut all = vec![
        "--database-url",
        database_url,
        "--listen",
        "127.0.0.1:0",
        "--workers",
        "2",
        "--db-pool-size",
        "8",
    ];
    all.extend_from_slice(flags);
    let args = ServeArgs::from_flags(&all).expect("valid test flags");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match Application::build(args) {
                Ok(app) => {
                    tx.send(Ok((app.port(), app.management_port()))).unwrap();
                    app.run_until_stopped().await.unwrap();
                }
                Err(error) => tx.send(Err(error.to_string())).unwrap(),
            }
        })
    });
    let (port, management) = rx
        .recv()
        .unwrap()
        .unwrap_or_else(|e| panic!("Roster failed to start: {e}"));
    (
        format!("http://127.0.0.1:{port}"),
        management.map(|port| format!("http://127.0.0.1:{port}")),
    )
}

impl TestApp {
    /// A server with default settings, or `None` when the backend is unavailable and may be skipped.
    pub fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, &[])
    }

    /// A server with extra `roster serve` flags, e.g. `&["--signup", "closed"]`.
    pub fn spawn_with(backend: Backend, flags: &[&str]) -> Option<TestApp> {
        init_test_log();
        let db = TestDb::create(backend)?;
        let (base, management) = spawn_listeners(&db.url, flags);
        Some(TestApp {
            client: Client::new(&base),
            base,
            management,
            backend,
            db,
        })
    }

    /// A server that sends its mail to a real SMTP server started for it (links point to
    /// `https://app.example.test`; failed sends are retried after 1 s), with extra flags.
    pub fn spawn_with_mail(backend: Backend, flags: &[&str]) -> Option<(TestApp, MailSink)> {
        let sink = MailSink::start();
        let url = sink.url();
        let mut all = vec![
            "--smtp-url",
            url.as_str(),
            "--mail-from",
            "Roster <roster@example.test>",
            "--app-url",
            "https://app.example.test",
        ];
        if !flags.contains(&"--mail-retry-schedule") {
            all.extend_from_slice(&["--mail-retry-schedule", "1s,1s"]);
        }
        all.extend_from_slice(flags);
        let app = TestApp::spawn_with(backend, &all)?;
        Some((app, sink))
    }

    /// Signs up a user with a unique email; returns the user JSON.
    pub fn sign_up(&self, label: &str) -> TestUser {
        let email = unique_email(label);
        let password = "correct horse battery";
        let res = self.client.post(
            "/v1/users",
            None,
            &json!({"email": email, "password": password, "name": label}),
        );
        assert_eq!(res.status, 201, "sign-up failed: {}", res.body);
        let tokens = self.login(&email, password);
        TestUser::from_tokens(&res.body["id"], email, password, &tokens)
    }

    /// The password grant; panics unless it succeeds. Returns the token response.
    pub fn login(&self, email: &str, password: &str) -> Value {
        let res = self.client.post(
            "/v1/auth/token",
            None,
            &json!({"grant_type": "password", "username": email, "password": password}),
        );
        assert_eq!(res.status, 200, "login failed: {}", res.body);
        res.body
    }

    /// Creates an organization as `user`; panics unless it is created. Returns its JSON.
    pub fn create_org(&self, user: &TestUser, name: &str) -> Value {
        let res = self.client.post(
            "/v1/organizations",
            Some(&user.token),
            &json!({"name": name}),
        );
        assert_eq!(res.status, 201, "create organization failed: {}", res.body);
        res.body
    }

    /// Starts a platform admin (created at start-up from flags) and signs it in.
    pub fn spawn_with_admin(backend: Backend, flags: &[&str]) -> Option<(TestApp, TestUser)> {
        let email = "root@example.test";
        let password = "admin password 1";
        let mut all = vec!["--admin-email", email, "--admin-password", password];
        all.extend_from_slice(flags);
        let app = TestApp::spawn_with(backend, &all)?;
        let tokens = app.login(email, password);
        let me = app.client.get(
            "/v1/users/me",
            Some(tokens["access_token"].as_str().unwrap()),
        );
        let admin = TestUser::from_tokens(&me.body["id"], email.to_owned(), password, &tokens);
        Some((app, admin))
    }
}

/// Runs `test` on each available backend against a server with a platform admin and `flags`
/// (for tests that need the admin, where [`backend_tests!`] gives a plain server).
pub fn with_admin(flags: &[&str], test: impl Fn(&TestApp, &TestUser)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((app, admin)) = TestApp::spawn_with_admin(backend, flags) else {
            continue;
        };
        eprintln!("--- on {backend:?}");
        test(&app, &admin);
    }
}

/// Runs `test` on each available backend against a server started with `flags`.
pub fn with_flags(flags: &[&str], test: impl Fn(&TestApp)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn_with(backend, flags) else {
            continue;
        };
        eprintln!("--- on {backend:?}");
        test(&app);
    }
}

/// An email address no other test uses: `<label>-<uuid>@example.test`.
pub fn unique_email(label: &str) -> String {
    format!("{label}-{}@example.test", uuid::Uuid::now_v7().simple())
}

/// A signed-up, signed-in user.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub password: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestUser {
    /// The user with id `id` (a JSON string), signed in with the token response `tokens`.
    pub fn from_tokens(id: &Value, email: String, password: &str, tokens: &Value) -> TestUser {
        TestUser {
            id: id.as_str().unwrap().to_owned(),
            email,
            password: password.to_owned(),
            token: tokens["access_token"].as_str().unwrap().to_owned(),
            refresh_token: tokens["refresh_token"].as_str().unwrap().to_owned(),
        }
    }
}

/// Logs from the server under test, only when `TEST_LOG` is set.
fn init_test_log() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber_init();
    }
}

fn tracing_subscriber_init() -> Option<()> {
    roster_api::telemetry::init(&roster_api::config::LogArgs {
        log: std::env::var("TEST_LOG").unwrap_or_else(|_| "debug".into()),
        log_format: roster_api::config::LogFormat::Pretty,
    });
    Some(())
}

/// Like [`backend_tests!`], for tests that take `(&TestApp, &MailSink)`: each gets a server
/// sending to a real SMTP server of its own ([`TestApp::spawn_with_mail`]).
#[macro_export]
macro_rules! mail_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let (app, sink) = $crate::TestApp::spawn_with_mail($crate::Backend::Sqlite, &[])
                        .expect("SQLite is always available");
                    super::$name(&app, &sink);
                }
            )+
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    let Some((app, sink)) = $crate::TestApp::spawn_with_mail($crate::Backend::Postgres, &[]) else { return };
                    super::$name(&app, &sink);
                }
            )+
        }
    };
}

/// Declares each listed `fn name(app: &TestApp)` as two tests: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).expect("SQLite is always available");
                    super::$name(&app);
                }
            )+
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres) else { return };
                    super::$name(&app);
                }
            )+
        }
    };
}
