//! Teams and projects stay inside their organization: nothing of another organization is
//! reached through this one's paths (by id or by name, even where the names are the same), no
//! cursor crosses over, and no team is granted another organization's project. Organizations
//! filter on having projects; usage counts teams and projects.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, with_admin, Res, TestApp, TestUser};
use serde_json::{json, Value};

use super::setup::{
    access_path, create_team, entries, grant, grant_path, id_of, join_team, project, project_path,
    projects_path, put_grant,
};
use crate::support::access::{org_key, staffed_org};
use crate::support::organizations::listed_names;

/// An organization `name` with a member, teams `backend` and `ops` (the member in both),
/// projects `gateway` and `only-<name>` (private), `backend` writing gateway.
struct Tenant {
    owner: TestUser,
    member: TestUser,
    org_id: String,
    backend: String,
    ops: String,
    gateway: String,
    only: String,
}

fn tenant(app: &TestApp, name: &str) -> Tenant {
    let (owner, staff) = staffed_org(app, name, &["member"]);
    let member = staff.into_iter().next().unwrap();
    let org_id = id_of(
        &app.client
            .get(&format!("/v1/organizations/{name}"), Some(&owner.token))
            .body,
    );
    let backend = id_of(&create_team(app, &owner, name, "backend"));
    let ops = id_of(&create_team(app, &owner, name, "ops"));
    join_team(app, &owner, name, "backend", &member);
    join_team(app, &owner, name, "ops", &member);
    let gateway = id_of(&project(app, &owner, name, "gateway", "private"));
    let only = id_of(&project(
        app,
        &owner,
        name,
        &format!("only-{name}"),
        "organization",
    ));
    grant(app, &owner, name, "gateway", "backend", "writer");
    Tenant {
        owner,
        member,
        org_id,
        backend,
        ops,
        gateway,
        only,
    }
}

fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Res {
    app.client
        .send_with("PUT", path, Some(token), &[], Some(body))
}

fn nothing_of_another_organization_is_reached_through_teams_or_projects(app: &TestApp) {
    let alpha = tenant(app, "alpha");
    let beta = tenant(app, "beta");
    let (_, alpha_key) = org_key(app, &alpha.owner, "alpha", "admin", &[]);
    let alice = &alpha.owner;

    for credential in [alice.token.as_str(), alpha_key.as_str()] {
        // Beta's ids (and beta-only names) through alpha's paths name nothing.
        let teams = "/v1/organizations/alpha/teams";
        for path in [
            project_path("alpha", &beta.gateway),
            project_path("alpha", &beta.only),
            project_path("alpha", "only-beta"),
            format!("{}/teams", project_path("alpha", &beta.gateway)),
            access_path("alpha", &beta.gateway, &alpha.member.id),
            format!("{teams}/{}", beta.backend),
            format!("{teams}/{}", beta.ops),
            format!("{teams}/{}/members", beta.backend),
            format!("{teams}/{}/projects", beta.ops),
        ] {
            assert_problem(&app.client.get(&path, Some(credential)), 404, "not-found");
        }
        let body = json!({"description": "hijacked"});
        for path in [
            project_path("alpha", &beta.gateway),
            format!("{teams}/{}", beta.backend),
        ] {
            assert_problem(
                &app.client.patch(&path, Some(credential), &body),
                404,
                "not-found",
            );
            assert_problem(
                &app.client.delete(&path, Some(credential)),
                404,
                "not-found",
            );
        }
        // No grant across: alpha's project with beta's team, beta's project with alpha's
        // team, by id or by the name both organizations use.
        for (project, team) in [
            ("gateway".to_owned(), beta.backend.clone()),
            (alpha.gateway.clone(), beta.backend.clone()),
            (beta.gateway.clone(), alpha.backend.clone()),
            (beta.gateway.clone(), "backend".to_owned()),
            (beta.only.clone(), alpha.ops.clone()),
        ] {
            let path = grant_path("alpha", &project, &team);
            assert_problem(
                &put(app, &path, credential, &json!({"access": "owner"})),
                404,
                "not-found",
            );
            assert_problem(
                &app.client.delete(&path, Some(credential)),
                404,
                "not-found",
            );
        }
        // Beta's members are no members of alpha's teams.
        let member_path = format!("{teams}/backend/members/{}", beta.member.id);
        assert_problem(
            &app.client.patch(
                &member_path,
                Some(credential),
                &json!({"role": "maintainer"}),
            ),
            404,
            "not-found",
        );
        assert_problem(
            &app.client.delete(&member_path, Some(credential)),
            404,
            "not-found",
        );
        let add = app.client.post(
            &format!("{teams}/backend/members"),
            Some(credential),
            &json!({"user_id": beta.member.id, "role": "member"}),
        );
        assert_problem(&add, 422, "not-an-organization-member");
        // Beta's own paths are as closed to alpha as beta itself.
        for org in ["beta", beta.org_id.as_str()] {
            for path in [
                projects_path(org),
                project_path(org, "gateway"),
                project_path(org, &beta.gateway),
                format!("/v1/organizations/{org}/teams"),
                format!("/v1/organizations/{org}/teams/backend/projects"),
            ] {
                assert_problem(&app.client.get(&path, Some(credential)), 404, "not-found");
            }
            assert_problem(
                &put(
                    app,
                    &grant_path(org, "gateway", &alpha.backend),
                    credential,
                    &json!({"access": "owner"}),
                ),
                404,
                "not-found",
            );
        }
        // Alpha's access answer knows no beta member; authorize knows no beta project.
        let about = app.client.get(
            &access_path("alpha", "gateway", &beta.member.id),
            Some(credential),
        );
        assert_eq!(about.status, 200, "{}", about.text);
        assert_eq!(about.body, json!({"access": null, "sources": []}));
        let asked = app.client.post(
            "/v1/organizations/alpha/authorize",
            Some(credential),
            &json!({"permissions": ["organization:read"], "project": beta.gateway}),
        );
        assert_field_error(&asked, "project", "not_found");
    }

    // Beta's owner cannot reach across either: alpha's team on beta's project, by id.
    let bob = &beta.owner;
    for (project, team) in [
        ("gateway".to_owned(), alpha.backend.clone()),
        (beta.gateway.clone(), alpha.ops.clone()),
        (alpha.gateway.clone(), "backend".to_owned()),
    ] {
        assert_problem(
            &put_grant(app, &bob.token, "beta", &project, &team, "reader"),
            404,
            "not-found",
        );
    }

    // Nothing of beta changed, and alpha's lists hold nothing of beta.
    let beta_gateway = app
        .client
        .get(&project_path("beta", "gateway"), Some(&bob.token));
    assert_eq!(beta_gateway.body["description"], Value::Null);
    let beta_grants = app.client.get(
        &format!("{}/teams", project_path("beta", "gateway")),
        Some(&bob.token),
    );
    assert_eq!(entries(&beta_grants.body).len(), 1, "{}", beta_grants.text);
    assert_eq!(
        beta_grants.body["data"][0]["team"]["id"],
        beta.backend.as_str()
    );
    assert_eq!(beta_grants.body["data"][0]["access"], "writer");
    let beta_team = app
        .client
        .get("/v1/organizations/beta/teams/backend", Some(&bob.token));
    assert_eq!(beta_team.body["member_count"], 1, "{}", beta_team.text);
    let beta_only = [
        beta.org_id.as_str(),
        beta.backend.as_str(),
        beta.ops.as_str(),
        beta.gateway.as_str(),
        beta.only.as_str(),
        beta.member.id.as_str(),
    ];
    for path in [
        projects_path("alpha"),
        "/v1/organizations/alpha/teams".to_owned(),
        "/v1/organizations/alpha/teams/backend/projects".to_owned(),
        "/v1/organizations/alpha/teams/backend/members".to_owned(),
        format!("{}/teams", project_path("alpha", "gateway")),
        "/v1/organizations/alpha/events".to_owned(),
    ] {
        let res = app.client.get(&path, Some(&alice.token));
        assert_eq!(res.status, 200, "{path}: {}", res.text);
        for id in beta_only {
            assert!(!res.text.contains(id), "{path} shows {id} of beta");
        }
    }
    // Beta's member, in beta's teams, reaches nothing of alpha's.
    assert_problem(
        &app.client
            .get(&project_path("alpha", "gateway"), Some(&beta.member.token)),
        404,
        "not-found",
    );
    assert_eq!(
        app.client
            .get(&project_path("beta", "gateway"), Some(&beta.member.token))
            .body["access"],
        "writer"
    );
}

/// `GET path` (with another list's cursor) as `user`: 400, as for any cursor of another list.
fn assert_cursor_refused(app: &TestApp, user: &TestUser, path: &str) {
    assert_problem(&app.client.get(path, Some(&user.token)), 400, "bad-request");
}

fn cursors_of_another_organizations_lists_open_nothing(app: &TestApp) {
    let alpha = tenant(app, "alpha");
    let beta = tenant(app, "beta");
    project(app, &beta.owner, "beta", "third", "private");
    create_team(app, &beta.owner, "beta", "third");
    let bob = &beta.owner;
    let alice = &alpha.owner;
    for (list, sort) in [
        ("projects", "name"),
        ("projects", "created_at"),
        ("teams", "name"),
        ("teams", "created_at"),
    ] {
        let page = app.client.get(
            &format!("/v1/organizations/beta/{list}?sort={sort}&limit=1"),
            Some(&bob.token),
        );
        assert_eq!(page.status, 200, "{}", page.text);
        let cursor = page.body["meta"]["next_cursor"]
            .as_str()
            .unwrap_or_else(|| panic!("beta's {list} have a second page: {}", page.text));
        assert_problem(
            &app.client.get(
                &format!("/v1/organizations/beta/{list}?sort={sort}&after={cursor}"),
                Some(&alice.token),
            ),
            404,
            "not-found",
        );
        assert_cursor_refused(
            app,
            alice,
            &format!("/v1/organizations/alpha/{list}?sort={sort}&after={cursor}"),
        );
    }
    // A team's grants and a project's grants, paged in beta, open nothing in alpha.
    grant(app, bob, "beta", "gateway", "ops", "reader");
    grant(app, bob, "beta", "only-beta", "backend", "reader");
    for (beta_list, alpha_list) in [
        (
            format!("{}/teams", project_path("beta", "gateway")),
            format!("{}/teams", project_path("alpha", "gateway")),
        ),
        (
            "/v1/organizations/beta/teams/backend/projects".to_owned(),
            "/v1/organizations/alpha/teams/backend/projects".to_owned(),
        ),
    ] {
        let page = app
            .client
            .get(&format!("{beta_list}?limit=1"), Some(&bob.token));
        assert_eq!(page.status, 200, "{}", page.text);
        let cursor = page.body["meta"]["next_cursor"]
            .as_str()
            .unwrap_or_else(|| panic!("{beta_list} has a second page: {}", page.text));
        assert_cursor_refused(app, alice, &format!("{alpha_list}?after={cursor}"));
    }
}

fn organizations_filter_on_having_projects(app: &TestApp) {
    let alice = app.sign_up("alice");
    for name in ["with-one", "none", "emptied"] {
        app.create_org(&alice, name);
    }
    project(app, &alice, "with-one", "gateway", "private");
    project(app, &alice, "emptied", "gateway", "private");
    let emptied = app
        .client
        .delete(&project_path("emptied", "gateway"), Some(&alice.token));
    assert_eq!(emptied.status, 204);
    // Another's projects count for nobody else's organizations; a team is no project.
    let bob = app.sign_up("bob");
    app.create_org(&bob, "bobs");
    project(app, &bob, "bobs", "gateway", "private");
    create_team(app, &alice, "none", "backend");

    let all = ["emptied", "none", "with-one"];
    assert_eq!(listed_names(app, &alice, "sort=name"), all);
    assert_eq!(
        listed_names(app, &alice, "sort=name&without_projects=include"),
        all
    );
    assert_eq!(
        listed_names(app, &alice, "sort=name&without_projects=only"),
        ["emptied", "none"]
    );
    assert_eq!(
        listed_names(app, &alice, "sort=name&without_projects=exclude"),
        ["with-one"]
    );
    assert_eq!(
        listed_names(app, &bob, "sort=name&without_projects=only"),
        Vec::<String>::new()
    );
    assert_problem(
        &app.client.get(
            "/v1/organizations?without_projects=maybe",
            Some(&alice.token),
        ),
        400,
        "bad-request",
    );
}

#[test]
fn usage_counts_teams_and_projects_against_their_limits() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        let (other, _) = staffed_org(app, "other", &[]);
        create_team(app, &other, "other", "elsewhere");
        project(app, &other, "other", "elsewhere", "private");
        let usage = |app: &TestApp| {
            let res = app
                .client
                .get("/v1/organizations/acme/usage", Some(&owner.token));
            assert_eq!(res.status, 200, "{}", res.text);
            res.body
        };
        assert_eq!(usage(app)["teams"], json!({"used": 0, "limit": null}));
        assert_eq!(usage(app)["projects"], json!({"used": 0, "limit": null}));
        for name in ["backend", "frontend"] {
            create_team(app, &owner, "acme", name);
        }
        for name in ["gateway", "website", "payments"] {
            project(app, &owner, "acme", name, "private");
        }
        assert_eq!(usage(app)["teams"], json!({"used": 2, "limit": null}));
        assert_eq!(usage(app)["projects"], json!({"used": 3, "limit": null}));

        let by_owner = app.client.patch(
            "/v1/organizations/acme",
            Some(&owner.token),
            &json!({"limits": {"max_projects": 10}}),
        );
        assert_problem(&by_owner, 403, "forbidden");
        let set = app.client.patch(
            "/v1/organizations/acme",
            Some(&admin.token),
            &json!({"limits": {"max_teams": 2, "max_projects": 3}}),
        );
        assert_eq!(set.status, 200, "{}", set.text);
        assert_eq!(set.body["limits"]["max_teams"], 2);
        assert_eq!(set.body["limits"]["max_projects"], 3);
        let now = usage(app);
        assert_eq!(now["teams"], json!({"used": 2, "limit": 2}));
        assert_eq!(now["projects"], json!({"used": 3, "limit": 3}));
        for area in ["members", "api_keys", "invitations"] {
            assert!(now[area]["used"].is_number(), "{area} still shown: {now}");
        }

        let team = app.client.post(
            "/v1/organizations/acme/teams",
            Some(&owner.token),
            &json!({"name": "third"}),
        );
        assert_problem(&team, 409, "max-teams-reached");
        let fourth = app.client.post(
            &projects_path("acme"),
            Some(&owner.token),
            &json!({"name": "fourth"}),
        );
        assert_problem(&fourth, 409, "max-projects-reached");
        // The other organization is not limited by acme's limits.
        project(app, &other, "other", "more", "private");
        // A deleted project frees its place.
        let deleted = app
            .client
            .delete(&project_path("acme", "payments"), Some(&owner.token));
        assert_eq!(deleted.status, 204);
        assert_eq!(usage(app)["projects"], json!({"used": 2, "limit": 3}));
        project(app, &owner, "acme", "fourth", "private");
    });
}

fn a_forced_delete_takes_the_organizations_teams_and_projects_only(app: &TestApp) {
    let alpha = tenant(app, "alpha");
    let beta = tenant(app, "beta");
    let deleted = app.client.delete(
        "/v1/organizations/beta?force=true&confirm=beta",
        Some(&beta.owner.token),
    );
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    // A new beta starts with none of the old one's teams, projects or grants.
    app.create_org(&beta.owner, "beta");
    for path in [
        projects_path("beta"),
        "/v1/organizations/beta/teams".to_owned(),
    ] {
        let res = app.client.get(&path, Some(&beta.owner.token));
        assert_eq!(res.status, 200, "{}", res.text);
        assert!(entries(&res.body).is_empty(), "{path}: {}", res.text);
    }
    assert_problem(
        &app.client.get(
            &project_path("beta", &beta.gateway),
            Some(&beta.owner.token),
        ),
        404,
        "not-found",
    );
    // Alpha's are untouched.
    let gateway = app
        .client
        .get(&project_path("alpha", "gateway"), Some(&alpha.member.token));
    assert_eq!(gateway.status, 200, "{}", gateway.text);
    assert_eq!(gateway.body["access"], "writer");
    let teams = app
        .client
        .get("/v1/organizations/alpha/teams", Some(&alpha.owner.token));
    assert_eq!(entries(&teams.body).len(), 2, "{}", teams.text);
}

backend_tests!(
    nothing_of_another_organization_is_reached_through_teams_or_projects,
    cursors_of_another_organizations_lists_open_nothing,
    organizations_filter_on_having_projects,
    a_forced_delete_takes_the_organizations_teams_and_projects_only,
);
