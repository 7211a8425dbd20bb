//! `/metrics` on the management listener: bounded labels, and the families operators look for
//! (process, database slots and time per operation, sign-in outcomes) moving with real work.

use roster_tests::{with_admin, with_flags, Client, TestApp};
use serde_json::json;

/// The value of the sample `name{labels}`, whatever the order of its labels; `None` when absent.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, series_labels) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.strip_suffix('}')?),
            None => (series, ""),
        };
        let wanted = labels
            .iter()
            .all(|(k, v)| series_labels.contains(&format!("{k}=\"{v}\"")));
        (series_name == name && wanted).then(|| value.parse().ok())?
    })
}

/// The series of one family (its sample lines).
fn series_of<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .collect()
}

fn scrape(app: &TestApp) -> String {
    let management = Client::new(app.management.as_deref().expect("a management listener"));
    let res = management.get("/metrics", None);
    assert_eq!(res.status, 200);
    assert!(
        res.header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        res.header("content-type")
    );
    res.text
}

const MANAGEMENT: [&str; 2] = ["--management-listen", "127.0.0.1:0"];

#[test]
fn made_up_methods_do_not_make_new_series() {
    with_flags(&MANAGEMENT, |app| {
        let before = series_of(&scrape(app), "roster_http_requests_total").len();
        for method in ["FOO", "BAR", "PROPFIND", "QWERTY"] {
            let res = app.client.send_with(method, "/v1/x", None, &[], None);
            assert!(res.status < 500, "{method}: {}", res.status);
        }
        let text = scrape(app);
        let after = series_of(&text, "roster_http_requests_total");
        assert!(
            !text.contains("FOO") && !text.contains("QWERTY"),
            "a made-up method became a label: {text}"
        );
        // One new series for all four (method "other"), and one for the scrape itself at most.
        assert!(
            after.len() <= before + 2,
            "before {before}, after: {after:#?}"
        );
        let other: f64 = after
            .iter()
            .filter(|l| l.contains("method=\"other\""))
            .filter_map(|l| l.rsplit_once(' ')?.1.parse::<f64>().ok())
            .sum();
        assert_eq!(other, 4.0, "{after:#?}");
    });
}

#[test]
fn process_and_database_families_are_present() {
    with_flags(&MANAGEMENT, |app| {
        let text = scrape(app);
        for name in [
            "process_resident_memory_bytes",
            "process_open_fds",
            "process_max_fds",
            "process_start_time_seconds",
        ] {
            let value = sample(&text, name, &[]).unwrap_or_else(|| panic!("{name}: {text}"));
            assert!(value > 0.0, "{name} = {value}");
        }
        assert!(sample(&text, "process_cpu_seconds_total", &[]).is_some_and(|v| v >= 0.0));
        assert!(sample(&text, "roster_db_pool_max_connections", &[]).is_some_and(|v| v > 0.0));
        for name in [
            "roster_db_slots_in_use",
            "roster_db_slots_waiting",
            "roster_db_slot_timeouts_total",
            "roster_db_slot_wait_seconds_count",
        ] {
            assert!(sample(&text, name, &[]).is_some(), "{name}: {text}");
        }
        assert!(sample(
            &text,
            "roster_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        )
        .is_some());
    });
}

#[test]
fn an_operation_moves_its_database_time_and_the_slot_waits() {
    with_flags(&MANAGEMENT, |app| {
        let ada = app.sign_up("ada");
        let count = |text: &str| {
            sample(
                text,
                "roster_db_operation_duration_seconds_count",
                &[("operation", "organizations.create")],
            )
            .unwrap_or(0.0)
        };
        let waits = |text: &str| sample(text, "roster_db_slot_wait_seconds_count", &[]).unwrap();
        let before = scrape(app);
        app.create_org(&ada, "acme");
        let after = scrape(app);
        assert_eq!(count(&after), count(&before) + 1.0, "{after}");
        let sum = sample(
            &after,
            "roster_db_operation_duration_seconds_sum",
            &[("operation", "organizations.create")],
        )
        .unwrap();
        assert!(sum > 0.0 && sum < 10.0, "{sum}");
        assert!(waits(&after) > waits(&before));
    });
}

#[test]
fn sign_ins_are_counted_by_outcome() {
    let mut flags = vec!["--login-max-failures", "1"];
    flags.extend(MANAGEMENT);
    with_admin(&flags, |app, admin| {
        let outcome = |text: &str, outcome: &str| {
            sample(text, "roster_sign_ins_total", &[("outcome", outcome)])
                .unwrap_or_else(|| panic!("no {outcome} series: {text}"))
        };
        let token = |username: &str, password: &str, organization: Option<&str>| {
            let mut body =
                json!({"grant_type": "password", "username": username, "password": password});
            if let Some(org) = organization {
                body["organization"] = json!(org);
            }
            app.client.post("/v1/auth/token", None, &body).status
        };
        let ada = app.sign_up("ada");
        let grace = app.sign_up("grace");
        app.create_org(&grace, "acme");
        let before = scrape(app);

        assert_eq!(token(&ada.email, &ada.password, None), 200);
        assert_eq!(token(&ada.email, &ada.password, Some("acme")), 400);
        assert_eq!(token(&ada.email, "wrong password", None), 400);
        assert_eq!(token("nobody@example.test", "wrong password", None), 400);
        // One failure for ada from this address is the limit: the next is refused unheard.
        assert_eq!(token(&ada.email, "wrong again", None), 429);
        let disabled = app.client.patch(
            &format!("/v1/users/{}", grace.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(disabled.status, 200, "{}", disabled.text);
        assert_eq!(token(&grace.email, &grace.password, None), 400);

        let after = scrape(app);
        // The admin's and ada's sign-ins at start-up happened before `before`.
        for (name, moved) in [
            ("success", 1.0),
            ("invalid_credentials", 2.0),
            ("not_member", 1.0),
            ("throttled", 1.0),
            ("disabled", 1.0),
            ("error", 0.0),
            ("unavailable", 0.0),
        ] {
            assert_eq!(
                outcome(&after, name) - outcome(&before, name),
                moved,
                "{name}: {after}"
            );
        }
    });
}

/// Webhook attempts by outcome and their latency; the backlog's age while a delivery waits for
/// its retry, and 0 once none waits.
#[test]
fn webhook_attempts_and_the_backlog_are_measured() {
    let mut flags = vec![
        "--webhooks-allow-private-targets",
        "--webhooks-retry-schedule",
        "2s",
    ];
    flags.extend(MANAGEMENT);
    with_admin(&flags, |app, admin| {
        let receiver = roster_tests::receiver::Receiver::answering(|n| {
            (if n == 0 { 500 } else { 204 }, std::time::Duration::ZERO)
        });
        let made = app.client.post(
            "/v1/webhooks",
            Some(&admin.token),
            &json!({"url": receiver.url, "event_types": ["user.updated"]}),
        );
        assert_eq!(made.status, 201, "{}", made.text);
        let res = app.client.patch(
            "/v1/users/me",
            Some(&admin.token),
            &json!({"name": "Measured"}),
        );
        assert_eq!(res.status, 200);
        receiver.wait_for(std::time::Duration::from_secs(20), |r| !r.is_empty());
        std::thread::sleep(std::time::Duration::from_millis(300));
        let waiting = scrape(app);
        assert_eq!(
            sample(
                &waiting,
                "roster_webhook_attempts_total",
                &[("outcome", "status")]
            ),
            Some(1.0),
            "{waiting}"
        );
        let age = sample(&waiting, "roster_webhook_oldest_pending_age_seconds", &[]).unwrap();
        assert!(age > 0.0, "a delivery waits for its retry: {age}");
        receiver.wait_for(std::time::Duration::from_secs(20), |r| r.len() >= 2);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let done = scrape(app);
        assert_eq!(
            sample(
                &done,
                "roster_webhook_attempts_total",
                &[("outcome", "succeeded")]
            ),
            Some(1.0)
        );
        assert_eq!(
            sample(&done, "roster_webhook_attempt_duration_seconds_count", &[]),
            Some(2.0)
        );
        assert_eq!(
            sample(&done, "roster_webhook_oldest_pending_age_seconds", &[]),
            Some(0.0)
        );
    });
}
