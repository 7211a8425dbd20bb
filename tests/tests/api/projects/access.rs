//! Who reaches a project, at which level: owner by role, each team's grant, reader for an
//! organization-visible project; the highest wins, none is 404; owners through a team change,
//! delete and grant, writers and readers do not.
use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use super::setup::{
    access_path, access_to, accessible, acme, create_team, every_project_as_owner, grant,
    grant_path, id_of, join_team, pairs, patch_description, project_path, projects_path, put_grant,
    sorted_sources,
};
use crate::support::access::add_member;

fn a_member_sees_only_projects_granted_to_its_teams_or_visible_to_the_organization(app: &TestApp) {
    let acme = acme(app);
    let member = &acme.member;
    join_team(app, &acme.owner, "acme", "backend", member);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");

    assert_eq!(
        accessible(app, &member.token, "acme"),
        pairs(&[("gateway", "writer"), ("website", "reader")])
    );
    assert_eq!(
        access_to(app, &member.token, "acme", "gateway").as_deref(),
        Some("writer")
    );
    assert_eq!(
        access_to(app, &member.token, "acme", "website").as_deref(),
        Some("reader")
    );
    for hidden in ["secret", "payments"] {
        let path = project_path("acme", hidden);
        assert_problem(
            &app.client.get(&path, Some(&member.token)),
            404,
            "not-found",
        );
        assert_problem(
            &patch_description(app, &member.token, hidden),
            404,
            "not-found",
        );
        assert_problem(
            &app.client.delete(&path, Some(&member.token)),
            404,
            "not-found",
        );
        assert_problem(
            &app.client
                .get(&format!("{path}/teams"), Some(&member.token)),
            404,
            "not-found",
        );
        assert_problem(
            &put_grant(app, &member.token, "acme", hidden, "backend", "owner"),
            404,
            "not-found",
        );
    }
    // By id it is just as hidden.
    let secret = app
        .client
        .get(&project_path("acme", "secret"), Some(&acme.owner.token));
    assert_problem(
        &app.client.get(
            &project_path("acme", &id_of(&secret.body)),
            Some(&member.token),
        ),
        404,
        "not-found",
    );
    // Seeing is not changing: a writer and a reader may read the grants, not change anything.
    for visible in ["gateway", "website"] {
        assert_problem(
            &patch_description(app, &member.token, visible),
            403,
            "forbidden",
        );
        assert_problem(
            &app.client
                .delete(&project_path("acme", visible), Some(&member.token)),
            403,
            "forbidden",
        );
        assert_problem(
            &put_grant(app, &member.token, "acme", visible, "frontend", "reader"),
            403,
            "forbidden",
        );
        let grants = app.client.get(
            &format!("{}/teams", project_path("acme", visible)),
            Some(&member.token),
        );
        assert_eq!(grants.status, 200, "{}", grants.text);
    }
    assert_problem(
        &app.client.delete(
            &grant_path("acme", "gateway", "backend"),
            Some(&member.token),
        ),
        403,
        "forbidden",
    );
    assert_eq!(
        app.client
            .get(&project_path("acme", "gateway"), Some(&acme.owner.token))
            .body["description"],
        Value::Null,
        "refusals changed nothing"
    );
    // The owner and the admin see everything, as owners.
    for boss in [&acme.owner, &acme.admin] {
        assert_eq!(
            accessible(app, &boss.token, "acme"),
            every_project_as_owner()
        );
    }
}

fn a_viewer_in_a_granted_team_gets_that_teams_access(app: &TestApp) {
    let acme = acme(app);
    let viewer = &acme.viewer;
    assert_eq!(access_to(app, &viewer.token, "acme", "gateway"), None);
    join_team(app, &acme.owner, "acme", "backend", viewer);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");
    let read = app
        .client
        .get(&project_path("acme", "gateway"), Some(&viewer.token));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["access"], "writer");
    assert_eq!(
        access_to(app, &viewer.token, "acme", "website").as_deref(),
        Some("reader")
    );
    assert_eq!(access_to(app, &viewer.token, "acme", "secret"), None);
    assert_problem(
        &patch_description(app, &viewer.token, "gateway"),
        403,
        "forbidden",
    );
    // Listing takes projects:read, which a viewer's role does not grant.
    assert_problem(
        &app.client.get(&projects_path("acme"), Some(&viewer.token)),
        403,
        "forbidden",
    );
}

fn the_highest_access_of_several_teams_wins(app: &TestApp) {
    let acme = acme(app);
    let member = &acme.member;
    join_team(app, &acme.owner, "acme", "backend", member);
    join_team(app, &acme.owner, "acme", "frontend", member);
    grant(app, &acme.owner, "acme", "payments", "backend", "reader");
    grant(app, &acme.owner, "acme", "payments", "frontend", "owner");
    assert_eq!(
        access_to(app, &member.token, "acme", "payments").as_deref(),
        Some("owner")
    );
    let answer = app.client.get(
        &access_path("acme", "payments", &member.id),
        Some(&member.token),
    );
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["access"], "owner");
    assert_eq!(
        sorted_sources(&answer.body),
        ["team:backend:reader", "team:frontend:owner"]
    );
    // Organization visibility adds reader, which changes nothing above it.
    let visible = app.client.patch(
        &project_path("acme", "payments"),
        Some(&member.token),
        &json!({"visibility": "organization"}),
    );
    assert_eq!(
        visible.status, 200,
        "an owner through a team: {}",
        visible.text
    );
    assert_eq!(visible.body["access"], "owner");

    grant(app, &acme.owner, "acme", "payments", "frontend", "writer");
    assert_eq!(
        access_to(app, &member.token, "acme", "payments").as_deref(),
        Some("writer")
    );
    grant(app, &acme.owner, "acme", "payments", "frontend", "reader");
    assert_eq!(
        access_to(app, &member.token, "acme", "payments").as_deref(),
        Some("reader")
    );
    for team in ["backend", "frontend"] {
        let revoked = app.client.delete(
            &grant_path("acme", "payments", team),
            Some(&acme.owner.token),
        );
        assert_eq!(revoked.status, 204, "{}", revoked.text);
    }
    assert_eq!(
        access_to(app, &member.token, "acme", "payments").as_deref(),
        Some("reader"),
        "still organization-visible"
    );
    let private = app.client.patch(
        &project_path("acme", "payments"),
        Some(&acme.owner.token),
        &json!({"visibility": "private"}),
    );
    assert_eq!(private.status, 200, "{}", private.text);
    assert_eq!(access_to(app, &member.token, "acme", "payments"), None);
}

fn an_owner_through_a_team_may_change_delete_and_grant(app: &TestApp) {
    let acme = acme(app);
    create_team(app, &acme.owner, "acme", "leads");
    for user in [&acme.member, &acme.viewer] {
        join_team(app, &acme.owner, "acme", "leads", user);
    }
    grant(app, &acme.owner, "acme", "gateway", "leads", "owner");
    grant(app, &acme.owner, "acme", "payments", "leads", "owner");

    // A member who owns gateway through leads changes it and grants on it.
    let member = &acme.member;
    let changed = patch_description(app, &member.token, "gateway");
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["description"], "changed");
    assert_eq!(changed.body["access"], "owner");
    let granted = put_grant(app, &member.token, "acme", "gateway", "backend", "reader");
    assert_eq!(granted.status, 201, "{}", granted.text);
    let teams = app.client.get(
        &format!("{}/teams", project_path("acme", "gateway")),
        Some(&member.token),
    );
    assert_eq!(teams.status, 200, "{}", teams.text);
    let mut granted_teams: Vec<(String, String)> = teams.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["team"]["name"].as_str().unwrap().to_owned(),
                g["access"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    granted_teams.sort();
    assert_eq!(
        granted_teams,
        pairs(&[("backend", "reader"), ("leads", "owner")])
    );
    let revoked = app.client.delete(
        &grant_path("acme", "gateway", "backend"),
        Some(&member.token),
    );
    assert_eq!(revoked.status, 204, "{}", revoked.text);

    // A viewer who owns payments through leads deletes it; neither may create projects.
    let viewer = &acme.viewer;
    let renamed = app.client.patch(
        &project_path("acme", "payments"),
        Some(&viewer.token),
        &json!({"name": "invoices"}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let deleted = app
        .client
        .delete(&project_path("acme", "invoices"), Some(&viewer.token));
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_problem(
        &app.client
            .get(&project_path("acme", "invoices"), Some(&acme.owner.token)),
        404,
        "not-found",
    );
    for user in [member, viewer] {
        assert_problem(
            &app.client.post(
                &projects_path("acme"),
                Some(&user.token),
                &json!({"name": "mine"}),
            ),
            403,
            "forbidden",
        );
        // Owning one project says nothing about another.
        assert_problem(
            &patch_description(app, &user.token, "secret"),
            404,
            "not-found",
        );
    }

    // Writers and readers through a team are refused changes.
    grant(app, &acme.owner, "acme", "secret", "backend", "writer");
    grant(app, &acme.owner, "acme", "secret", "frontend", "reader");
    let writer = app.sign_up("writer");
    let reader = app.sign_up("reader");
    for (user, team) in [(&writer, "backend"), (&reader, "frontend")] {
        add_member(app, &acme.owner, "acme", user, "viewer");
        join_team(app, &acme.owner, "acme", team, user);
        assert_problem(
            &patch_description(app, &user.token, "secret"),
            403,
            "forbidden",
        );
        assert_problem(
            &app.client
                .delete(&project_path("acme", "secret"), Some(&user.token)),
            403,
            "forbidden",
        );
        assert_problem(
            &put_grant(app, &user.token, "acme", "secret", "leads", "owner"),
            403,
            "forbidden",
        );
    }
}

fn organization_visibility_reaches_members_not_visitors_of_a_public_organization(app: &TestApp) {
    let acme = acme(app);
    let public = app.client.patch(
        "/v1/organizations/acme",
        Some(&acme.owner.token),
        &json!({"visibility": "public"}),
    );
    assert_eq!(public.status, 200, "{}", public.text);
    let visitor = app.sign_up("visitor");
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&visitor.token))
            .status,
        200,
        "the visitor sees the organization's profile"
    );
    for name in ["website", "gateway"] {
        assert_problem(
            &app.client
                .get(&project_path("acme", name), Some(&visitor.token)),
            404,
            "not-found",
        );
    }
    assert_problem(
        &app.client.get(
            &access_path("acme", "website", &visitor.id),
            Some(&visitor.token),
        ),
        404,
        "not-found",
    );
    assert_ne!(
        app.client
            .get(&projects_path("acme"), Some(&visitor.token))
            .status,
        200,
        "a visitor lists no projects"
    );
    let about_visitor = app.client.get(
        &access_path("acme", "website", &visitor.id),
        Some(&acme.owner.token),
    );
    assert_eq!(about_visitor.status, 200, "{}", about_visitor.text);
    assert_eq!(about_visitor.body, json!({"access": null, "sources": []}));
    assert_eq!(
        access_to(app, &acme.member.token, "acme", "website").as_deref(),
        Some("reader")
    );
}

backend_tests!(
    a_member_sees_only_projects_granted_to_its_teams_or_visible_to_the_organization,
    a_viewer_in_a_granted_team_gets_that_teams_access,
    the_highest_access_of_several_teams_wins,
    an_owner_through_a_team_may_change_delete_and_grant,
    organization_visibility_reaches_members_not_visitors_of_a_public_organization,
);
