//! A request body that stops arriving is answered 408 and its connection closed after the body
//! read timeout, whichever route it was sent to: no client holds a connection forever.

use std::time::{Duration, Instant};

use roster_tests::{raw_exchange, with_flags, TestApp};

/// Sends `method path` announcing a 100-byte JSON body, sends 10 bytes of it and stalls.
/// Returns the status, the answer, and how long until the server closed the connection.
fn stall(app: &TestApp, method: &str, path: &str, extra: &str) -> (u16, String, Duration) {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n{extra}\r\n{{\"name\": \""
    );
    let started = Instant::now();
    let (status, text) = raw_exchange(&app.base, request.as_bytes());
    (status, text, started.elapsed())
}

#[test]
fn a_stalled_body_is_answered_408_and_the_connection_closed() {
    with_flags(&["--body-read-timeout", "1"], |app| {
        let ada = app.sign_up("ada");
        let bearer = format!("Authorization: Bearer {}\r\n", ada.token);
        let keyed = format!("{bearer}Idempotency-Key: stalled\r\n");
        let cases = [
            ("POST", "/v1/organizations", bearer.as_str()),
            ("POST", "/v1/organizations", keyed.as_str()),
            ("POST", "/v1/auth/token", ""),
            ("PATCH", "/v1/users/me", bearer.as_str()),
        ];
        // All at once: each holds its connection until the server gives up on it.
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let runs: Vec<_> = cases
                .iter()
                .map(|(method, path, extra)| {
                    scope.spawn(move || (*method, *path, stall(app, method, path, extra)))
                })
                .collect();
            runs.into_iter().map(|run| run.join().unwrap()).collect()
        });
        for (method, path, (status, text, took)) in outcomes {
            assert_eq!(status, 408, "{method} {path}: {text}");
            assert!(text.contains("application/problem+json"), "{text}");
            assert!(
                took < Duration::from_secs(5),
                "{method} {path}: the connection was held {took:?}"
            );
        }
        let listed = app.client.get("/v1/organizations", Some(&ada.token));
        assert_eq!(
            listed.body["data"],
            serde_json::json!([]),
            "nothing was written"
        );
    });
}
