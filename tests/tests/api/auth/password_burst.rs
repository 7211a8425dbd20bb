//! A burst of password work (sign-ups, sign-ins, wrong passwords, unknown accounts) all at once:
//! it queues for the few password threads and every request gets its right answer. (The
//! memory this costs is measured by `bench/password_flood.sh`.)

use roster_tests::{unique_email, with_flags, Client};
use serde_json::json;

#[test]
fn a_burst_of_sign_ups_and_sign_ins_is_answered_correctly() {
    const PEOPLE: usize = 24;
    let flags = ["--login-max-failures-per-address", "1000"];
    with_flags(&flags, |app| {
        let password = "correct horse battery";
        let emails: Vec<String> = (0..PEOPLE)
            .map(|i| unique_email(&format!("burst{i}")))
            .collect();
        let sign_ups: Vec<u16> = std::thread::scope(|scope| {
            let runs: Vec<_> = emails
                .iter()
                .map(|email| {
                    let base = app.base.as_str();
                    scope.spawn(move || {
                        Client::new(base)
                            .post(
                                "/v1/users",
                                None,
                                &json!({"email": email, "password": password}),
                            )
                            .status
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert!(sign_ups.iter().all(|s| *s == 201), "{sign_ups:?}");

        let attempts: Vec<(String, &str, u16)> = emails
            .iter()
            .flat_map(|email| {
                [
                    (email.clone(), password, 200),
                    (email.clone(), "wrong one", 400),
                ]
            })
            .chain((0..PEOPLE).map(|i| (format!("nobody{i}@example.test"), password, 400)))
            .collect();
        let answers: Vec<(u16, u16)> = std::thread::scope(|scope| {
            let runs: Vec<_> = attempts
                .iter()
                .map(|(email, password, expected)| {
                    let base = app.base.as_str();
                    scope.spawn(move || {
                        let res = Client::new(base).post(
                            "/v1/auth/token",
                            None,
                            &json!({"grant_type": "password", "username": email,
                                    "password": password}),
                        );
                        (res.status, *expected)
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for (status, expected) in answers {
            assert_eq!(status, expected);
        }
    });
}
