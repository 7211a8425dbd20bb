//! The `roster` binary's start-up errors say what is wrong and where: the database as the driver
//! reports it, a SQLite path as an absolute path, a port in use (before any migration) with the
//! listener it was meant for, an invalid admin flag by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs `roster <args>` in `dir` with none of the caller's `ROSTER_*` settings; returns its
/// output and how long it ran.
fn roster(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ROSTER_LOG", "error")
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn failure(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected a failure: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The last line the binary prints is its one-line verdict.
    stderr
        .lines()
        .filter(|l| l.starts_with("roster: ") || l.starts_with('\t'))
        .collect::<Vec<_>>()
        .join("\n")
}

fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("roster-startup-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A local port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn an_unreachable_postgres_is_reported_as_the_driver_says() {
    let port = closed_port();
    let url = format!("postgres://roster:secret@127.0.0.1:{port}/roster");
    let (output, _) = roster(&temp_dir("pg"), &["migrate", "--database-url", &url]);
    let message = failure(&output);
    assert!(
        message.contains(&format!(
            "cannot connect to the database postgres://roster:***@127.0.0.1:{port}/roster"
        )),
        "{message}"
    );
    assert!(message.contains("Connection refused"), "{message}");
    assert!(!message.contains("timed out waiting"), "{message}");
    assert!(
        !message.contains("secret"),
        "the password is never shown: {message}"
    );
}

#[test]
fn a_sqlite_file_in_a_missing_directory_is_named_by_its_absolute_path() {
    let dir = temp_dir("sqlite");
    for (url, path) in [
        (
            "sqlite://missing/dir/roster.db".to_owned(),
            dir.join("missing/dir"),
        ),
        (
            format!("sqlite://{}/nowhere/roster.db", dir.display()),
            dir.join("nowhere"),
        ),
    ] {
        let (output, took) = roster(
            &dir,
            &["serve", "--database-url", &url, "--listen", "127.0.0.1:0"],
        );
        let message = failure(&output);
        assert!(
            message.contains(&format!("its directory {} does not exist", path.display())),
            "{url}: {message}"
        );
        assert!(
            took < Duration::from_secs(3),
            "no retrying what cannot change: {took:?}"
        );
    }
}

#[test]
fn a_port_in_use_is_reported_before_the_database_is_touched() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    // The database is unreachable too: the port must be what the operator hears about, at once.
    let database = format!("postgres://postgres@127.0.0.1:{}/roster", closed_port());
    let dir = temp_dir("ports");
    for (flags, listener) in [
        (
            vec!["--listen", address.as_str()],
            "the API listener, --listen",
        ),
        (
            vec![
                "--listen",
                "127.0.0.1:0",
                "--management-listen",
                address.as_str(),
            ],
            "the management listener, --management-listen",
        ),
    ] {
        let mut args = vec!["serve", "--database-url", database.as_str()];
        args.extend(flags);
        let (output, took) = roster(&dir, &args);
        let message = failure(&output);
        assert!(
            message.contains(&format!("cannot listen on {address} ({listener}")),
            "{message}"
        );
        assert!(message.contains("address already in use"), "{message}");
        assert!(!message.contains("database"), "{message}");
        assert!(
            took < Duration::from_secs(3),
            "before the database: {took:?}"
        );
    }
}

#[test]
fn admin_create_names_each_invalid_flag() {
    let dir = temp_dir("admin");
    let database = format!("sqlite://{}/admin.db", dir.display());
    let admin_create = |email: &str, password: &str| {
        let flags = ["admin", "create", "--database-url", &database];
        let mut args: Vec<&str> = flags.to_vec();
        args.extend(["--email", email, "--password", password]);
        roster(&dir, &args).0
    };
    let output = admin_create("bad", "short");
    let message = failure(&output);
    assert!(
        message.contains("invalid --email (ROSTER_ADMIN_EMAIL): must be an email address"),
        "{message}"
    );
    assert!(
        message
            .contains("invalid --password (ROSTER_ADMIN_PASSWORD): must be at least 8 characters"),
        "{message}"
    );
    assert!(
        !dir.join("admin.db").exists(),
        "the flags are checked before the database is opened"
    );

    let output = admin_create("root@example.test", "a long secret");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout)
        .contains("created platform admin root@example.test"));
}
