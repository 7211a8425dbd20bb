//! Access that does not come from teams: a custom role holding `projects:write`, a platform
//! admin, API keys (which have no teams), and a member who leaves (and so leaves its teams).
use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_admin, TestApp};
use serde_json::json;

use super::setup::{
    access_path, access_to, accessible, acme, create_project, every_project_as_owner, grant,
    join_team, pairs, patch_description, project_path, projects_path, sorted_sources,
};
use crate::support::access::{add_member, member_path, org_key, personal_key};

fn api_keys_have_no_teams(app: &TestApp) {
    let acme = acme(app);
    // The admin is in backend, which writes gateway; the member too.
    join_team(app, &acme.owner, "acme", "backend", &acme.admin);
    join_team(app, &acme.owner, "acme", "backend", &acme.member);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");

    let (_, admin_key) = org_key(app, &acme.owner, "acme", "admin", &[]);
    assert_eq!(
        accessible(app, &admin_key, "acme"),
        every_project_as_owner()
    );
    assert_eq!(patch_description(app, &admin_key, "secret").status, 200);

    // A member key made by the admin (who is in backend) holds only what a member's role
    // gives: reader on organization-visible projects.
    let (_, member_key) = org_key(app, &acme.admin, "acme", "member", &[]);
    assert_eq!(
        accessible(app, &member_key, "acme"),
        pairs(&[("website", "reader")])
    );
    assert_eq!(access_to(app, &member_key, "acme", "gateway"), None);
    assert_problem(
        &patch_description(app, &member_key, "website"),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.post(
            &projects_path("acme"),
            Some(&member_key),
            &json!({"name": "by-key"}),
        ),
        403,
        "forbidden",
    );

    // A personal key acts as its user, but without the user's teams.
    let (_, personal) = personal_key(app, &acme.member);
    assert_eq!(
        access_to(app, &acme.member.token, "acme", "gateway").as_deref(),
        Some("writer")
    );
    assert_eq!(access_to(app, &personal, "acme", "gateway"), None);
    assert_eq!(
        access_to(app, &personal, "acme", "website").as_deref(),
        Some("reader")
    );
    assert_eq!(
        accessible(app, &personal, "acme"),
        pairs(&[("website", "reader")])
    );
}

fn a_custom_role_with_projects_write_makes_owners_by_that_role(app: &TestApp) {
    let acme = acme(app);
    let role = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&acme.owner.token),
        &json!({"key": "project-admin", "name": "Project admin",
                "permissions": ["projects:read", "projects:write"]}),
    );
    assert_eq!(role.status, 201, "{}", role.text);
    let lead = app.sign_up("lead");
    add_member(app, &acme.owner, "acme", &lead, "project-admin");
    assert_eq!(
        accessible(app, &lead.token, "acme"),
        every_project_as_owner()
    );
    let secret = app
        .client
        .get(&access_path("acme", "secret", &lead.id), Some(&lead.token));
    assert_eq!(
        secret.body,
        json!({"access": "owner", "sources": ["role:project-admin"]})
    );
    let website = app
        .client
        .get(&access_path("acme", "website", &lead.id), Some(&lead.token));
    assert_eq!(
        sorted_sources(&website.body),
        ["role:project-admin", "visibility:organization"]
    );
    create_project(app, &lead.token, "acme", json!({"name": "by-lead"}));
}

fn leaving_the_organization_ends_access_through_its_teams(app: &TestApp) {
    let acme = acme(app);
    let member = &acme.member;
    join_team(app, &acme.owner, "acme", "backend", member);
    grant(app, &acme.owner, "acme", "gateway", "backend", "writer");
    assert_eq!(
        access_to(app, &member.token, "acme", "gateway").as_deref(),
        Some("writer")
    );
    let left = app
        .client
        .delete(&member_path("acme", &member.id), Some(&member.token));
    assert_eq!(left.status, 204, "{}", left.text);
    let about = app.client.get(
        &access_path("acme", "gateway", &member.id),
        Some(&acme.owner.token),
    );
    assert_eq!(about.body, json!({"access": null, "sources": []}));
    assert_problem(
        &app.client
            .get(&project_path("acme", "website"), Some(&member.token)),
        404,
        "not-found",
    );
    // Back in the organization, but in none of its teams: only what every member reads.
    add_member(app, &acme.owner, "acme", member, "member");
    assert_eq!(access_to(app, &member.token, "acme", "gateway"), None);
    assert_eq!(
        accessible(app, &member.token, "acme"),
        pairs(&[("website", "reader")])
    );
}

#[test]
fn a_platform_admin_owns_every_project_as_platform_admin() {
    with_admin(&[], |app, admin| {
        let acme = acme(app);
        assert_eq!(
            accessible(app, &admin.token, "acme"),
            every_project_as_owner()
        );
        let own = app.client.get(
            &access_path("acme", "secret", &admin.id),
            Some(&admin.token),
        );
        assert_eq!(own.status, 200, "{}", own.text);
        assert_eq!(
            own.body,
            json!({"access": "owner", "sources": ["platform_admin"]})
        );
        // Asked by someone else, a platform admin who is not a member holds nothing here.
        let asked = app.client.get(
            &access_path("acme", "secret", &admin.id),
            Some(&acme.owner.token),
        );
        assert_eq!(asked.body, json!({"access": null, "sources": []}));
    });
}

backend_tests!(
    api_keys_have_no_teams,
    a_custom_role_with_projects_write_makes_owners_by_that_role,
    leaving_the_organization_ends_access_through_its_teams,
);
