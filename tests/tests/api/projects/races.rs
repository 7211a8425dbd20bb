//! Concurrent writers: one name, one grant per team and project, the project limit, and a grant
//! racing its project's deletion. Each ends in one consistent state, never a 500.

use std::sync::Barrier;
use std::thread;

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_admin, Res, TestApp};
use serde_json::json;

use super::setup::{create_team, project, project_path, projects_path, put_grant};
use crate::support::access::staffed_org;
use crate::support::events::{organization_events, types};

/// Runs `each(i)` for `i` in `0..n` on `n` threads released together; the answers in order.
fn at_once(n: usize, each: impl Fn(usize) -> Res + Sync) -> Vec<Res> {
    let barrier = Barrier::new(n);
    thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, each) = (&barrier, &each);
                s.spawn(move || {
                    barrier.wait();
                    each(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn count(answers: &[Res], status: u16) -> usize {
    answers.iter().filter(|r| r.status == status).count()
}

fn one_name_created_at_once_makes_one_project(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let answers = at_once(8, |i| {
        app.client.post(
            &projects_path("acme"),
            Some(&owner.token),
            &json!({"name": "website", "description": format!("try {i}")}),
        )
    });
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(count(&answers, 201), 1, "{statuses:?}");
    assert_eq!(count(&answers, 409), 7, "{statuses:?}");
    let listed = app.client.get(&projects_path("acme"), Some(&owner.token));
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    let created = types(&organization_events(app, &owner, "acme"))
        .iter()
        .filter(|t| *t == "project.created")
        .count();
    assert_eq!(created, 1);
}

fn one_grant_put_at_once_is_made_once(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    create_team(app, &owner, "acme", "backend");
    project(app, &owner, "acme", "gateway", "private");
    let answers = at_once(8, |_| {
        put_grant(app, &owner.token, "acme", "gateway", "backend", "writer")
    });
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(count(&answers, 201), 1, "{statuses:?}");
    assert_eq!(count(&answers, 200), 7, "{statuses:?}");
    let grants = app.client.get(
        &format!("{}/teams", project_path("acme", "gateway")),
        Some(&owner.token),
    );
    assert_eq!(grants.body["data"].as_array().unwrap().len(), 1);
    let granted = types(&organization_events(app, &owner, "acme"))
        .iter()
        .filter(|t| t.starts_with("project_access."))
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(granted, ["project_access.granted"]);
}

/// A grant racing the deletion of its project either lands before it (and goes with it) or
/// finds no project (404): no grant outlives its project.
fn a_grant_racing_its_projects_deletion_never_outlives_it(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let teams: Vec<String> = (0..6).map(|i| format!("team-{i}")).collect();
    for team in &teams {
        create_team(app, &owner, "acme", team);
    }
    for round in 0..3 {
        project(app, &owner, "acme", "gateway", "private");
        let answers = at_once(teams.len() + 1, |i| match teams.get(i) {
            Some(team) => put_grant(app, &owner.token, "acme", "gateway", team, "reader"),
            None => app
                .client
                .delete(&project_path("acme", "gateway"), Some(&owner.token)),
        });
        let (grants, deletion) = answers.split_at(teams.len());
        assert_eq!(
            deletion[0].status, 204,
            "round {round}: {}",
            deletion[0].text
        );
        for res in grants {
            if res.status != 201 {
                assert_problem(res, 404, "not-found");
            }
        }
        for team in &teams {
            let of_team = app.client.get(
                &format!("/v1/organizations/acme/teams/{team}/projects"),
                Some(&owner.token),
            );
            assert_eq!(of_team.status, 200, "{}", of_team.text);
            assert!(
                of_team.body["data"].as_array().unwrap().is_empty(),
                "round {round}: a grant outlived its project: {}",
                of_team.text
            );
        }
    }
}

#[test]
fn a_burst_of_creations_never_passes_the_project_limit() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        project(app, &owner, "acme", "first", "private");
        let limited = app.client.patch(
            "/v1/organizations/acme",
            Some(&admin.token),
            &json!({"limits": {"max_projects": 4}}),
        );
        assert_eq!(limited.status, 200, "{}", limited.text);
        let answers = at_once(10, |i| {
            app.client.post(
                &projects_path("acme"),
                Some(&owner.token),
                &json!({"name": format!("p{i}")}),
            )
        });
        let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
        assert_eq!(count(&answers, 201), 3, "{statuses:?}");
        for res in answers.iter().filter(|r| r.status != 201) {
            assert_problem(res, 409, "max-projects-reached");
        }
        let usage = app
            .client
            .get("/v1/organizations/acme/usage", Some(&owner.token));
        assert_eq!(usage.body["projects"], json!({"used": 4, "limit": 4}));
    });
}

backend_tests!(
    one_name_created_at_once_makes_one_project,
    one_grant_put_at_once_is_made_once,
    a_grant_racing_its_projects_deletion_never_outlives_it,
);
