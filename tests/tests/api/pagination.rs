//! Listing organizations page by page: cursor and page mode over 2,500 organizations, rows
//! created while a cursor walk is under way, parameter checking, and the list filters.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::thread;
use std::time::Instant;

use roster_tests::{backend_tests, Client, TestApp, TestUser};
use serde_json::{json, Value};

use crate::organizations::{assert_problem, listed_names, timestamp};

const SEEDED: usize = 2_500;
const SEED_WORKERS: usize = 6;

/// Creates one organization per body through the API, on a few threads each with its own
/// connection. Returns the created organizations.
fn seed(app: &TestApp, user: &TestUser, bodies: Vec<Value>) -> Vec<Value> {
    let mut shares: Vec<Vec<Value>> = vec![Vec::new(); SEED_WORKERS];
    for (index, body) in bodies.into_iter().enumerate() {
        shares[index % SEED_WORKERS].push(body);
    }
    let (base, token) = (app.base.as_str(), user.token.as_str());
    thread::scope(|scope| {
        let workers: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    let client = Client::new(base);
                    share
                        .iter()
                        .map(|body| {
                            let res = client.post("/v1/organizations", Some(token), body);
                            assert_eq!(res.status, 201, "{}", res.text);
                            res.body
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    })
}

fn fetch(app: &TestApp, user: &TestUser, path: &str) -> Value {
    let res = app.client.get(path, Some(&user.token));
    assert_eq!(res.status, 200, "{path}: {}", res.text);
    res.body
}

fn rows(page: &Value) -> &Vec<Value> {
    page["data"].as_array().expect("data array")
}

fn id(org: &Value) -> String {
    org["id"].as_str().unwrap().to_owned()
}

fn ids(orgs: &[Value]) -> Vec<String> {
    orgs.iter().map(id).collect()
}

/// Walks `query` in cursor mode, following `links.next` or `meta.next_cursor`, checking each
/// page's envelope on the way. `total` is what `meta.total` must say (`None`: absent).
fn walk_cursor(
    app: &TestApp,
    user: &TestUser,
    query: &str,
    limit: usize,
    follow_links: bool,
    total: Option<usize>,
) -> Vec<Value> {
    let first = format!("/v1/organizations?{query}&limit={limit}");
    let mut path = first.clone();
    let mut all = Vec::new();
    for _ in 0..=(SEEDED * 2 / limit + 2) {
        let page = fetch(app, user, &path);
        let (meta, links) = (&page["meta"], &page["links"]);
        let data = rows(&page);
        all.extend(data.iter().cloned());
        assert_eq!(links["self"], path.as_str());
        assert_eq!(links["first"], first.as_str());
        assert_eq!(links["last"], Value::Null, "no last page in cursor mode");
        assert_eq!(links["prev"], Value::Null);
        assert_eq!(meta["total"], json!(total), "{path}");
        if meta["has_more"] == false {
            assert!(data.len() <= limit);
            assert_eq!(meta["next_cursor"], Value::Null);
            assert_eq!(links["next"], Value::Null);
            return all;
        }
        assert_eq!(meta["has_more"], true);
        assert_eq!(data.len(), limit, "only the last page is short");
        let cursor = meta["next_cursor"]
            .as_str()
            .expect("a cursor while has_more");
        let next = links["next"].as_str().expect("links.next while has_more");
        assert_eq!(
            next,
            format!("/v1/organizations?{query}&after={cursor}&limit={limit}")
        );
        path = if follow_links {
            next.to_owned()
        } else {
            format!("/v1/organizations?{query}&limit={limit}&after={cursor}")
        };
    }
    panic!("{query}: the cursor walk did not end");
}

/// Walks `query` page by page, checking `meta.total` and every link against `total`.
fn walk_pages(
    app: &TestApp,
    user: &TestUser,
    query: &str,
    per_page: usize,
    total: usize,
) -> Vec<Value> {
    let last = total.div_ceil(per_page).max(1);
    let at = |page: usize| format!("/v1/organizations?{query}&page={page}&per_page={per_page}");
    let mut all = Vec::new();
    for number in 1..=last {
        let page = fetch(app, user, &at(number));
        let (meta, links) = (&page["meta"], &page["links"]);
        let data = rows(&page);
        let expected_len = if number < last {
            per_page
        } else {
            total - per_page * (last - 1)
        };
        assert_eq!(data.len(), expected_len, "page {number}");
        assert_eq!(meta["total"], total);
        assert_eq!(meta["has_more"], number < last);
        assert_eq!(meta["next_cursor"], Value::Null);
        assert_eq!(links["self"], at(number));
        assert_eq!(links["first"], at(1));
        assert_eq!(links["last"], at(last));
        assert_eq!(links["prev"], json!((number > 1).then(|| at(number - 1))));
        assert_eq!(
            links["next"],
            json!((number < last).then(|| at(number + 1)))
        );
        all.extend(data.iter().cloned());
    }
    all
}

/// Every seeded organization exactly once, and nothing else.
fn assert_each_exactly_once(orgs: &[Value], seeded: &HashSet<String>, what: &str) {
    let seen = ids(orgs);
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "{what}: duplicates");
    assert_eq!(&unique, seeded, "{what}: gaps or strangers");
}

/// Consecutive rows strictly in `order` by `compare`.
fn assert_strictly(orgs: &[Value], order: Ordering, compare: fn(&Value, &Value) -> Ordering) {
    for pair in orgs.windows(2) {
        assert_eq!(
            compare(&pair[0], &pair[1]),
            order,
            "out of order: {} then {}",
            pair[0],
            pair[1]
        );
    }
}

fn by_name(a: &Value, b: &Value) -> Ordering {
    a["name"].as_str().cmp(&b["name"].as_str())
}

fn by_created_at(a: &Value, b: &Value) -> Ordering {
    timestamp(&a["created_at"])
        .cmp(&timestamp(&b["created_at"]))
        .then_with(|| by_id(a, b))
}

fn by_id(a: &Value, b: &Value) -> Ordering {
    let parse = |v: &Value| uuid::Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();
    parse(a).cmp(&parse(b))
}

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

/// base64url without padding, as Roster encodes cursors, to forge one.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

fn out_of_range_or_unknown_list_parameters_are_400(app: &TestApp) {
    let owner = app.sign_up("owner");
    for name in ["one", "two", "three"] {
        app.create_org(&owner, name);
    }
    let forged = |cursor: Value| base64url(cursor.to_string().as_bytes());
    let bad_time = forged(json!({"sort": "created_at", "direction": "asc",
                                 "value": "yesterday", "id": uuid::Uuid::now_v7()}));
    let not_a_cursor = forged(json!({"page": 2}));
    for query in [
        "limit=0".to_owned(),
        "limit=1001".to_owned(),
        "limit=-1".to_owned(),
        "limit=ten".to_owned(),
        "per_page=0".to_owned(),
        "per_page=1001".to_owned(),
        "page=0".to_owned(),
        "page=100001".to_owned(),
        "page=1&limit=5".to_owned(),
        "per_page=5&after=abc".to_owned(),
        "sort=colour".to_owned(),
        "sort=NAME".to_owned(),
        "direction=up".to_owned(),
        "after=not-a-cursor".to_owned(),
        "after=%25%25%25".to_owned(),
        format!("after={not_a_cursor}"),
        format!("after={bad_time}"),
        "include_total=maybe".to_owned(),
        "state=deleted".to_owned(),
        "personal=maybe".to_owned(),
        "expand=teams".to_owned(),
        "scope=everyone".to_owned(),
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_problem(&res, 400, "bad-request");
    }
    for query in [
        "limit=1",
        "limit=1000",
        "per_page=1",
        "per_page=1000",
        "page=100000",
        "sort=id&direction=desc",
        "include_total=false",
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_eq!(res.status, 200, "{query}: {}", res.text);
    }
}

fn a_cursor_continues_only_the_sort_it_came_from(app: &TestApp) {
    let owner = app.sign_up("owner");
    for name in ["a1", "b2", "c3", "d4", "e5"] {
        app.create_org(&owner, name);
    }
    let first = fetch(app, &owner, "/v1/organizations?sort=name&limit=2");
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    for query in [
        format!("sort=id&after={cursor}"),
        format!("sort=created_at&after={cursor}"),
        format!("after={cursor}"),
        format!("sort=name&direction=desc&after={cursor}"),
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_problem(&res, 400, "bad-request");
    }
    let next = fetch(
        app,
        &owner,
        &format!("/v1/organizations?sort=name&limit=2&after={cursor}"),
    );
    let names: Vec<_> = rows(&next).iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, [json!("c3"), json!("d4")]);
}

fn create_each(app: &TestApp, user: &TestUser, bodies: &[Value]) {
    for body in bodies {
        let res = app
            .client
            .post("/v1/organizations", Some(&user.token), body);
        assert_eq!(res.status, 201, "{body}: {}", res.text);
    }
}

fn q_matches_a_prefix_of_the_name_or_display_name_case_insensitively(app: &TestApp) {
    let owner = app.sign_up("owner");
    create_each(
        app,
        &owner,
        &[
            json!({"name": "acme-inc", "display_name": "Acme, Inc."}),
            json!({"name": "acme2", "display_name": "Second"}),
            json!({"name": "nacme", "display_name": "Not Acme"}),
            json!({"name": "widgets", "display_name": "Widgets Ltd"}),
            json!({"name": "gadgets", "display_name": "WIDGETS Outlet"}),
        ],
    );
    let found = |q: &str| listed_names(app, &owner, &format!("sort=name&q={q}"));
    assert_eq!(found("acme"), ["acme-inc", "acme2"]);
    assert_eq!(found("ACME"), ["acme-inc", "acme2"]);
    assert_eq!(found("%20acme%20"), ["acme-inc", "acme2"], "q is trimmed");
    assert_eq!(found("widg"), ["gadgets", "widgets"]);
    assert_eq!(found("WiDgEtS%20l"), ["widgets"]);
    assert_eq!(found("not"), ["nacme"]);
    assert!(found("cme").is_empty(), "a prefix, not a substring");
    assert!(found("zzz").is_empty());
    let total = fetch(app, &owner, "/v1/organizations?q=acme&page=1");
    assert_eq!(total["meta"]["total"], 2);
}

fn q_takes_like_wildcards_literally(app: &TestApp) {
    let owner = app.sign_up("owner");
    create_each(
        app,
        &owner,
        &[
            json!({"name": "pct", "display_name": "100% Cotton"}),
            json!({"name": "thousand", "display_name": "1000 Things"}),
            json!({"name": "under", "display_name": "a_b"}),
            json!({"name": "plain", "display_name": "axb"}),
            json!({"name": "slash", "display_name": "a\\b"}),
        ],
    );
    let found = |q: &str| listed_names(app, &owner, &format!("sort=name&q={q}"));
    assert_eq!(found("100%25"), ["pct"]);
    assert!(found("10%25").is_empty());
    assert_eq!(found("a_"), ["under"]);
    assert_eq!(found("a%5C"), ["slash"]);
    assert!(found("%25").is_empty());
    assert!(found("_").is_empty());
}

fn q_matches_non_ascii_display_names_case_insensitively(app: &TestApp) {
    let owner = app.sign_up("owner");
    create_each(
        app,
        &owner,
        &[
            json!({"name": "emile", "display_name": "Émile Zürcher AG"}),
            json!({"name": "other", "display_name": "Emil"}),
        ],
    );
    let found = |q: &str| listed_names(app, &owner, &format!("q={q}"));
    assert_eq!(found("%C3%89mile"), ["emile"], "q=Émile, as displayed");
    assert_eq!(found("%C3%A9mile"), ["emile"], "q=émile");
    assert_eq!(found("%C3%89MILE%20Z%C3%9C"), ["emile"], "q=ÉMILE ZÜ");
}

fn the_reference_filter_matches_exactly(app: &TestApp) {
    let owner = app.sign_up("owner");
    create_each(
        app,
        &owner,
        &[
            json!({"name": "one", "reference": "crm-1"}),
            json!({"name": "ten", "reference": "crm-10"}),
            json!({"name": "upper", "reference": "CRM-1"}),
            json!({"name": "none"}),
        ],
    );
    assert_eq!(listed_names(app, &owner, "reference=crm-1"), ["one"]);
    assert_eq!(listed_names(app, &owner, "reference=crm-10"), ["ten"]);
    assert!(listed_names(app, &owner, "reference=crm").is_empty());
    assert!(listed_names(app, &owner, "reference=crm-2").is_empty());
}

fn the_personal_filter_includes_excludes_or_selects_personal_organizations(app: &TestApp) {
    let owner = app.sign_up("owner");
    create_each(
        app,
        &owner,
        &[
            json!({"name": "home", "personal": true}),
            json!({"name": "work-a"}),
            json!({"name": "work-b", "personal": false}),
        ],
    );
    let all = ["home", "work-a", "work-b"];
    assert_eq!(listed_names(app, &owner, "sort=name"), all);
    assert_eq!(listed_names(app, &owner, "sort=name&personal=include"), all);
    assert_eq!(
        listed_names(app, &owner, "sort=name&personal=only"),
        ["home"]
    );
    assert_eq!(
        listed_names(app, &owner, "sort=name&personal=exclude"),
        ["work-a", "work-b"]
    );
}

backend_tests!(
    every_walk_sees_each_of_2500_organizations_exactly_once,
    rows_created_while_walking_a_cursor_neither_repeat_nor_hide_others,
    out_of_range_or_unknown_list_parameters_are_400,
    a_cursor_continues_only_the_sort_it_came_from,
    q_matches_a_prefix_of_the_name_or_display_name_case_insensitively,
    q_takes_like_wildcards_literally,
    q_matches_non_ascii_display_names_case_insensitively,
    the_reference_filter_matches_exactly,
    the_personal_filter_includes_excludes_or_selects_personal_organizations,
);
