//! Listing projects: sorted by name or creation, either direction, by cursor or by page.
use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use super::setup::{create_project, entries, listed, names, projects_path};
use crate::support::access::staffed_org;

fn the_list_sorts_by_name_or_creation_and_pages_by_cursor_or_page(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let created = ["delta", "alpha", "echo", "bravo", "charlie"];
    for name in created {
        create_project(app, &owner.token, "acme", json!({"name": name}));
    }
    let by_name = ["alpha", "bravo", "charlie", "delta", "echo"];
    assert_eq!(
        names(&listed(app, &owner.token, "acme", "sort=name")),
        by_name
    );
    let mut reversed = by_name;
    reversed.reverse();
    assert_eq!(
        names(&listed(
            app,
            &owner.token,
            "acme",
            "sort=name&direction=desc"
        )),
        reversed
    );
    assert_eq!(
        names(&listed(app, &owner.token, "acme", "sort=created_at")),
        created
    );
    let mut newest_first = created;
    newest_first.reverse();
    assert_eq!(
        names(&listed(
            app,
            &owner.token,
            "acme",
            "sort=created_at&direction=desc"
        )),
        newest_first
    );
    assert!(listed(app, &owner.token, "acme", "")
        .iter()
        .all(|(_, access)| access == "owner"));

    // Cursor mode: two by two, in name order, to the end.
    let mut seen = Vec::new();
    let mut path = format!(
        "{}?sort=name&limit=2&include_total=true",
        projects_path("acme")
    );
    let mut pages = 0;
    loop {
        let page = app.client.get(&path, Some(&owner.token));
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.body["meta"]["total"], 5);
        pages += 1;
        seen.extend(
            entries(&page.body)
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned()),
        );
        match page.body["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(page.body["meta"]["has_more"], true);
                path = format!(
                    "{}?sort=name&limit=2&include_total=true&after={cursor}",
                    projects_path("acme")
                );
            }
            None => {
                assert_eq!(page.body["meta"]["has_more"], false);
                break;
            }
        }
        assert!(pages < 5, "the walk did not end");
    }
    assert_eq!(seen, by_name);
    assert_eq!(pages, 3);

    // Page mode.
    let page = app.client.get(
        &format!("{}?sort=name&page=2&per_page=2", projects_path("acme")),
        Some(&owner.token),
    );
    assert_eq!(page.status, 200, "{}", page.text);
    let on_page: Vec<&str> = entries(&page.body)
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(on_page, ["charlie", "delta"]);
    assert_eq!(page.body["meta"]["total"], 5);

    for bad in [
        "sort=display_name",
        "direction=up",
        "limit=0",
        "after=not-a-cursor",
    ] {
        assert_problem(
            &app.client.get(
                &format!("{}?{bad}", projects_path("acme")),
                Some(&owner.token),
            ),
            400,
            "bad-request",
        );
    }
}

backend_tests!(the_list_sorts_by_name_or_creation_and_pages_by_cursor_or_page,);
