//! Platform-admin changes racing the writes that lock the same users: nothing deadlocks into a
//! 500, and the last-admin rule holds.

use roster_tests::{with_admin, Client, TestUser};
use serde_json::json;

/// `PATCH /v1/users/{id} {"is_admin": …}` takes the admins' rows; creating an organization
/// with `members` takes the same users' rows for its foreign keys. Run both at once, many
/// times, in both directions: every answer is a success, never a deadlock's 500.
#[test]
fn admin_changes_racing_organization_creates_never_fail() {
    with_admin(&[], |app, root| {
        let deputy = app.sign_up("deputy");
        let res = app.client.patch(
            &format!("/v1/users/{}", deputy.id),
            Some(&root.token),
            &json!({"is_admin": true}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        const ROUNDS: usize = 60;
        let statuses: Vec<(String, u16, String)> = std::thread::scope(|scope| {
            let toggler = scope.spawn(|| {
                let client = Client::new(&app.base);
                (0..ROUNDS)
                    .map(|i| {
                        let res = client.patch(
                            &format!("/v1/users/{}", deputy.id),
                            Some(&root.token),
                            &json!({"is_admin": i % 2 == 1}),
                        );
                        ("patch".to_owned(), res.status, res.text)
                    })
                    .collect::<Vec<_>>()
            });
            let creators: Vec<_> = [(root, &deputy, "r"), (&deputy, root, "d")]
                .into_iter()
                .map(|(creator, member, tag): (&TestUser, &TestUser, &str)| {
                    scope.spawn(move || {
                        let client = Client::new(&app.base);
                        (0..ROUNDS)
                            .map(|i| {
                                let res = client.post(
                                    "/v1/organizations",
                                    Some(&creator.token),
                                    &json!({"name": format!("race-{tag}-{i}"),
                                            "members": [{"user_id": member.id, "role": "admin"}]}),
                                );
                                ("create".to_owned(), res.status, res.text)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut all = toggler.join().unwrap();
            for creator in creators {
                all.extend(creator.join().unwrap());
            }
            all
        });
        for (what, status, text) in &statuses {
            let expected = if what == "patch" { 200 } else { 201 };
            assert_eq!(*status, expected, "{what}: {text}");
        }
    });
}
