//! The sender against receivers that misbehave, on loopback: each costs one bounded attempt.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use roster_webhooks::{AttemptError, Sender, TargetPolicy};

const SHORT: Duration = Duration::from_secs(2);

/// A receiver that handles each connection with `answer`; returns its URL.
fn receiver(answer: fn(TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream));
        }
    });
    format!("http://127.0.0.1:{port}/hook")
}

fn read_request(stream: &mut TcpStream) {
    let mut buffer = [0u8; 4096];
    let _ = stream.read(&mut buffer);
}

fn loopback_sender() -> Sender {
    Sender::with_timeout(
        TargetPolicy {
            allow_private: true,
        },
        SHORT,
    )
    .unwrap()
}

#[test]
fn a_2xx_answer_is_a_success() {
    let url = receiver(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    });
    let attempt = loopback_sender().send(&url, &[("content-type", "application/json")], b"{}");
    assert_eq!(attempt.status, Some(204));
    assert!(attempt.succeeded());
}

#[test]
fn a_redirect_is_not_followed() {
    let url = receiver(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(
            b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let attempt = loopback_sender().send(&url, &[], b"{}");
    assert_eq!(attempt.status, Some(307));
    assert_eq!(attempt.error, Some(AttemptError::Redirect));
}

#[test]
fn a_hanging_receiver_costs_one_timeout() {
    let url = receiver(|mut s| {
        read_request(&mut s);
        thread::sleep(Duration::from_secs(30));
    });
    let attempt = loopback_sender().send(&url, &[], b"{}");
    assert_eq!(attempt.error, Some(AttemptError::Timeout));
    assert!(
        attempt.duration < SHORT + Duration::from_secs(1),
        "{:?}",
        attempt.duration
    );
}

#[test]
fn a_trickling_receiver_is_cut_off_at_the_deadline() {
    let url = receiver(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\n");
        for _ in 0..60 {
            if s.write_all(b"X-Slow: 1\r\n").is_err() {
                return;
            }
            thread::sleep(Duration::from_millis(200));
        }
    });
    let attempt = loopback_sender().send(&url, &[], b"{}");
    assert_eq!(attempt.error, Some(AttemptError::Timeout));
    assert!(
        attempt.duration < SHORT + Duration::from_secs(1),
        "{:?}",
        attempt.duration
    );
}

#[test]
fn a_huge_answer_is_not_read_in_full() {
    let url = receiver(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
        let chunk = vec![b'a'; 64 * 1024];
        while s.write_all(&chunk).is_ok() {}
    });
    let attempt = loopback_sender().send(&url, &[], b"{}");
    assert!(attempt.succeeded(), "{attempt:?}");
    assert!(attempt.duration < SHORT, "{:?}", attempt.duration);
}

#[test]
fn a_reset_connection_is_a_connection_error() {
    let url = receiver(drop);
    let attempt = loopback_sender().send(&url, &[], b"{}");
    assert_eq!(attempt.status, None);
    assert!(
        matches!(
            attempt.error,
            Some(AttemptError::Connection | AttemptError::InvalidResponse)
        ),
        "{attempt:?}"
    );
}

#[test]
fn a_name_that_resolves_inside_is_refused_at_connect_time() {
    // `localhost` stands in for a public name whose DNS answer changed to an internal address
    // after the endpoint was saved: the check after resolution refuses it.
    let url = receiver(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    });
    let port = url.rsplit(':').next().unwrap().trim_end_matches("/hook");
    let strict = Sender::with_timeout(TargetPolicy::default(), SHORT).unwrap();
    let attempt = strict.send(&format!("https://localhost:{port}/hook"), &[], b"{}");
    assert_eq!(
        attempt.error,
        Some(AttemptError::ForbiddenAddress),
        "{attempt:?}"
    );
}
