//! A database outage: Roster keeps answering — 503 problems with `Retry-After`, never a 500 —
//! and recovers by itself when PostgreSQL comes back. Runs on a throwaway Postgres server of
//! its own, which the test stops and starts (never the shared one on 5432).

use std::time::{Duration, Instant};

use roster_tests::throwaway_postgres::ThrowawayPostgres;
use roster_tests::{spawn_server, unique_email, Client, Res};
use serde_json::json;

/// Each request during the outage must be answered within this (the pool waits 3 s).
const OUTAGE_ANSWER_LIMIT: Duration = Duration::from_secs(10);

fn timed(what: &str, request: impl FnOnce() -> Res) -> Res {
    let started = Instant::now();
    let res = request();
    let took = started.elapsed();
    eprintln!("{what}: {} in {took:?}", res.status);
    assert!(
        took < OUTAGE_ANSWER_LIMIT,
        "{what} took {took:?} during the outage; it must answer promptly"
    );
    assert_ne!(res.status, 500, "{what} answered 500: {}", res.text);
    res
}

fn assert_unavailable(what: &str, res: &Res) {
    assert_eq!(
        res.status, 503,
        "{what} should be 503 while the database is down, got {}: {}",
        res.status, res.text
    );
    assert_eq!(
        res.header("content-type"),
        Some("application/problem+json"),
        "{what}: {}",
        res.text
    );
    assert_eq!(res.body["status"], 503, "{what}: {}", res.text);
    assert_eq!(
        res.body["type"], "https://roster.dev/problems/unavailable",
        "{what}: {}",
        res.text
    );
    assert!(
        res.header("retry-after").is_some(),
        "{what}: a 503 needs Retry-After; headers: {:?}",
        res.headers
    );
}

#[test]
fn outage_gives_503s_and_recovers_without_a_restart() {
    let test_started = Instant::now();
    let Some(mut pg) = ThrowawayPostgres::try_start() else {
        return;
    };
    eprintln!("throwaway PostgreSQL up in {:?}", test_started.elapsed());
    let base = spawn_server(&pg.url(), &[]);
    let client = Client::new(&base);

    // Before the outage: sign up, sign in, create an organization.
    let email = unique_email("outage");
    let password = "correct horse battery";
    let res = client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": password, "name": "Outage"}),
    );
    assert_eq!(res.status, 201, "sign-up: {}", res.text);
    let res = client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": email, "password": password}),
    );
    assert_eq!(res.status, 200, "sign-in: {}", res.text);
    let token = res.body["access_token"].as_str().unwrap().to_owned();
    let res = client.post(
        "/v1/organizations",
        Some(&token),
        &json!({"name": "outage-co"}),
    );
    assert_eq!(res.status, 201, "create organization: {}", res.text);
    let org_path = format!("/v1/organizations/{}", res.body["id"].as_str().unwrap());
    let res = client.get(&org_path, Some(&token));
    assert_eq!(res.status, 200, "get organization: {}", res.text);
    assert_eq!(client.get("/readyz", None).status, 200);

    // The outage.
    let outage_started = Instant::now();
    pg.stop();
    eprintln!("PostgreSQL stopped");

    let res = timed("GET /readyz", || client.get("/readyz", None));
    assert_unavailable("GET /readyz", &res);

    let res = timed("GET /healthz", || client.get("/healthz", None));
    assert_eq!(res.status, 200, "healthz never touches the database");
    assert_eq!(res.body["status"], "ok");

    // The token still verifies (keys are in memory); looking up its user fails.
    let res = timed("GET organization", || client.get(&org_path, Some(&token)));
    assert_unavailable("GET organization", &res);

    let res = timed("sign-up", || {
        client.post(
            "/v1/users",
            None,
            &json!({
                "email": unique_email("late"),
                "password": password,
            }),
        )
    });
    assert_unavailable("sign-up", &res);

    let res = timed("sign-in", || {
        client.post(
            "/v1/auth/token",
            None,
            &json!({"grant_type": "password", "username": email, "password": password}),
        )
    });
    assert_unavailable("sign-in", &res);

    let res = timed("GET organization again", || {
        client.get(&org_path, Some(&token))
    });
    assert_unavailable("GET organization again", &res);
    let outage_took = outage_started.elapsed();

    // Recovery, without restarting Roster.
    pg.start_again();
    eprintln!("PostgreSQL started again");
    let recovery_started = Instant::now();
    let deadline = recovery_started + Duration::from_secs(20);
    let mut last_ready;
    let mut last_org;
    loop {
        last_ready = client.get("/readyz", None);
        last_org = client.get(&org_path, Some(&token));
        for (what, res) in [("readyz", &last_ready), ("GET organization", &last_org)] {
            assert_ne!(
                res.status, 500,
                "{what} answered 500 in recovery: {}",
                res.text
            );
        }
        if last_ready.status == 200 && last_org.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Roster did not recover within 20 s of PostgreSQL coming back: readyz {} {}, organization {} {}",
            last_ready.status,
            last_ready.text,
            last_org.status,
            last_org.text
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(last_ready.body["status"], "ready");
    assert_eq!(last_org.body["name"], "outage-co");
    let res = client.patch(
        &org_path,
        Some(&token),
        &json!({"display_name": "Back again"}),
    );
    assert_eq!(res.status, 200, "a write after recovery: {}", res.text);
    assert_eq!(res.body["display_name"], "Back again");
    eprintln!(
        "outage phase {outage_took:?}, recovery {:?}, whole test {:?}",
        recovery_started.elapsed(),
        test_started.elapsed()
    );
}
