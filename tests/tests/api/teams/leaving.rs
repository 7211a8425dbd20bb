//! Leaving the organization leaves its teams, in the same transaction, each with its event:
//! by every way out (removed, left, expired, after handing ownership over, account deleted).
//! Coming back brings no team membership back.

use std::time::{Duration, Instant};

use roster_tests::{backend_tests, with_flags, Res, TestApp, TestUser};
use serde_json::{json, Value};

use super::requests::{
    create_team, events_of, id_of, join_team, listed_teams, member_count, removals, team_member_ids,
};
use crate::support::access::{add_member, member_path, staffed_org};

/// The three teams of a scene: the leaver maintains `backend` (with the stayer) and is a member
/// of `frontend` (alone); `ops` holds only the stayer.
struct Teams {
    backend: String,
    frontend: String,
    ops: String,
}

fn seat(app: &TestApp, by: &TestUser, org: &str, leaver: &TestUser, stayer: &TestUser) -> Teams {
    let backend = id_of(&create_team(app, by, org, "backend"));
    let frontend = id_of(&create_team(app, by, org, "frontend"));
    let ops = id_of(&create_team(app, by, org, "ops"));
    join_team(app, by, org, "backend", leaver, "maintainer");
    join_team(app, by, org, "backend", stayer, "member");
    join_team(app, by, org, "frontend", leaver, "member");
    join_team(app, by, org, "ops", stayer, "member");
    assert_eq!(
        listed_teams(app, by, org, &format!("user_id={}&sort=name", leaver.id)),
        ["backend", "frontend"]
    );
    Teams {
        backend,
        frontend,
        ops,
    }
}

/// After `leaver` left `org`: no team lists them, the counts dropped, one `team_member.removed`
/// for each team they were in (none for the others) giving `reason`, recorded by the same
/// request (or the same sweep) as their `membership.deleted`.
fn assert_left_every_team(
    app: &TestApp,
    reader: &TestUser,
    org: &str,
    leaver: &TestUser,
    stayer: &TestUser,
    teams: &Teams,
    reason: &str,
) {
    assert_eq!(
        team_member_ids(app, reader, org, "backend"),
        [stayer.id.as_str()]
    );
    assert!(team_member_ids(app, reader, org, "frontend").is_empty());
    assert_eq!(
        team_member_ids(app, reader, org, "ops"),
        [stayer.id.as_str()]
    );
    assert_eq!(member_count(app, reader, org, "backend"), 1);
    assert_eq!(member_count(app, reader, org, "frontend"), 0);
    assert_eq!(member_count(app, reader, org, "ops"), 1);

    let left = events_of(app, reader, org, "membership.deleted")
        .into_iter()
        .filter(|e| e["target"]["id"] == leaver.id.as_str())
        .collect::<Vec<_>>();
    assert_eq!(left.len(), 1, "{left:?}");
    let left = &left[0];
    for team in [&teams.backend, &teams.frontend] {
        let removed = removals(app, reader, org, team, &leaver.id);
        assert_eq!(
            removed.len(),
            1,
            "one removal from team {team}: {removed:?}"
        );
        let removed = &removed[0];
        assert_eq!(removed["data"]["reason"], reason, "{removed}");
        assert_eq!(removed["actor"], left["actor"], "{removed}\n{left}");
        assert_eq!(
            removed["request_id"], left["request_id"],
            "recorded by the same request: {removed}\n{left}"
        );
    }
    assert!(removals(app, reader, org, &teams.ops, &leaver.id).is_empty());
    assert!(removals(app, reader, org, &teams.backend, &stayer.id).is_empty());
}

/// Back in the organization, the leaver is in no team.
fn assert_rejoining_brings_no_team_back(
    app: &TestApp,
    by: &TestUser,
    org: &str,
    leaver: &TestUser,
) {
    add_member(app, by, org, leaver, "member");
    assert!(
        listed_teams(app, by, org, &format!("user_id={}", leaver.id)).is_empty(),
        "team memberships came back"
    );
    assert!(!team_member_ids(app, by, org, "backend").contains(&leaver.id));
    assert!(team_member_ids(app, by, org, "frontend").is_empty());
    assert_eq!(member_count(app, by, org, "backend"), 1);
    assert_eq!(member_count(app, by, org, "frontend"), 0);
}

fn removed_from_the_organization_leaves_its_teams(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member", "member"]);
    let (admin, leaver, stayer) = (&staff[0], &staff[1], &staff[2]);
    let teams = seat(app, &owner, "acme", leaver, stayer);
    let res = app
        .client
        .delete(&member_path("acme", &leaver.id), Some(&admin.token));
    assert_eq!(res.status, 204, "{}", res.text);
    assert_left_every_team(
        app,
        &owner,
        "acme",
        leaver,
        stayer,
        &teams,
        "removed_from_organization",
    );
    let removed = removals(app, &owner, "acme", &teams.backend, &leaver.id);
    assert_eq!(removed[0]["actor"]["id"], admin.id.as_str());
    assert_rejoining_brings_no_team_back(app, &owner, "acme", leaver);
}

fn leaving_the_organization_leaves_its_teams(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (leaver, stayer) = (&staff[0], &staff[1]);
    let teams = seat(app, &owner, "acme", leaver, stayer);
    let res = app
        .client
        .delete(&member_path("acme", &leaver.id), Some(&leaver.token));
    assert_eq!(res.status, 204, "{}", res.text);
    assert_left_every_team(
        app,
        &owner,
        "acme",
        leaver,
        stayer,
        &teams,
        "left_organization",
    );
    let removed = removals(app, &owner, "acme", &teams.frontend, &leaver.id);
    assert_eq!(removed[0]["actor"]["id"], leaver.id.as_str());
    assert_rejoining_brings_no_team_back(app, &owner, "acme", leaver);
}

/// The owner hands the organization over: their teams stay. Then they leave: their teams go.
fn handing_ownership_over_keeps_teams_and_leaving_after_ends_them(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member"]);
    let (successor, stayer) = (&staff[0], &staff[1]);
    let teams = seat(app, &owner, "acme", &owner, stayer);
    let transfer = app.client.post(
        "/v1/organizations/acme/transfer-ownership",
        Some(&owner.token),
        &json!({"user_id": successor.id}),
    );
    assert_eq!(transfer.status, 200, "{}", transfer.text);
    assert_eq!(
        listed_teams(
            app,
            successor,
            "acme",
            &format!("user_id={}&sort=name", owner.id)
        ),
        ["backend", "frontend"],
        "a transfer keeps the previous owner's teams"
    );
    assert_eq!(member_count(app, successor, "acme", "backend"), 2);
    assert!(removals(app, successor, "acme", &teams.backend, &owner.id).is_empty());

    let res = app
        .client
        .delete(&member_path("acme", &owner.id), Some(&owner.token));
    assert_eq!(res.status, 204, "{}", res.text);
    assert_left_every_team(
        app,
        successor,
        "acme",
        &owner,
        stayer,
        &teams,
        "left_organization",
    );
    assert_rejoining_brings_no_team_back(app, successor, "acme", &owner);
}

fn delete_account(app: &TestApp, user: &TestUser) -> Res {
    app.client.send_with(
        "DELETE",
        "/v1/users/me",
        Some(&user.token),
        &[],
        Some(&json!({"password": user.password})),
    )
}

/// Deleting an account leaves the teams of every organization it was in.
fn deleting_an_account_leaves_every_team(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (leaver, stayer) = (&staff[0], &staff[1]);
    let teams = seat(app, &owner, "acme", leaver, stayer);
    let (other, _) = staffed_org(app, "globex", &[]);
    add_member(app, &other, "globex", leaver, "member");
    let design = id_of(&create_team(app, &other, "globex", "design"));
    join_team(app, &other, "globex", "design", leaver, "maintainer");

    let res = delete_account(app, leaver);
    assert_eq!(res.status, 204, "{}", res.text);
    assert_left_every_team(
        app,
        &owner,
        "acme",
        leaver,
        stayer,
        &teams,
        "left_organization",
    );
    assert!(team_member_ids(app, &other, "globex", "design").is_empty());
    assert_eq!(member_count(app, &other, "globex", "design"), 0);
    assert_eq!(
        removals(app, &other, "globex", &design, &leaver.id).len(),
        1
    );
    let all: Vec<Value> = crate::support::events::organization_events(app, &owner, "acme");
    assert!(
        !all.iter().any(|e| e.to_string().contains(&leaver.email)),
        "no event keeps the deleted account's address"
    );
}

/// A membership that expires: the sweep takes the team memberships with it, as the system.
#[test]
fn an_expired_membership_leaves_its_teams() {
    with_flags(&["--expiry-sweep-interval", "1"], |app| {
        let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
        let (leaver, stayer) = (&staff[0], &staff[1]);
        let teams = seat(app, &owner, "acme", leaver, stayer);
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
        let res = app.client.patch(
            &member_path("acme", &leaver.id),
            Some(&owner.token),
            &json!({"expires_at": soon}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let deadline = Instant::now() + Duration::from_secs(15);
        while app
            .client
            .get(&member_path("acme", &leaver.id), Some(&owner.token))
            .status
            == 200
            || events_of(app, &owner, "acme", "membership.deleted").is_empty()
        {
            assert!(
                Instant::now() < deadline,
                "the sweep never removed the membership"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        assert_left_every_team(
            app,
            &owner,
            "acme",
            leaver,
            stayer,
            &teams,
            "expired_from_organization",
        );
        let removed = removals(app, &owner, "acme", &teams.backend, &leaver.id);
        assert_eq!(removed[0]["actor"]["type"], "system", "{}", removed[0]);
        assert_rejoining_brings_no_team_back(app, &owner, "acme", leaver);
    });
}

backend_tests!(
    removed_from_the_organization_leaves_its_teams,
    leaving_the_organization_leaves_its_teams,
    handing_ownership_over_keeps_teams_and_leaving_after_ends_them,
    deleting_an_account_leaves_every_team,
);
