//! Login throttling: failed password attempts in a sliding window, per account and client
//! address and per client address, shared by every instance through the database.

use roster_store::diesel::prelude::*;
use roster_store::schema::login_failures;
use roster_tests::problem::{assert_invalid_grant, assert_problem};
use roster_tests::{spawn_server, with_flags, Backend, Client, Res, TestApp, TestUser};
use serde_json::json;

use crate::support::stored::db;

/// The password grant for `user` with `password`, as a client at `address` behind the proxy.
fn sign_in(app: &TestApp, user: &TestUser, password: &str, address: Option<&str>) -> Res {
    sign_in_with(&app.client, &user.email, password, address)
}

fn sign_in_with(client: &Client, email: &str, password: &str, address: Option<&str>) -> Res {
    let headers: Vec<(&str, &str)> = address
        .map(|a| ("X-Forwarded-For", a))
        .into_iter()
        .collect();
    client.send_with(
        "POST",
        "/v1/auth/token",
        None,
        &headers,
        Some(&json!({"grant_type": "password", "username": email, "password": password})),
    )
}

/// A 429 problem with a `Retry-After` within the window.
fn assert_throttled(res: &Res, window: u64) {
    assert_problem(res, 429, "rate-limited");
    let wait: u64 = res
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=window).contains(&wait), "Retry-After {wait}");
}

#[test]
fn repeated_wrong_passwords_are_throttled_with_retry_after() {
    with_flags(&["--login-max-failures", "3"], |app| {
        let ada = app.sign_up("ada");
        for _ in 0..3 {
            assert_invalid_grant(&sign_in(app, &ada, "wrong password", None));
        }
        assert_throttled(&sign_in(app, &ada, "wrong password", None), 900);
        // Even the right password waits: the window is what it is.
        assert_throttled(&sign_in(app, &ada, &ada.password, None), 900);
        // An unknown account is throttled exactly like a real one.
        let ghost = TestUser {
            email: "ghost@example.test".into(),
            ..ada.clone()
        };
        for _ in 0..3 {
            assert_invalid_grant(&sign_in(app, &ghost, "guess", None));
        }
        assert_throttled(&sign_in(app, &ghost, "guess", None), 900);
    });
}

#[test]
fn an_attacker_elsewhere_does_not_lock_the_owner_out() {
    let flags = [
        "--login-max-failures",
        "3",
        "--trusted-proxies",
        "127.0.0.1",
    ];
    with_flags(&flags, |app| {
        let ada = app.sign_up("ada");
        let attacker = Some("203.0.113.7");
        for _ in 0..3 {
            assert_invalid_grant(&sign_in(app, &ada, "guess", attacker));
        }
        assert_throttled(&sign_in(app, &ada, "guess", attacker), 900);
        let res = sign_in(app, &ada, &ada.password, Some("198.51.100.2"));
        assert_eq!(
            res.status, 200,
            "the owner signs in from elsewhere: {}",
            res.text
        );
    });
}

#[test]
fn forwarded_for_is_ignored_without_a_trusted_proxy() {
    with_flags(&["--login-max-failures", "3"], |app| {
        let ada = app.sign_up("ada");
        for i in 0..3 {
            let spoofed = format!("203.0.113.{i}");
            assert_invalid_grant(&sign_in(app, &ada, "guess", Some(&spoofed)));
        }
        assert_throttled(&sign_in(app, &ada, "guess", Some("198.51.100.99")), 900);
    });
}

#[test]
fn one_address_trying_many_accounts_is_throttled() {
    with_flags(&["--login-max-failures-per-address", "4"], |app| {
        let ada = app.sign_up("ada");
        for i in 0..4 {
            let victim = format!("victim{i}@example.test");
            assert_invalid_grant(&sign_in_with(&app.client, &victim, "password1", None));
        }
        assert_throttled(&sign_in(app, &ada, &ada.password, None), 900);
    });
}

/// Failures leave the window as it slides (aged here in the database rather than waited for),
/// and a successful sign-in wipes the account's failures from that address.
#[test]
fn failures_leave_the_window_and_success_resets_the_count() {
    with_flags(&["--login-max-failures", "3"], |app| {
        let ada = app.sign_up("ada");
        for _ in 0..3 {
            assert_invalid_grant(&sign_in(app, &ada, "guess", None));
        }
        assert_throttled(&sign_in(app, &ada, &ada.password, None), 900);
        age_failures(app, 901);
        assert_eq!(sign_in(app, &ada, &ada.password, None).status, 200);

        for _ in 0..2 {
            assert_invalid_grant(&sign_in(app, &ada, "guess", None));
        }
        assert_eq!(sign_in(app, &ada, &ada.password, None).status, 200);
        for _ in 0..3 {
            assert_invalid_grant(&sign_in(app, &ada, "guess", None));
        }
        assert_throttled(&sign_in(app, &ada, "guess", None), 900);
    });
}

/// Every instance serving one database counts the same failures.
#[test]
fn throttling_is_shared_by_every_instance() {
    let Some(app) = TestApp::spawn_with(Backend::Postgres, &["--login-max-failures", "3"]) else {
        return;
    };
    let other = Client::new(&spawn_server(&app.db.url, &["--login-max-failures", "3"]));
    let ada = app.sign_up("ada");
    for client in [&app.client, &other, &app.client] {
        assert_invalid_grant(&sign_in_with(client, &ada.email, "guess", None));
    }
    assert_throttled(&sign_in_with(&other, &ada.email, &ada.password, None), 900);
}

#[test]
fn guessing_the_current_password_is_throttled_too() {
    with_flags(&["--login-max-failures", "3"], |app| {
        let ada = app.sign_up("ada");
        let change = |current: &str| {
            app.client.post(
                "/v1/users/me/password",
                Some(&ada.token),
                &json!({"current_password": current, "new_password": "a brand new passphrase"}),
            )
        };
        for _ in 0..3 {
            assert_eq!(change("guess").status, 422);
        }
        assert_throttled(&change(&ada.password), 900);
    });
}

/// Moves every recorded failure `seconds` into the past.
fn age_failures(app: &TestApp, seconds: i64) {
    db(app)
        .write(|conn| {
            let rows: Vec<(roster_store::DbId, roster_store::Ts)> = login_failures::table
                .select((login_failures::id, login_failures::failed_at))
                .load(conn)?;
            for (id, at) in rows {
                let aged =
                    roster_store::Ts::from_datetime(at.0 - chrono::Duration::seconds(seconds));
                roster_store::diesel::update(login_failures::table.find(id))
                    .set(login_failures::failed_at.eq(aged))
                    .execute(conn)?;
            }
            Ok::<_, roster_store::StoreError>(())
        })
        .unwrap();
}
