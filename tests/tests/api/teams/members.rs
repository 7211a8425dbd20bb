//! A team's members: only current members of the organization join, once; roles `member` and
//! `maintainer`; who may add, change and remove them (teams:write, the team's own maintainers,
//! and anyone leaving); `member_count` follows.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use super::requests::{
    add_to_team, create_team, events_of, id_of, is_about, join_team, member_count, team_member_ids,
    team_member_path,
};
use crate::support::access::{add_member, staffed_org};
use crate::support::stored::expire_membership;

fn adding_a_member_answers_201_with_the_team_membership(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "viewer"]);
    let (ada, viewer) = (&staff[0], &staff[1]);
    let team = create_team(app, &owner, "acme", "backend");
    let res = add_to_team(app, &owner, "acme", "backend", &ada.id, "maintainer");
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["team_id"], team["id"]);
    assert_eq!(res.body["user"]["id"], ada.id.as_str());
    assert_eq!(res.body["user"]["email"], ada.email.as_str());
    assert_eq!(res.body["role"], "maintainer");
    assert!(res.body["created_at"].is_string());
    // The role defaults to member; any member of the organization may join, a viewer too.
    let default = app.client.post(
        "/v1/organizations/acme/teams/backend/members",
        Some(&owner.token),
        &json!({"user_id": viewer.id}),
    );
    assert_eq!(default.status, 201, "{}", default.text);
    assert_eq!(default.body["role"], "member");
    assert_eq!(member_count(app, &owner, "acme", "backend"), 2);
    let listed = app.client.get(
        "/v1/organizations/acme/teams/backend/members",
        Some(&owner.token),
    );
    assert_eq!(listed.status, 200, "{}", listed.text);
    let data = listed.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert!(data.contains(&res.body), "{}", listed.text);
    // In pages, by when they joined.
    let first = app.client.get(
        "/v1/organizations/acme/teams/backend/members?limit=1",
        Some(&owner.token),
    );
    assert_eq!(
        first.body["data"][0]["user"]["id"],
        ada.id.as_str(),
        "{}",
        first.text
    );
    assert_eq!(first.body["meta"]["has_more"], true);
    let next = app.client.get(
        first.body["links"]["next"].as_str().expect("a next page"),
        Some(&owner.token),
    );
    assert_eq!(next.status, 200, "{}", next.text);
    assert_eq!(
        next.body["data"][0]["user"]["id"],
        viewer.id.as_str(),
        "{}",
        next.text
    );
    assert_eq!(next.body["meta"]["has_more"], false);
    // By the team's id too.
    assert_eq!(team_member_ids(app, &owner, "acme", &id_of(&team)).len(), 2);

    let bad_role = add_to_team(app, &owner, "acme", "backend", &owner.id, "owner");
    assert_field_error(&bad_role, "role", "invalid_type");
    assert_eq!(member_count(app, &owner, "acme", "backend"), 2);
}

fn only_current_organization_members_join_a_team_and_once(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (ada, expired) = (&staff[0], &staff[1]);
    create_team(app, &owner, "acme", "backend");
    let outsider = app.sign_up("outsider");
    let (_, theirs) = staffed_org(app, "globex", &["member"]);
    let org_id = app
        .client
        .get("/v1/organizations/acme", Some(&owner.token))
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    expire_membership(app, &org_id, &expired.id);
    let ghost = uuid::Uuid::now_v7().to_string();
    for (who, id) in [
        ("a signed-up outsider", outsider.id.as_str()),
        ("another organization's member", theirs[0].id.as_str()),
        ("an unknown user id", ghost.as_str()),
        ("a member whose membership has expired", expired.id.as_str()),
    ] {
        let res = add_to_team(app, &owner, "acme", "backend", id, "member");
        assert_eq!(res.status, 422, "{who}: {}", res.text);
        assert_problem(&res, 422, "not-an-organization-member");
    }
    assert!(team_member_ids(app, &owner, "acme", "backend").is_empty());

    join_team(app, &owner, "acme", "backend", ada, "member");
    let again = add_to_team(app, &owner, "acme", "backend", &ada.id, "maintainer");
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(
        again.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        team_member_ids(app, &owner, "acme", "backend"),
        [ada.id.as_str()]
    );
    let listed = app.client.get(
        "/v1/organizations/acme/teams/backend/members",
        Some(&owner.token),
    );
    assert_eq!(
        listed.body["data"][0]["role"], "member",
        "the refused add changed nothing"
    );
    assert_eq!(member_count(app, &owner, "acme", "backend"), 1);
}

fn changing_a_role_and_removing_a_member(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let ada = &staff[0];
    let team = create_team(app, &owner, "acme", "backend");
    join_team(app, &owner, "acme", "backend", ada, "member");
    let path = team_member_path("acme", "backend", &ada.id);
    let promoted = app
        .client
        .patch(&path, Some(&owner.token), &json!({"role": "maintainer"}));
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    assert_eq!(promoted.body["role"], "maintainer");
    assert_eq!(promoted.body["user"]["id"], ada.id.as_str());
    let bad = app
        .client
        .patch(&path, Some(&owner.token), &json!({"role": "admin"}));
    assert_field_error(&bad, "role", "invalid_type");
    let listed = app.client.get(
        "/v1/organizations/acme/teams/backend/members",
        Some(&owner.token),
    );
    assert_eq!(listed.body["data"][0]["role"], "maintainer");

    // Someone not in the team is not found there, even a member of the organization.
    let owner_path = team_member_path("acme", "backend", &owner.id);
    assert_problem(
        &app.client
            .patch(&owner_path, Some(&owner.token), &json!({"role": "member"})),
        404,
        "not-found",
    );
    assert_problem(
        &app.client.delete(&owner_path, Some(&owner.token)),
        404,
        "not-found",
    );

    let removed = app.client.delete(&path, Some(&owner.token));
    assert_eq!(removed.status, 204, "{}", removed.text);
    assert!(team_member_ids(app, &owner, "acme", "backend").is_empty());
    assert_eq!(member_count(app, &owner, "acme", "backend"), 0);
    assert_problem(
        &app.client.delete(&path, Some(&owner.token)),
        404,
        "not-found",
    );
    // Still a member of the organization.
    assert_eq!(
        app.client
            .get(
                &format!("/v1/organizations/acme/members/{}", ada.id),
                Some(&owner.token)
            )
            .status,
        200
    );

    let team_id = id_of(&team);
    for (kind, count) in [
        ("team_member.added", 1),
        ("team_member.updated", 1),
        ("team_member.removed", 1),
    ] {
        let found: Vec<_> = events_of(app, &owner, "acme", kind)
            .into_iter()
            .filter(|e| is_about(e, &team_id, &ada.id))
            .collect();
        assert_eq!(found.len(), count, "{kind}: {found:?}");
        assert_eq!(found[0]["actor"]["id"], owner.id.as_str());
    }
    let updated = &events_of(app, &owner, "acme", "team_member.updated")[0];
    assert_eq!(
        updated["data"]["role"],
        json!({"from": "member", "to": "maintainer"}),
        "{updated}"
    );
}

/// A maintainer whose organization role (`member`) lacks teams:write runs their own team's
/// membership, and no other team's.
fn a_maintainer_manages_their_own_team_only(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member", "member"]);
    let (maintainer, ada, bob) = (&staff[0], &staff[1], &staff[2]);
    create_team(app, &owner, "acme", "backend");
    create_team(app, &owner, "acme", "frontend");
    join_team(app, &owner, "acme", "backend", maintainer, "maintainer");
    join_team(app, &owner, "acme", "frontend", bob, "member");

    let added = add_to_team(app, maintainer, "acme", "backend", &ada.id, "member");
    assert_eq!(added.status, 201, "{}", added.text);
    let promoted = app.client.patch(
        &team_member_path("acme", "backend", &ada.id),
        Some(&maintainer.token),
        &json!({"role": "maintainer"}),
    );
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    let demoted = app.client.patch(
        &team_member_path("acme", "backend", &ada.id),
        Some(&maintainer.token),
        &json!({"role": "member"}),
    );
    assert_eq!(demoted.status, 200, "{}", demoted.text);
    let removed = app.client.delete(
        &team_member_path("acme", "backend", &ada.id),
        Some(&maintainer.token),
    );
    assert_eq!(removed.status, 204, "{}", removed.text);
    // The team's own maintainer may still not add an outsider.
    let outsider = app.sign_up("outsider");
    assert_problem(
        &add_to_team(app, maintainer, "acme", "backend", &outsider.id, "member"),
        422,
        "not-an-organization-member",
    );

    // Another team: refused, and nothing changes.
    assert_problem(
        &add_to_team(app, maintainer, "acme", "frontend", &ada.id, "member"),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.patch(
            &team_member_path("acme", "frontend", &bob.id),
            Some(&maintainer.token),
            &json!({"role": "maintainer"}),
        ),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.delete(
            &team_member_path("acme", "frontend", &bob.id),
            Some(&maintainer.token),
        ),
        403,
        "forbidden",
    );
    assert_eq!(
        team_member_ids(app, &owner, "acme", "frontend"),
        [bob.id.as_str()]
    );
    // Maintaining a team's members is not changing the team itself.
    assert_problem(
        &app.client.patch(
            "/v1/organizations/acme/teams/backend",
            Some(&maintainer.token),
            &json!({"display_name": "Mine"}),
        ),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.delete(
            "/v1/organizations/acme/teams/backend",
            Some(&maintainer.token),
        ),
        403,
        "forbidden",
    );
    // A maintainer demoted by an admin loses the power at once.
    let demote = app.client.patch(
        &team_member_path("acme", "backend", &maintainer.id),
        Some(&owner.token),
        &json!({"role": "member"}),
    );
    assert_eq!(demote.status, 200, "{}", demote.text);
    assert_problem(
        &add_to_team(app, maintainer, "acme", "backend", &ada.id, "member"),
        403,
        "forbidden",
    );
}

fn a_plain_member_may_leave_a_team_but_not_remove_others(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (ada, bob) = (&staff[0], &staff[1]);
    create_team(app, &owner, "acme", "backend");
    join_team(app, &owner, "acme", "backend", ada, "member");
    join_team(app, &owner, "acme", "backend", bob, "member");
    assert_eq!(member_count(app, &owner, "acme", "backend"), 2);

    assert_problem(
        &app.client.delete(
            &team_member_path("acme", "backend", &bob.id),
            Some(&ada.token),
        ),
        403,
        "forbidden",
    );
    // Nor may she promote herself or add anyone.
    assert_problem(
        &app.client.patch(
            &team_member_path("acme", "backend", &ada.id),
            Some(&ada.token),
            &json!({"role": "maintainer"}),
        ),
        403,
        "forbidden",
    );
    assert_problem(
        &add_to_team(app, ada, "acme", "backend", &owner.id, "member"),
        403,
        "forbidden",
    );
    assert_eq!(member_count(app, &owner, "acme", "backend"), 2);

    let left = app.client.delete(
        &team_member_path("acme", "backend", &ada.id),
        Some(&ada.token),
    );
    assert_eq!(left.status, 204, "{}", left.text);
    assert_eq!(
        team_member_ids(app, &owner, "acme", "backend"),
        [bob.id.as_str()]
    );
    assert_eq!(member_count(app, &owner, "acme", "backend"), 1);
    // A maintainer may leave too, even the last one.
    let promote = app.client.patch(
        &team_member_path("acme", "backend", &bob.id),
        Some(&owner.token),
        &json!({"role": "maintainer"}),
    );
    assert_eq!(promote.status, 200);
    assert_eq!(
        app.client
            .delete(
                &team_member_path("acme", "backend", &bob.id),
                Some(&bob.token)
            )
            .status,
        204
    );
    assert_eq!(member_count(app, &owner, "acme", "backend"), 0);
    // Someone not in the team cannot "leave" it into existence.
    let carol = app.sign_up("carol");
    add_member(app, &owner, "acme", &carol, "member");
    assert_problem(
        &app.client.delete(
            &team_member_path("acme", "backend", &carol.id),
            Some(&carol.token),
        ),
        404,
        "not-found",
    );
}

backend_tests!(
    adding_a_member_answers_201_with_the_team_membership,
    only_current_organization_members_join_a_team_and_once,
    changing_a_role_and_removing_a_member,
    a_maintainer_manages_their_own_team_only,
    a_plain_member_may_leave_a_team_but_not_remove_others,
);
