//! What the operator controls: the command line's `users set-password`, the mail templates,
//! and a crash of the instance that queued a message.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use roster_tests::problem::assert_invalid_grant;
use roster_tests::{Backend, Client, MailSink, TestApp};
use serde_json::json;

use crate::support::token_endpoint::refresh;

/// The `roster` binary next to this test binary (`target/<profile>/deps/…` → `target/<profile>`).
fn roster_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    dir.join("roster")
}

fn set_password_from_the_command_line(backend: Backend) {
    let Some((app, sink)) = TestApp::spawn_with_mail(backend, &[]) else {
        return;
    };
    let user = app.sign_up("cli-reset");
    let run = |email: &str, stdin: &str| {
        let mut child = Command::new(roster_binary())
            .args([
                "users",
                "set-password",
                email,
                "--database-url",
                &app.db.url,
            ])
            .env("ROSTER_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = run(&user.email, "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least"));
    let unknown = run("nobody@example.test", "long enough password\n");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user has the email"));
    let done = run(&user.email.to_uppercase(), "set from the shell\n");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_invalid_grant(&refresh(&app, &user.refresh_token));
    app.login(&user.email, "set from the shell");
    // Queued by the command, sent by the running server.
    sink.wait_for(&user.email, "Your password was changed");
}

#[test]
fn sqlite_set_password_from_the_command_line() {
    set_password_from_the_command_line(Backend::Sqlite);
}

#[test]
fn postgres_set_password_from_the_command_line() {
    set_password_from_the_command_line(Backend::Postgres);
}

#[test]
fn a_template_folder_replaces_the_built_in_wording() {
    let folder = std::env::temp_dir().join(format!("roster-templates-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("verify_email.subject.txt"),
        "Welcome aboard, {{ name }}!",
    )
    .unwrap();
    let flag = folder.to_string_lossy().into_owned();
    let (app, sink) =
        TestApp::spawn_with_mail(Backend::Sqlite, &["--mail-templates", &flag]).unwrap();
    let user = app.sign_up("templated");
    let mail = sink.wait_for(&user.email, "Welcome aboard, templated!");
    assert!(
        mail.text.contains("Confirm that"),
        "the rest stays built in"
    );

    // A broken one stops the start, naming it.
    std::fs::write(folder.join("invitation.txt"), "{{ organisation }").unwrap();
    let args = roster_api::ServeArgs::from_flags(&[
        "--database-url",
        "sqlite::memory:",
        "--listen",
        "127.0.0.1:0",
        "--mail-templates",
        &flag,
    ])
    .unwrap();
    let error = roster_api::Application::build(args).err().expect("refused");
    assert!(error.to_string().contains("invitation.txt"), "{error}");
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn a_bad_smtp_url_stops_the_start_without_showing_its_password() {
    let args = roster_api::ServeArgs::from_flags(&[
        "--database-url",
        "sqlite::memory:",
        "--listen",
        "127.0.0.1:0",
        "--smtp-url",
        "smtp://user:hunter2@mail.example.test:587?tls=sometimes",
    ])
    .unwrap();
    let error = roster_api::Application::build(args)
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("tls=sometimes"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
    let parsed = roster_api::ServeArgs::from_flags(&["--smtp-url", "smtp://u:hunter2@h"]).unwrap();
    assert!(!format!("{:?}", parsed.mail).contains("hunter2"));
}

/// An instance killed before its message went: the message is not lost. Its token was sealed
/// with a key only that instance held, so another instance mints a new one (after a lease)
/// and sends it, and the new link works.
#[test]
fn a_message_queued_by_an_instance_that_died_goes_with_a_new_token() {
    let Some((survivor, survivor_sink)) =
        TestApp::spawn_with_mail(Backend::Postgres, &["--claim-lease", "20"])
    else {
        return;
    };
    let doomed_sink = MailSink::start();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut doomed: Child = Command::new(roster_binary())
        .args(["serve", "--database-url", &survivor.db.url])
        .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", "1"])
        .args(["--smtp-url", &doomed_sink.url(), "--claim-lease", "20"])
        .args(["--mail-retry-schedule", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"])
        .env("ROSTER_LOG", "error")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "roster did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let doomed_client = Client::new(&format!("http://127.0.0.1:{port}"));
    let email = roster_tests::unique_email("orphan");
    // The doomed instance's server refuses it for now: it stays queued, sealed by that
    // instance, tried again every second until the instance dies.
    doomed_sink.refuse_temporarily(&email);
    let res = doomed_client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": "correct horse battery"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    std::thread::sleep(Duration::from_millis(1500));
    doomed.kill().unwrap();
    doomed.wait().unwrap();
    assert!(doomed_sink.to(&email).is_empty());
    assert!(survivor_sink.to(&email).is_empty());

    // The survivor takes it over once it has been due a whole lease (20 s here) and the dead
    // instance's claim has run out.
    let mail = {
        let until = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(mail) = survivor_sink.to(&email).into_iter().next() {
                break mail;
            }
            assert!(Instant::now() < until, "the message was lost");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let res = survivor.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": mail.token()}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email_verified"], true);
}

/// The embedded default: no SMTP server. Roster warns at start, and each message, its link
/// included, is in its log (standard error), so the quick start works end to end.
#[test]
fn without_smtp_messages_and_their_links_are_in_the_log() {
    let folder = std::env::temp_dir().join(format!("roster-log-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&folder).unwrap();
    let log = folder.join("stderr.log");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server: Child = Command::new(roster_binary())
        .args(["serve", "--database-url"])
        .arg(format!("sqlite://{}", folder.join("roster.db").display()))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", "1"])
        .args(["--app-url", "https://app.example.test"])
        .env("ROSTER_LOG", "warn")
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "roster did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let client = Client::new(&format!("http://127.0.0.1:{port}"));
    let email = roster_tests::unique_email("logged");
    let res = client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": "correct horse battery"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let until = Instant::now() + Duration::from_secs(15);
    let token = loop {
        let logged = std::fs::read_to_string(&log).unwrap();
        if let Some(at) = logged.find("https://app.example.test/verify-email?token=") {
            assert!(logged.contains("NO SMTP SERVER IS CONFIGURED"), "{logged}");
            let rest = &logged[at..];
            let token: String = rest["https://app.example.test/verify-email?token=".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            break token;
        }
        assert!(Instant::now() < until, "no link in the log: {logged}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let res = client.post("/v1/auth/verify-email", None, &json!({"token": token}));
    assert_eq!(res.status, 200, "{}", res.text);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&folder);
}
