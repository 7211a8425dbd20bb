//! Walking every page: 2,500 organizations in cursor and page mode under each sort, and rows
//! created while a cursor walk is under way.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::time::Instant;

use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use super::pages::{
    assert_each_exactly_once, assert_strictly, by_created_at, by_id, by_name, fetch, id, ids, rows,
    seed, walk_cursor, walk_pages, SEEDED,
};

fn every_walk_sees_each_of_2500_organizations_exactly_once(app: &TestApp) {
    let started = Instant::now();
    let owner = app.sign_up("owner");
    let stranger = app.sign_up("stranger");
    app.create_org(&stranger, "not-yours");
    // Names in another order than creation, so each sort key gives a different sequence.
    let bodies = (0..SEEDED)
        .map(|i| json!({"name": format!("org-{:04}", (i * 7919) % SEEDED)}))
        .collect();
    let seeded: HashSet<String> = ids(&seed(app, &owner, bodies)).into_iter().collect();
    assert_eq!(seeded.len(), SEEDED);
    let seeding = started.elapsed();

    let defaults = fetch(app, &owner, "/v1/organizations");
    assert_eq!(rows(&defaults).len(), 100, "default limit");
    assert_eq!(defaults["meta"]["has_more"], true);
    let defaults = fetch(app, &owner, "/v1/organizations?page=1");
    assert_eq!(rows(&defaults).len(), 10, "default per_page");
    assert_eq!(defaults["meta"]["total"], SEEDED);
    assert_eq!(
        defaults["links"]["last"],
        "/v1/organizations?page=250&per_page=10"
    );

    let names = walk_cursor(app, &owner, "sort=name", 1000, false, None);
    assert_each_exactly_once(&names, &seeded, "sort=name, limit=1000");
    assert_strictly(&names, Ordering::Less, by_name);

    let mut names_desc = walk_cursor(app, &owner, "sort=name&direction=desc", 1000, true, None);
    names_desc.reverse();
    assert_eq!(ids(&names_desc), ids(&names), "desc is asc reversed");

    let newest = walk_cursor(
        app,
        &owner,
        "sort=created_at&direction=desc",
        97,
        true,
        None,
    );
    assert_each_exactly_once(&newest, &seeded, "sort=created_at desc, limit=97");
    assert_strictly(&newest, Ordering::Greater, by_created_at);

    let oldest = walk_cursor(app, &owner, "include_total=true", 97, false, Some(SEEDED));
    assert_each_exactly_once(&oldest, &seeded, "default sort, limit=97");
    assert_strictly(&oldest, Ordering::Less, by_created_at);

    let by_ids = walk_cursor(
        app,
        &owner,
        "sort=id&include_total=true",
        1000,
        false,
        Some(SEEDED),
    );
    assert_each_exactly_once(&by_ids, &seeded, "sort=id, limit=1000");
    assert_strictly(&by_ids, Ordering::Less, by_id);

    let paged_names = walk_pages(app, &owner, "sort=name", 100, SEEDED);
    assert_eq!(
        ids(&paged_names),
        ids(&names),
        "page mode, sort=name, per_page=100"
    );

    let paged_newest = walk_pages(app, &owner, "sort=created_at&direction=desc", 333, SEEDED);
    assert_eq!(ids(&paged_newest), ids(&newest), "page mode, per_page=333");

    let paged_ids = walk_pages(app, &owner, "sort=id", 333, SEEDED);
    assert_eq!(
        ids(&paged_ids),
        ids(&by_ids),
        "page mode, sort=id, per_page=333"
    );

    let beyond = fetch(app, &owner, "/v1/organizations?page=9&per_page=333");
    assert!(rows(&beyond).is_empty());
    assert_eq!(beyond["meta"]["total"], SEEDED);
    assert_eq!(beyond["meta"]["has_more"], false);
    assert_eq!(
        beyond["links"]["prev"],
        "/v1/organizations?page=8&per_page=333"
    );
    assert_eq!(beyond["links"]["next"], Value::Null);

    eprintln!(
        "pagination on {:?}: seeded {SEEDED} organizations in {seeding:.1?}, walked in {:.1?}",
        app.backend,
        started.elapsed() - seeding
    );
}

fn rows_created_while_walking_a_cursor_neither_repeat_nor_hide_others(app: &TestApp) {
    const ORIGINALS: usize = 120;
    const LIMIT: usize = 25;
    let owner = app.sign_up("owner");
    // Even positions now; walks insert names between them, before and after the cursor.
    let bodies = (0..ORIGINALS)
        .map(|i| json!({"name": format!("m{:03}", i * 2)}))
        .collect();
    let originals: HashSet<String> = ids(&seed(app, &owner, bodies)).into_iter().collect();

    for (walk, sort) in ["created_at", "name"].into_iter().enumerate() {
        let mut seen = Vec::new();
        let mut after_cursor = Vec::new();
        let mut before_cursor = Vec::new();
        let mut path = format!("/v1/organizations?sort={sort}&limit={LIMIT}");
        for page_number in 0.. {
            assert!(page_number < 100, "the walk did not end");
            let page = fetch(app, &owner, &path);
            seen.extend(ids(rows(&page)));
            let Some(cursor) = page["meta"]["next_cursor"].as_str() else {
                break;
            };
            let last_name = rows(&page).last().unwrap()["name"]
                .as_str()
                .unwrap()
                .to_owned();
            for j in 0..4 {
                let position = (page_number * 37 + j * 53) % (ORIGINALS * 2);
                let name = format!("m{position:03}-w{walk}p{page_number}j{j}");
                let created = app.create_org(&owner, &name);
                // Keyset order: a new row is still ahead only if it sorts after the cursor.
                if sort == "created_at" || name > last_name {
                    after_cursor.push(id(&created));
                } else {
                    before_cursor.push(id(&created));
                }
            }
            path = format!("/v1/organizations?sort={sort}&limit={LIMIT}&after={cursor}");
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "sort={sort}: a row was repeated");
        for original in &originals {
            assert!(
                unique.contains(original),
                "sort={sort}: {original} was skipped"
            );
        }
        for new in &after_cursor {
            assert!(
                unique.contains(new),
                "sort={sort}: a row ahead of the cursor was missed"
            );
        }
        for new in &before_cursor {
            assert!(
                !unique.contains(new),
                "sort={sort}: a row behind the cursor appeared"
            );
        }
        assert!(!after_cursor.is_empty());
        if sort == "name" {
            assert!(
                !before_cursor.is_empty(),
                "the walk inserted behind the cursor too"
            );
        }
    }
}

backend_tests!(
    every_walk_sees_each_of_2500_organizations_exactly_once,
    rows_created_while_walking_a_cursor_neither_repeat_nor_hide_others,
);
