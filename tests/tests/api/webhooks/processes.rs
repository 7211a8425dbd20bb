//! The `roster` binary as operators run it, in processes of its own: an instance killed with
//! `kill -9` in the middle of a burst loses nothing (another takes its claims over when their
//! lease runs out), and SIGTERM finishes the attempt in flight before the process exits 0.

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use roster_tests::receiver::Receiver;
use roster_tests::{Backend, Client, TestDb};
use serde_json::json;

const ADMIN: &str = "admin@example.test";
const PASSWORD: &str = "correct horse battery";
/// The shortest claim lease Roster accepts: a killed instance's deliveries wait this long.
const LEASE: &str = "20";

/// The `roster` binary next to this test binary (`target/<profile>/deps/…` → `target/<profile>`).
fn roster_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = dir.join("roster");
    assert!(
        binary.exists(),
        "{} is missing: build it first (cargo build -p roster-api)",
        binary.display()
    );
    binary
}

struct Instance {
    child: Child,
    base: String,
    client: Client,
}

impl Instance {
    fn start(database_url: &str) -> Instance {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(roster_binary())
            .args(["serve", "--database-url", database_url])
            .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", "2"])
            .args(["--admin-email", ADMIN, "--admin-password", PASSWORD])
            .args(["--webhooks-allow-private-targets", "--claim-lease", LEASE])
            .args(["--webhooks-retry-schedule", "1s,1s,1s"])
            .env(
                "ROSTER_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
            )
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = Client::new(&base);
        let deadline = Instant::now() + Duration::from_secs(30);
        // The port is bound before the migrations run; requests wait until it serves.
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "roster did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(client.get("/healthz", None).status, 200);
        Instance {
            child,
            base,
            client,
        }
    }

    fn token(&self) -> String {
        let res = self.client.post(
            "/v1/auth/token",
            None,
            &json!({"grant_type": "password", "username": ADMIN, "password": PASSWORD}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        res.body["access_token"].as_str().unwrap().to_owned()
    }

    fn kill_9(&mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ids of every event of `kind` in the log.
fn logged(client: &Client, token: &str, kind: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut next = Some(format!("/v1/events?type={kind}&limit=1000"));
    while let Some(page) = next {
        let res = client.get(&page, Some(token));
        assert_eq!(res.status, 200, "{}", res.text);
        for event in res.body["data"].as_array().unwrap() {
            ids.insert(event["id"].as_str().unwrap().to_owned());
        }
        next = res.body["links"]["next"].as_str().map(str::to_owned);
    }
    ids
}

fn received_events(receiver: &Receiver) -> HashSet<String> {
    receiver
        .received()
        .iter()
        .filter_map(|m| m.json()["data"]["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn kill_9_in_the_middle_of_a_burst_loses_no_event() {
    let Some(db) = TestDb::create(Backend::Postgres) else {
        return;
    };
    let receiver = Receiver::answering(|_| (204, Duration::from_millis(40)));
    let mut doomed = Instance::start(&db.url);
    let survivor = Instance::start(&db.url);
    let token = doomed.token();
    let endpoint = doomed.client.post(
        "/v1/webhooks",
        Some(&token),
        &json!({"url": receiver.url, "event_types": ["organization.created"]}),
    );
    assert_eq!(endpoint.status, 201, "{}", endpoint.text);

    let created = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (base, token, created) = (doomed.base.clone(), token.as_str(), &created);
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let client = Client::new(&base);
                scope.spawn(move || {
                    for n in 0..100 {
                        let res = client.post(
                            "/v1/organizations",
                            Some(token),
                            &json!({"name": format!("burst-{w}-{n}")}),
                        );
                        if res.status != 201 {
                            return; // the instance is gone
                        }
                        created.fetch_add(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        // Kill it while it writes and dispatches (its receiver answers slowly: attempts are in
        // flight), once a good part of the burst is in.
        while created.load(Ordering::SeqCst) < 120 {
            std::thread::sleep(Duration::from_millis(5));
        }
        doomed.kill_9();
        for writer in writers {
            let _ = writer.join();
        }
    });
    let token = survivor.token();
    let expected = logged(&survivor.client, &token, "organization.created");
    assert!(expected.len() >= 120, "{} events", expected.len());
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut missing: Vec<String>;
    loop {
        let got = received_events(&receiver);
        missing = expected.difference(&got).cloned().collect();
        if missing.is_empty() || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        missing.is_empty(),
        "{} of {} events never arrived after the kill: {missing:?}",
        missing.len(),
        expected.len()
    );
}

#[test]
fn sigterm_finishes_the_attempt_in_flight_and_exits_0() {
    let db = TestDb::create(Backend::Sqlite).unwrap();
    let receiver = Receiver::answering(|_| (200, Duration::from_secs(2)));
    let mut instance = Instance::start(&db.url);
    let token = instance.token();
    let endpoint = instance.client.post(
        "/v1/webhooks",
        Some(&token),
        &json!({"url": receiver.url, "event_types": ["user.updated"]}),
    );
    assert_eq!(endpoint.status, 201, "{}", endpoint.text);
    let res = instance
        .client
        .patch("/v1/users/me", Some(&token), &json!({"name": "Leaving"}));
    assert_eq!(res.status, 200);
    // The message has arrived; the receiver takes 2 s to answer it.
    receiver.wait_for(Duration::from_secs(20), |r| !r.is_empty());
    let signalled = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &instance.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(exit) = instance.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(30),
            "still running 30 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    // The attempt was recorded as it ended, and nothing is left claimed.
    let store = roster_store::Db::new(&db.url, &Default::default()).unwrap();
    let deliveries = store
        .read(|conn| {
            use roster_store::diesel::prelude::*;
            roster_store::schema::webhook_deliveries::table
                .select(roster_store::webhooks::DeliveryRow::as_select())
                .load(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    let delivery = deliveries
        .iter()
        .find(|d| d.event_type == "user.updated")
        .unwrap();
    assert_eq!(delivery.status, "succeeded", "{delivery:?}");
    assert_eq!(delivery.attempts, 1);
    assert!(delivery.leased_by.0.is_none() && delivery.leased_until.is_none());
    assert_eq!(receiver.received().len(), 1, "sent once");
}
