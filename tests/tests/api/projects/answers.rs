//! The questions about access: `GET …/access/{user_id}` with its sources, another member's
//! projects (`user_id=`), `authorize` with a project, and that none of them names a private
//! project to a caller it is 404 to.
use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, Res, TestApp};
use serde_json::{json, Value};

use super::setup::{
    access_path, accessible, accessible_where, acme, grant, id_of, join_team, pairs, project_path,
    projects_path, sorted_sources,
};
use crate::support::access::add_member;

fn the_access_answer_names_its_sources(app: &TestApp) {
    let acme = acme(app);
    join_team(app, &acme.owner, "acme", "backend", &acme.member);
    join_team(app, &acme.owner, "acme", "backend", &acme.viewer);
    grant(app, &acme.owner, "acme", "website", "backend", "writer");
    let ask = |token: &str, project: &str, user: &str| {
        app.client
            .get(&access_path("acme", project, user), Some(token))
    };

    let member = ask(&acme.member.token, "website", &acme.member.id);
    assert_eq!(member.status, 200, "{}", member.text);
    assert_eq!(member.body["access"], "writer");
    assert_eq!(
        sorted_sources(&member.body),
        ["team:backend:writer", "visibility:organization"]
    );
    let admin = ask(&acme.owner.token, "website", &acme.admin.id);
    assert_eq!(admin.body["access"], "owner");
    assert_eq!(
        sorted_sources(&admin.body),
        ["role:admin", "visibility:organization"]
    );
    let owner = ask(&acme.owner.token, "secret", &acme.owner.id);
    assert_eq!(
        owner.body,
        json!({"access": "owner", "sources": ["role:owner"]})
    );
    let none = ask(&acme.owner.token, "secret", &acme.member.id);
    assert_eq!(none.status, 200, "{}", none.text);
    assert_eq!(none.body, json!({"access": null, "sources": []}));

    // Someone who is not a member, or no one at all: no access, no sources.
    let stranger = app.sign_up("stranger");
    for user in [stranger.id.clone(), uuid::Uuid::now_v7().to_string()] {
        let res = ask(&acme.owner.token, "website", &user);
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body, json!({"access": null, "sources": []}));
    }

    // Asking about someone else takes members:read: the member may, the viewer may not,
    // though both may ask about themselves.
    let about_viewer = ask(&acme.member.token, "website", &acme.viewer.id);
    assert_eq!(about_viewer.status, 200, "{}", about_viewer.text);
    assert_eq!(about_viewer.body["access"], "writer");
    let own = ask(&acme.viewer.token, "website", &acme.viewer.id);
    assert_eq!(own.status, 200, "{}", own.text);
    assert_problem(
        &ask(&acme.viewer.token, "website", &acme.member.id),
        403,
        "forbidden",
    );
    // A project the caller cannot reach is 404, whoever it asks about.
    assert_problem(
        &ask(&acme.member.token, "secret", &acme.member.id),
        404,
        "not-found",
    );
}

fn another_members_projects_are_listed_with_members_read(app: &TestApp) {
    let acme = acme(app);
    join_team(app, &acme.owner, "acme", "backend", &acme.member);
    join_team(app, &acme.owner, "acme", "frontend", &acme.viewer);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");
    grant(app, &acme.owner, "acme", "payments", "frontend", "owner");

    let member_query = format!("&user_id={}", acme.member.id);
    assert_eq!(
        accessible_where(app, &acme.owner.token, "acme", &member_query),
        pairs(&[("gateway", "writer"), ("website", "reader")])
    );
    assert_eq!(
        accessible_where(
            app,
            &acme.owner.token,
            "acme",
            &format!("&user_id={}", acme.viewer.id)
        ),
        pairs(&[("payments", "owner"), ("website", "reader")])
    );
    // A member holds members:read and may ask about the viewer. (Whether it then sees
    // `payments`, which is 404 to the member itself, is left open here.)
    let of_viewer = accessible_where(
        app,
        &acme.member.token,
        "acme",
        &format!("&user_id={}", acme.viewer.id),
    );
    assert!(
        of_viewer.contains(&("website".to_owned(), "reader".to_owned())),
        "{of_viewer:?}"
    );
    // Someone who is not a member reaches nothing.
    let stranger = app.sign_up("stranger");
    assert!(accessible_where(
        app,
        &acme.owner.token,
        "acme",
        &format!("&user_id={}", stranger.id)
    )
    .is_empty());

    // A viewer does not hold members:read (nor projects:read).
    assert_problem(
        &app.client.get(
            &format!("{}?user_id={}", projects_path("acme"), acme.member.id),
            Some(&acme.viewer.token),
        ),
        403,
        "forbidden",
    );
    // A member without members:read through a custom role may list its own, not another's.
    let role = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&acme.owner.token),
        &json!({"key": "project-reader", "name": "Project reader", "permissions": ["projects:read"]}),
    );
    assert_eq!(role.status, 201, "{}", role.text);
    let reader = app.sign_up("reader");
    add_member(app, &acme.owner, "acme", &reader, "project-reader");
    assert_eq!(
        accessible(app, &reader.token, "acme"),
        pairs(&[("website", "reader")])
    );
    assert_problem(
        &app.client.get(
            &format!("{}?user_id={}", projects_path("acme"), acme.member.id),
            Some(&reader.token),
        ),
        403,
        "forbidden",
    );
}

fn ask_authorize(app: &TestApp, token: &str, body: Value) -> Res {
    app.client
        .post("/v1/organizations/acme/authorize", Some(token), &body)
}

fn authorize_answers_about_a_project_too(app: &TestApp) {
    let acme = acme(app);
    join_team(app, &acme.owner, "acme", "backend", &acme.member);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");
    let member = &acme.member;

    // Default project_access is reader.
    let res = ask_authorize(
        app,
        &member.token,
        json!({"permissions": ["projects:read"], "project": "gateway"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body,
        json!({"allowed": true, "results": {"projects:read": true},
               "project": {"access": "writer", "allowed": true}})
    );
    let gateway = app
        .client
        .get(&project_path("acme", "gateway"), Some(&member.token));
    let by_id = ask_authorize(
        app,
        &member.token,
        json!({"permissions": ["projects:read"], "project": id_of(&gateway.body),
               "project_access": "writer"}),
    );
    assert_eq!(by_id.body["allowed"], true, "{}", by_id.text);
    assert_eq!(
        by_id.body["project"],
        json!({"access": "writer", "allowed": true})
    );

    // The project access alone can deny, and so can a permission alone.
    let too_high = ask_authorize(
        app,
        &member.token,
        json!({"permissions": ["projects:read"], "project": "gateway", "project_access": "owner"}),
    );
    assert_eq!(
        too_high.body,
        json!({"allowed": false, "results": {"projects:read": true},
               "project": {"access": "writer", "allowed": false}})
    );
    let permission_missing = ask_authorize(
        app,
        &member.token,
        json!({"permissions": ["projects:write"], "project": "gateway"}),
    );
    assert_eq!(permission_missing.body["allowed"], false);
    assert_eq!(
        permission_missing.body["project"],
        json!({"access": "writer", "allowed": true})
    );

    // About someone else (members:read): the owner asks about the member.
    let about = ask_authorize(
        app,
        &acme.owner.token,
        json!({"user_id": member.id, "permissions": ["organization:read"], "project": "secret"}),
    );
    assert_eq!(about.status, 200, "{}", about.text);
    assert_eq!(about.body["allowed"], false);
    assert_eq!(
        about.body["project"],
        json!({"access": null, "allowed": false})
    );
    let visible = ask_authorize(
        app,
        &acme.owner.token,
        json!({"user_id": member.id, "permissions": ["members:read"], "project": "website",
               "project_access": "reader"}),
    );
    assert_eq!(visible.body["allowed"], true, "{}", visible.text);
    assert_eq!(
        visible.body["project"],
        json!({"access": "reader", "allowed": true})
    );
    let owner_self = ask_authorize(
        app,
        &acme.owner.token,
        json!({"permissions": ["organization:read"], "project": "secret", "project_access": "owner"}),
    );
    assert_eq!(
        owner_self.body["project"],
        json!({"access": "owner", "allowed": true})
    );

    // Without a project the answer is as before; an unknown project or level is 422.
    let plain = ask_authorize(
        app,
        &member.token,
        json!({"permissions": ["projects:read"]}),
    );
    assert_eq!(
        plain.body,
        json!({"allowed": true, "results": {"projects:read": true}})
    );
    let unknown = ask_authorize(
        app,
        &acme.owner.token,
        json!({"permissions": ["organization:read"], "project": "nothing-here"}),
    );
    assert_field_error(&unknown, "project", "not_found");
    let bad_level = ask_authorize(
        app,
        &acme.owner.token,
        json!({"permissions": ["organization:read"], "project": "gateway", "project_access": "admin"}),
    );
    assert_problem(&bad_level, 422, "validation");
    assert_eq!(
        bad_level.error_fields(),
        ["project_access"],
        "{}",
        bad_level.text
    );
}

/// A private project the caller has no access to is 404 to it, so nothing else names it
/// either: not a team's list of grants, not `authorize` (which answers as for a project that
/// does not exist).
fn a_private_project_stays_unknown_to_members_without_access(app: &TestApp) {
    let acme = acme(app);
    grant(app, &acme.owner, "acme", "secret", "frontend", "owner");
    grant(app, &acme.owner, "acme", "website", "frontend", "writer");
    let secret = app
        .client
        .get(&project_path("acme", "secret"), Some(&acme.owner.token));
    let secret_id = id_of(&secret.body);
    let team_grants = "/v1/organizations/acme/teams/frontend/projects";
    let by_owner = app.client.get(team_grants, Some(&acme.owner.token));
    assert!(by_owner.text.contains(&secret_id), "{}", by_owner.text);

    let member = &acme.member;
    assert_problem(
        &app.client
            .get(&project_path("acme", "secret"), Some(&member.token)),
        404,
        "not-found",
    );
    // Both leaks are gathered, so that one failure shows each.
    let mut leaks = Vec::new();
    let by_member = app.client.get(team_grants, Some(&member.token));
    assert_eq!(by_member.status, 200, "{}", by_member.text);
    assert!(
        by_member.text.contains("website"),
        "what the member can read is listed: {}",
        by_member.text
    );
    if by_member.text.contains(&secret_id) || by_member.text.contains("\"secret\"") {
        leaks.push(format!(
            "a team's grants name a project that is 404 to the caller: {}",
            by_member.text
        ));
    }

    let ask = |project: &str| {
        app.client.post(
            "/v1/organizations/acme/authorize",
            Some(&member.token),
            &json!({"permissions": ["organization:read"], "project": project}),
        )
    };
    let hidden = ask("secret");
    let missing = ask("nothing-here");
    if (hidden.status, &hidden.body) != (missing.status, &missing.body) {
        leaks.push(format!(
            "authorize tells a hidden project ({} {}) from a missing one ({} {})",
            hidden.status, hidden.text, missing.status, missing.text
        ));
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

backend_tests!(
    the_access_answer_names_its_sources,
    another_members_projects_are_listed_with_members_read,
    authorize_answers_about_a_project_too,
    a_private_project_stays_unknown_to_members_without_access,
);
