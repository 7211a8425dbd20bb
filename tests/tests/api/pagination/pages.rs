//! Seeding many organizations, fetching pages and walking them to the end (checking each
//! page's envelope on the way), and the orders a walk must come out in.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::thread;

use roster_tests::{Client, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::organizations::timestamp;

pub const SEEDED: usize = 2_500;

pub const SEED_WORKERS: usize = 6;

/// Creates one organization per body through the API, on a few threads each with its own
/// connection. Returns the created organizations.
pub fn seed(app: &TestApp, user: &TestUser, bodies: Vec<Value>) -> Vec<Value> {
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

pub fn fetch(app: &TestApp, user: &TestUser, path: &str) -> Value {
    let res = app.client.get(path, Some(&user.token));
    assert_eq!(res.status, 200, "{path}: {}", res.text);
    res.body
}

pub fn rows(page: &Value) -> &Vec<Value> {
    page["data"].as_array().expect("data array")
}

pub fn id(org: &Value) -> String {
    org["id"].as_str().unwrap().to_owned()
}

pub fn ids(orgs: &[Value]) -> Vec<String> {
    orgs.iter().map(id).collect()
}

/// Walks `query` in cursor mode, following `links.next` or `meta.next_cursor`, checking each
/// page's envelope on the way. `total` is what `meta.total` must say (`None`: absent).
pub fn walk_cursor(
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
pub fn walk_pages(
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
pub fn assert_each_exactly_once(orgs: &[Value], seeded: &HashSet<String>, what: &str) {
    let seen = ids(orgs);
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "{what}: duplicates");
    assert_eq!(&unique, seeded, "{what}: gaps or strangers");
}

/// Consecutive rows strictly in `order` by `compare`.
pub fn assert_strictly(orgs: &[Value], order: Ordering, compare: fn(&Value, &Value) -> Ordering) {
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

pub fn by_name(a: &Value, b: &Value) -> Ordering {
    a["name"].as_str().cmp(&b["name"].as_str())
}

pub fn by_created_at(a: &Value, b: &Value) -> Ordering {
    timestamp(&a["created_at"])
        .cmp(&timestamp(&b["created_at"]))
        .then_with(|| by_id(a, b))
}

pub fn by_id(a: &Value, b: &Value) -> Ordering {
    let parse = |v: &Value| uuid::Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();
    parse(a).cmp(&parse(b))
}
