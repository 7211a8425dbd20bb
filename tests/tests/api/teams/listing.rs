//! Listing an organization's teams: by name or age, either way, the teams one member is in,
//! in cursor pages.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};

use super::requests::{create_team, join_team, listed_teams, names};
use crate::support::access::staffed_org;

fn listing_teams_sorts_filters_by_member_and_pages(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (ada, bob) = (&staff[0], &staff[1]);
    for name in ["charlie", "alpha", "echo", "bravo", "delta"] {
        create_team(app, &owner, "acme", name);
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
    assert_eq!(
        listed_teams(app, &owner, "acme", "sort=name"),
        ["alpha", "bravo", "charlie", "delta", "echo"]
    );
    assert_eq!(
        listed_teams(app, &owner, "acme", "sort=name&direction=desc"),
        ["echo", "delta", "charlie", "bravo", "alpha"]
    );
    assert_eq!(
        listed_teams(app, &owner, "acme", "sort=created_at"),
        ["charlie", "alpha", "echo", "bravo", "delta"]
    );
    assert_eq!(
        listed_teams(app, &owner, "acme", "sort=created_at&direction=desc"),
        ["delta", "bravo", "echo", "alpha", "charlie"]
    );
    let bad_sort = app.client.get(
        "/v1/organizations/acme/teams?sort=members",
        Some(&owner.token),
    );
    assert_problem(&bad_sort, 400, "bad-request");

    join_team(app, &owner, "acme", "echo", ada, "member");
    join_team(app, &owner, "acme", "alpha", ada, "maintainer");
    join_team(app, &owner, "acme", "delta", bob, "member");
    assert_eq!(
        listed_teams(
            app,
            &owner,
            "acme",
            &format!("user_id={}&sort=name", ada.id)
        ),
        ["alpha", "echo"]
    );
    assert_eq!(
        listed_teams(app, ada, "acme", &format!("user_id={}&sort=name", bob.id)),
        ["delta"]
    );
    assert!(listed_teams(app, &owner, "acme", &format!("user_id={}", owner.id)).is_empty());

    // Cursor pages of two under sort=name: every team once, in order.
    let mut path = "/v1/organizations/acme/teams?sort=name&limit=2".to_owned();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = app.client.get(&path, Some(&owner.token));
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        let data = page.body["data"].as_array().unwrap();
        assert!(data.len() <= 2);
        seen.extend(names(&page.body["data"]));
        pages += 1;
        match page.body["links"]["next"].as_str() {
            Some(next) => {
                assert_eq!(page.body["meta"]["has_more"], true);
                path = next.to_owned();
            }
            None => {
                assert_eq!(page.body["meta"]["has_more"], false);
                break;
            }
        }
        assert!(pages < 10, "the pages never end");
    }
    assert_eq!(seen, ["alpha", "bravo", "charlie", "delta", "echo"]);
    assert_eq!(pages, 3);
}

backend_tests!(listing_teams_sorts_filters_by_member_and_pages);
