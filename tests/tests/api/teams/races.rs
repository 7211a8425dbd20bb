//! Teams under concurrency: requests that race each other end in one of their allowed answers
//! (never a 500), and never leave a grant to a deleted team, a team membership of someone who
//! left the organization, or more teams or projects than the limits allow.

use std::sync::Barrier;
use std::thread;

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_admin, Res, TestApp, TestUser};
use serde_json::json;

use super::requests::{
    add_to_team, create_project, create_team, events_of, grants_of, id_of, is_about, member_count,
    put_grant, set_limits, team_member_ids, team_path,
};
use crate::support::access::{add_member, member_path, staffed_org};

const ROUNDS: usize = 6;

/// Runs `action(0)`, …, `action(n - 1)` each in its own thread, all released at once; returns
/// their answers in that order.
fn at_once(n: usize, action: impl Fn(usize) -> Res + Sync) -> Vec<Res> {
    let barrier = Barrier::new(n);
    thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, action) = (&barrier, &action);
                s.spawn(move || {
                    barrier.wait();
                    action(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn statuses(answers: &[Res]) -> Vec<u16> {
    answers.iter().map(|r| r.status).collect()
}

fn two_grants_of_one_team_at_once_make_one(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let team = create_team(app, &owner, "acme", "backend");
    for round in 0..ROUNDS {
        let project = format!("p{round}");
        create_project(app, &owner, "acme", &project);
        let put = || put_grant(app, &owner.token, "acme", &project, "backend", "writer");
        let answers = at_once(2, |_| put());
        let mut got = statuses(&answers);
        got.sort_unstable();
        assert_eq!(got, [200, 201], "round {round}: {answers:?}");
        for answer in &answers {
            assert_eq!(answer.body["access"], "writer", "{}", answer.text);
        }
        assert_eq!(
            grants_of(app, &owner, "acme", &project),
            [(id_of(&team), "backend".to_owned(), "writer".to_owned())],
            "round {round}"
        );
    }
    let granted = events_of(app, &owner, "acme", "project_access.granted");
    assert_eq!(
        granted.len(),
        ROUNDS,
        "one grant recorded per project: {granted:?}"
    );
}

fn a_team_deleted_while_being_granted_leaves_no_grant(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    create_project(app, &owner, "acme", "website");
    for round in 0..ROUNDS * 2 {
        let name = format!("t{round}");
        let team = id_of(&create_team(app, &owner, "acme", &name));
        let delete = || {
            app.client
                .delete(&team_path("acme", &name), Some(&owner.token))
        };
        let put = || put_grant(app, &owner.token, "acme", "website", &team, "reader");
        let answers = at_once(2, |i| if i == 0 { delete() } else { put() });
        assert_eq!(answers[0].status, 204, "round {round}: {}", answers[0].text);
        match answers[1].status {
            201 => {}
            404 => assert_problem(&answers[1], 404, "not-found"),
            other => panic!(
                "round {round}: the grant answered {other}: {}",
                answers[1].text
            ),
        }
        assert_eq!(
            app.client
                .get(&team_path("acme", &team), Some(&owner.token))
                .status,
            404
        );
        let left: Vec<_> = grants_of(app, &owner, "acme", "website")
            .into_iter()
            .filter(|(id, _, _)| *id == team)
            .collect();
        assert!(
            left.is_empty(),
            "round {round}: a grant to a deleted team: {left:?}"
        );
        // And the team's own view agrees: 404, not an empty list.
        let projects = app.client.get(
            &format!("{}/projects", team_path("acme", &team)),
            Some(&owner.token),
        );
        assert_eq!(projects.status, 404, "{}", projects.text);
    }
    assert!(grants_of(app, &owner, "acme", "website").is_empty());
}

fn leaving_the_organization_while_being_added_to_a_team_leaves_no_stray(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let team = id_of(&create_team(app, &owner, "acme", "backend"));
    for round in 0..ROUNDS * 2 {
        let person = app.sign_up(&format!("p{round}"));
        add_member(app, &owner, "acme", &person, "member");
        let leave = || {
            app.client
                .delete(&member_path("acme", &person.id), Some(&person.token))
        };
        let add = || add_to_team(app, &owner, "acme", "backend", &person.id, "member");
        let answers = at_once(2, |i| if i == 0 { leave() } else { add() });
        assert_eq!(answers[0].status, 204, "round {round}: {}", answers[0].text);
        match answers[1].status {
            201 => {}
            422 => assert_problem(&answers[1], 422, "not-an-organization-member"),
            other => panic!(
                "round {round}: adding answered {other}: {}",
                answers[1].text
            ),
        }
        assert!(
            !team_member_ids(app, &owner, "acme", "backend").contains(&person.id),
            "round {round}: a team membership outlived the organization membership"
        );
        // Every addition that happened has its removal.
        let added = events_of(app, &owner, "acme", "team_member.added")
            .iter()
            .filter(|e| is_about(e, &team, &person.id))
            .count();
        let removed = events_of(app, &owner, "acme", "team_member.removed")
            .iter()
            .filter(|e| is_about(e, &team, &person.id))
            .count();
        assert_eq!(
            added,
            usize::from(answers[1].status == 201),
            "round {round}"
        );
        assert_eq!(removed, added, "round {round}");
    }
    assert_eq!(member_count(app, &owner, "acme", "backend"), 0);
}

/// The same race through account deletion, the other way out of every organization at once.
fn deleting_an_account_while_being_added_to_a_team_leaves_no_stray(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    create_team(app, &owner, "acme", "backend");
    for round in 0..ROUNDS {
        let person = app.sign_up(&format!("p{round}"));
        add_member(app, &owner, "acme", &person, "member");
        let answers = at_once(2, |i| {
            if i == 0 {
                app.client.send_with(
                    "DELETE",
                    "/v1/users/me",
                    Some(&person.token),
                    &[],
                    Some(&json!({"password": person.password})),
                )
            } else {
                add_to_team(app, &owner, "acme", "backend", &person.id, "member")
            }
        });
        assert_eq!(answers[0].status, 204, "round {round}: {}", answers[0].text);
        match answers[1].status {
            201 => {}
            422 => assert_problem(&answers[1], 422, "not-an-organization-member"),
            other => panic!(
                "round {round}: adding answered {other}: {}",
                answers[1].text
            ),
        }
        assert!(
            !team_member_ids(app, &owner, "acme", "backend").contains(&person.id),
            "round {round}: a deleted account is still in the team"
        );
    }
    assert_eq!(member_count(app, &owner, "acme", "backend"), 0);
}

fn two_additions_of_one_person_at_once_make_one(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    create_team(app, &owner, "acme", "backend");
    for round in 0..ROUNDS {
        let person = app.sign_up(&format!("p{round}"));
        add_member(app, &owner, "acme", &person, "member");
        let answers = at_once(2, |i| {
            let by = if i == 0 { &owner } else { admin };
            add_to_team(app, by, "acme", "backend", &person.id, "member")
        });
        let mut got = statuses(&answers);
        got.sort_unstable();
        assert_eq!(got, [201, 409], "round {round}: {answers:?}");
    }
    assert_eq!(member_count(app, &owner, "acme", "backend"), ROUNDS as u64);
    assert_eq!(
        team_member_ids(app, &owner, "acme", "backend").len(),
        ROUNDS
    );
}

fn create_burst(app: &TestApp, by: &TestUser, what: &str, prefix: &str) -> Vec<Res> {
    let path = format!("/v1/organizations/acme/{what}");
    at_once(6, |i| {
        let body = json!({"name": format!("{prefix}{i}")});
        app.client.post(&path, Some(&by.token), &body)
    })
}

/// Six teams and six projects created at once in an organization with room for two of each:
/// two of each are made, the others are 409 naming the limit, and usage shows both.
#[test]
fn bursts_of_creates_never_pass_the_team_and_project_limits() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        set_limits(
            app,
            admin,
            "acme",
            json!({"max_teams": 2, "max_projects": 2}),
        );
        let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
        assert_eq!(org.body["limits"]["max_teams"], 2, "{}", org.text);
        assert_eq!(org.body["limits"]["max_projects"], 2, "{}", org.text);

        for (what, prefix, kind) in [
            ("teams", "team", "max-teams-reached"),
            ("projects", "project", "max-projects-reached"),
        ] {
            let answers = create_burst(app, &owner, what, prefix);
            let got = statuses(&answers);
            assert_eq!(
                got.iter().filter(|s| **s == 201).count(),
                2,
                "{what}: {got:?}"
            );
            assert_eq!(
                got.iter().filter(|s| **s == 409).count(),
                4,
                "{what}: {got:?}"
            );
            for answer in answers.iter().filter(|a| a.status == 409) {
                assert_problem(answer, 409, kind);
            }
            let listed = app.client.get(
                &format!("/v1/organizations/acme/{what}"),
                Some(&owner.token),
            );
            assert_eq!(
                listed.body["data"].as_array().unwrap().len(),
                2,
                "{}",
                listed.text
            );
        }
        let usage = app
            .client
            .get("/v1/organizations/acme/usage", Some(&owner.token));
        assert_eq!(usage.status, 200, "{}", usage.text);
        assert_eq!(
            usage.body["teams"],
            json!({"used": 2, "limit": 2}),
            "{}",
            usage.text
        );
        assert_eq!(
            usage.body["projects"],
            json!({"used": 2, "limit": 2}),
            "{}",
            usage.text
        );

        // A deleted team frees its place; without a limit, usage says null.
        let teams = app
            .client
            .get("/v1/organizations/acme/teams", Some(&owner.token));
        let first = teams.body["data"][0]["name"].as_str().unwrap().to_owned();
        assert_eq!(
            app.client
                .delete(&team_path("acme", &first), Some(&owner.token))
                .status,
            204
        );
        create_team(app, &owner, "acme", "replacement");
        assert_problem(
            &app.client.post(
                "/v1/organizations/acme/teams",
                Some(&owner.token),
                &json!({"name": "one-too-many"}),
            ),
            409,
            "max-teams-reached",
        );
        let (other, _) = staffed_org(app, "globex", &[]);
        create_team(app, &other, "globex", "free");
        let free = app
            .client
            .get("/v1/organizations/globex/usage", Some(&other.token));
        assert_eq!(
            free.body["teams"],
            json!({"used": 1, "limit": null}),
            "{}",
            free.text
        );
        assert_eq!(free.body["projects"], json!({"used": 0, "limit": null}));
    });
}

backend_tests!(
    two_grants_of_one_team_at_once_make_one,
    a_team_deleted_while_being_granted_leaves_no_grant,
    leaving_the_organization_while_being_added_to_a_team_leaves_no_stray,
    deleting_an_account_while_being_added_to_a_team_leaves_no_stray,
    two_additions_of_one_person_at_once_make_one,
);
