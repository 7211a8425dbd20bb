//! The list filters: `q` (a prefix of the name or display name), `reference` and `personal`.

use roster_tests::{backend_tests, TestApp, TestUser};
use serde_json::{json, Value};

use super::pages::fetch;
use crate::support::organizations::listed_names;

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
    q_matches_a_prefix_of_the_name_or_display_name_case_insensitively,
    q_takes_like_wildcards_literally,
    q_matches_non_ascii_display_names_case_insensitively,
    the_reference_filter_matches_exactly,
    the_personal_filter_includes_excludes_or_selects_personal_organizations,
);
