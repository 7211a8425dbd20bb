//! Organization field rules: each invalid value is a 422 naming the field and a code, and
//! nothing is written. Uniqueness of names and references is a 409.

use roster_tests::{backend_tests, TestApp, TestUser};
use serde_json::{json, Value};

use crate::organizations::{assert_field_error, assert_problem, get_org, listed_names};

/// Creating `body` fails on `field` with `code`, and the caller's list is unchanged.
fn assert_create_rejected(app: &TestApp, user: &TestUser, body: Value, field: &str, code: &str) {
    let before = listed_names(app, user, "state=active,inactive,closed");
    let res = app
        .client
        .post("/v1/organizations", Some(&user.token), &body);
    assert_field_error(&res, field, code);
    assert_eq!(
        listed_names(app, user, "state=active,inactive,closed"),
        before,
        "a rejected create wrote nothing: {body}"
    );
}

/// Patching `acme` with `body` fails on `field` with `code`, and `acme` is unchanged.
fn assert_patch_rejected(app: &TestApp, user: &TestUser, body: Value, field: &str, code: &str) {
    let before = get_org(app, user, "acme");
    let res = app
        .client
        .patch("/v1/organizations/acme", Some(&user.token), &body);
    assert_field_error(&res, field, code);
    let after = get_org(app, user, "acme");
    assert_eq!(
        after.body, before.body,
        "a rejected patch wrote nothing: {body}"
    );
    assert_eq!(after.header("etag"), before.header("etag"));
}

fn name_with_uppercase_letters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "Acme"}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme_inc"}),
        "name",
        "invalid_format",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"name": "ACME"}),
        "name",
        "invalid_format",
    );
}

fn name_starting_or_ending_with_a_hyphen_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "-acme"}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme-"}),
        "name",
        "invalid_format",
    );
}

fn name_of_64_characters_is_422_but_63_are_fine(app: &TestApp) {
    let alice = app.sign_up("alice");
    let long = "a".repeat(64);
    assert_create_rejected(app, &alice, json!({"name": long}), "name", "invalid_length");
    assert_create_rejected(app, &alice, json!({"name": ""}), "name", "invalid_length");
    app.create_org(&alice, &"a".repeat(63));
}

fn name_shaped_like_a_uuid_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let id = uuid::Uuid::now_v7();
    assert_create_rejected(
        app,
        &alice,
        json!({"name": id.to_string()}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": id.simple().to_string()}),
        "name",
        "invalid_format",
    );
}

fn reserved_names_are_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    for reserved in ["admin", "new", "me", "api", "v1"] {
        assert_create_rejected(app, &alice, json!({"name": reserved}), "name", "reserved");
    }
}

fn a_missing_or_null_name_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"display_name": "Acme"}),
        "name",
        "required",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(app, &alice, json!({"name": null}), "name", "required");
}

fn billing_email_must_be_an_address(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in ["billing", "billing@acme", "@acme.test", "a b@acme.test"] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "billing_email": bad}),
            "billing_email",
            "invalid_format",
        );
    }
}

fn website_must_be_an_http_url(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [
        "ftp://acme.test",
        "acme.test",
        "https://",
        "javascript:alert(1)",
    ] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "website": bad}),
            "website",
            "invalid_format",
        );
    }
}

fn logo_url_must_be_an_http_url(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [
        "data:image/png;base64,AAAA",
        "//acme.test/logo.png",
        "file:///etc/passwd",
    ] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "logo_url": bad}),
            "logo_url",
            "invalid_format",
        );
    }
}

fn display_name_over_200_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "display_name": "é".repeat(201)});
    assert_create_rejected(app, &alice, body, "display_name", "too_long");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "display_name": "é".repeat(200)}),
    );
    assert_eq!(ok.status, 201, "200 characters are fine: {}", ok.text);
    assert_patch_rejected(
        app,
        &alice,
        json!({"display_name": "  "}),
        "display_name",
        "required",
    );
}

fn description_over_2000_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "description": "d".repeat(2001)});
    assert_create_rejected(app, &alice, body, "description", "too_long");
    app.create_org(&alice, "acme");
    let body = json!({"description": "d".repeat(2001)});
    assert_patch_rejected(app, &alice, body, "description", "too_long");
}

fn reference_over_255_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "reference": "r".repeat(256)});
    assert_create_rejected(app, &alice, body, "reference", "too_long");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "reference": "r".repeat(255)}),
    );
    assert_eq!(ok.status, 201, "255 characters are fine: {}", ok.text);
}

fn custom_that_is_not_an_object_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [json!([1, 2]), json!("gold"), json!(7)] {
        let body = json!({"name": "acme", "custom": bad});
        assert_create_rejected(app, &alice, body, "custom", "invalid_type");
    }
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": [1]}),
        "custom",
        "invalid_type",
    );
}

fn custom_over_16_kib_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    // {"blob":"…"} is 11 bytes around the string.
    let body = json!({"name": "acme", "custom": {"blob": "x".repeat(16 * 1024 - 10)}});
    assert_create_rejected(app, &alice, body, "custom", "too_large");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "custom": {"blob": "x".repeat(16 * 1024 - 11)}}),
    );
    assert_eq!(ok.status, 201, "exactly 16 KiB is fine: {}", ok.text);
    // Growing it past the limit by merging is refused too.
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": {"more": "y"}}),
        "custom",
        "too_large",
    );
}

fn custom_six_levels_deep_is_422_but_five_are_fine(app: &TestApp) {
    let alice = app.sign_up("alice");
    let six = json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}});
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "custom": six}),
        "custom",
        "too_deep",
    );
    let arrays = json!({"a": [[[[[1]]]]]});
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "custom": arrays}),
        "custom",
        "too_deep",
    );
    let five = json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "custom": five}),
    );
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.body["custom"], five);
}

fn address_country_must_be_alpha_2(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in ["Switzerland", "CHE", "C", "1A"] {
        let body = json!({"name": "acme", "address": {"country": bad}});
        assert_create_rejected(app, &alice, body, "address.country", "invalid_format");
    }
    app.create_org(&alice, "acme");
    let body = json!({"address": {"country": "XYZ"}});
    assert_patch_rejected(app, &alice, body, "address.country", "invalid_format");
}

fn latitude_above_90_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "address": {"latitude": 91}});
    assert_create_rejected(app, &alice, body, "address.latitude", "out_of_range");
    let body = json!({"name": "acme", "address": {"longitude": -180.5}});
    assert_create_rejected(app, &alice, body, "address.longitude", "out_of_range");
}

fn bogus_visibility_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "visibility": "secret"});
    assert_create_rejected(app, &alice, body, "visibility", "invalid_value");
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"visibility": "Public"}),
        "visibility",
        "invalid_value",
    );
}

fn max_members_of_zero_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "limits": {"max_members": 0}});
    assert_create_rejected(app, &alice, body, "limits.max_members", "out_of_range");
    app.create_org(&alice, "acme");
    let body = json!({"limits": {"max_api_keys": -1}});
    assert_patch_rejected(app, &alice, body, "limits.max_api_keys", "out_of_range");
}

fn an_unknown_field_is_422_naming_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "colour": "red"}),
        "colour",
        "unknown_field",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "address": {"town": "Bern"}}),
        "address.town",
        "unknown_field",
    );
    // A new organization always starts active; state is not a create field.
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "state": "inactive"}),
        "state",
        "unknown_field",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"colour": "red"}),
        "colour",
        "unknown_field",
    );
}

fn an_unknown_key_in_a_patched_address_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let body = json!({"address": {"town": "Bern"}});
    assert_patch_rejected(app, &alice, body, "address.town", "unknown_field");
}

fn an_unknown_key_in_patched_limits_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let body = json!({"limits": {"max_seats": 5}});
    assert_patch_rejected(app, &alice, body, "limits.max_seats", "unknown_field");
}

fn a_mistyped_address_part_is_422_naming_the_part(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "address": {"latitude": "north"}});
    assert_create_rejected(app, &alice, body, "address.latitude", "invalid_type");
    app.create_org(&alice, "acme");
    let body = json!({"address": {"latitude": "north"}});
    assert_patch_rejected(app, &alice, body, "address.latitude", "invalid_type");
}

fn bogus_state_is_422_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    for bad in [json!("deleted"), json!("ACTIVE"), json!(null)] {
        assert_patch_rejected(app, &alice, json!({"state": bad}), "state", "invalid_value");
    }
}

fn a_rejected_patch_applies_none_of_its_valid_fields(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"description": "fine", "name": "acme-2", "website": "gopher://acme.test"}),
        "website",
        "invalid_format",
    );
    assert_eq!(get_org(app, &alice, "acme-2").status, 404);
}

fn every_invalid_field_is_reported_at_once(app: &TestApp) {
    let alice = app.sign_up("alice");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "Bad Name", "billing_email": "nope", "visibility": "secret",
                "address": {"country": "Swiss", "latitude": 100}}),
    );
    assert_problem(&res, 422, "validation");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "address.country",
            "address.latitude",
            "billing_email",
            "name",
            "visibility"
        ]
    );
    assert!(listed_names(app, &alice, "").is_empty());
}

fn member_errors_name_the_member_at_fault(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let cases = [
        (
            json!([{"user_id": bob.id, "role": "boss"}]),
            "members[0].role",
            "unknown_role",
        ),
        (
            json!([{"user_id": bob.id, "email": bob.email, "role": "member"}]),
            "members[0]",
            "invalid_value",
        ),
        (json!([{"role": "member"}]), "members[0]", "invalid_value"),
        (
            json!([{"email": "not-an-email", "role": "member"}]),
            "members[0].email",
            "invalid_format",
        ),
        (
            json!([{"user_id": bob.id, "role": "member"}, {"email": bob.email, "role": "admin"}]),
            "members[1]",
            "duplicate",
        ),
        (
            json!([{"user_id": alice.id, "role": "member"}]),
            "members[0]",
            "duplicate",
        ),
        (
            json!([{"user_id": bob.id, "role": "member", "note": 1}]),
            "members[0].note",
            "unknown_field",
        ),
    ];
    for (members, field, code) in cases {
        let body = json!({"name": "acme", "members": members});
        assert_create_rejected(app, &alice, body, field, code);
    }
    assert!(listed_names(app, &bob, "").is_empty());
}

fn more_members_than_max_members_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let body = json!({"name": "acme", "limits": {"max_members": 1},
                      "members": [{"user_id": bob.id, "role": "member"}]});
    assert_create_rejected(app, &alice, body, "members", "limit_exceeded");
}

fn malformed_json_is_400_wrong_content_type_415_and_too_large_413(app: &TestApp) {
    let alice = app.sign_up("alice");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "application/json",
        b"{\"name\": ",
    );
    assert_problem(&res, 400, "bad-request");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "text/plain",
        b"{\"name\": \"acme\"}",
    );
    assert_problem(&res, 415, "unsupported-media-type");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "application/json",
        b"[\"acme\"]",
    );
    assert_problem(&res, 422, "validation");
    let huge = json!({"name": "acme", "description": "x".repeat(1024 * 1024)});
    let res = app
        .client
        .post("/v1/organizations", Some(&alice.token), &huge);
    assert_problem(&res, 413, "payload-too-large");
    assert!(listed_names(app, &alice, "").is_empty());
}

// ---- uniqueness ----

fn concurrent_creates_of_one_name_give_one_201_and_409s(app: &TestApp) {
    const RACERS: usize = 8;
    let alice = app.sign_up("alice");
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..RACERS)
            .map(|i| {
                let (base, token) = (app.base.as_str(), alice.token.as_str());
                scope.spawn(move || {
                    let client = roster_tests::Client::new(base);
                    let body = json!({"name": "contested", "reference": format!("r{i}")});
                    let res = client.post("/v1/organizations", Some(token), &body);
                    assert!(res.status == 201 || res.status == 409, "{}", res.text);
                    res.status
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(listed_names(app, &alice, ""), ["contested"]);
}

fn a_taken_name_is_409_even_when_its_organization_is_closed(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    app.create_org(&alice, "acme");
    let res = app.client.post(
        "/v1/organizations",
        Some(&bob.token),
        &json!({"name": "acme"}),
    );
    assert_problem(&res, 409, "conflict");
    assert!(listed_names(app, &bob, "").is_empty());

    assert_eq!(
        app.client
            .delete("/v1/organizations/acme", Some(&alice.token))
            .status,
        200
    );
    let res = app.client.post(
        "/v1/organizations",
        Some(&bob.token),
        &json!({"name": "acme"}),
    );
    assert_problem(&res, 409, "conflict");
}

fn renaming_to_a_taken_name_is_409_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    app.create_org(&alice, "globex");
    let before = get_org(app, &alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"name": "globex", "description": "x"}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(get_org(app, &alice, "acme").body, before.body);
    assert_eq!(get_org(app, &alice, "globex").status, 200);
}

fn a_taken_reference_is_409_and_unset_references_never_clash(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = |name: &str, extra: Value| {
        let mut body = json!({"name": name});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        app.client
            .post("/v1/organizations", Some(&alice.token), &body)
    };
    assert_eq!(created("one", json!({"reference": "crm-1"})).status, 201);
    let res = created("two", json!({"reference": "crm-1"}));
    assert_problem(&res, 409, "conflict");
    assert_eq!(listed_names(app, &alice, "sort=name"), ["one"]);

    assert_eq!(created("three", json!({})).status, 201);
    assert_eq!(created("four", json!({"reference": null})).status, 201);
    assert_eq!(
        created("five", json!({"reference": ""})).status,
        201,
        "empty = unset"
    );
    assert_eq!(created("six", json!({"reference": "crm-2"})).status, 201);

    let res = app.client.patch(
        "/v1/organizations/six",
        Some(&alice.token),
        &json!({"reference": "crm-1"}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(get_org(app, &alice, "six").body["reference"], "crm-2");
    let res = app.client.patch(
        "/v1/organizations/one",
        Some(&alice.token),
        &json!({"reference": null}),
    );
    assert_eq!(res.status, 200);
    let res = app.client.patch(
        "/v1/organizations/six",
        Some(&alice.token),
        &json!({"reference": "crm-1"}),
    );
    assert_eq!(res.status, 200, "a cleared reference is free: {}", res.text);
}

fn a_former_name_can_be_taken_and_its_redirect_ends(app: &TestApp) {
    let alice = app.sign_up("alice");
    let first = app.create_org(&alice, "alpha");
    let res = app.client.patch(
        "/v1/organizations/alpha",
        Some(&alice.token),
        &json!({"name": "alpha-renamed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(get_org(app, &alice, "alpha").status, 308);

    let second = app.create_org(&alice, "alpha");
    let now = get_org(app, &alice, "alpha");
    assert_eq!(now.status, 200, "no longer a redirect");
    assert_eq!(now.body["id"], second["id"]);
    assert_eq!(
        get_org(app, &alice, "alpha-renamed").body["id"],
        first["id"]
    );

    // The same through a rename: the third takes the first's other former name.
    let res = app.client.patch(
        "/v1/organizations/alpha-renamed",
        Some(&alice.token),
        &json!({"name": "alpha-final"}),
    );
    assert_eq!(res.status, 200);
    app.create_org(&alice, "gamma");
    let res = app.client.patch(
        "/v1/organizations/gamma",
        Some(&alice.token),
        &json!({"name": "alpha-renamed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let now = get_org(app, &alice, "alpha-renamed");
    assert_eq!(now.status, 200);
    assert_eq!(now.body["name"], "alpha-renamed");
    assert_ne!(now.body["id"], first["id"]);
    // gamma is now a former name of the third organization.
    assert_eq!(
        get_org(app, &alice, "gamma").header("location"),
        Some("/v1/organizations/alpha-renamed")
    );
}

backend_tests!(
    name_with_uppercase_letters_is_422,
    name_starting_or_ending_with_a_hyphen_is_422,
    name_of_64_characters_is_422_but_63_are_fine,
    name_shaped_like_a_uuid_is_422,
    reserved_names_are_422,
    a_missing_or_null_name_is_422,
    billing_email_must_be_an_address,
    website_must_be_an_http_url,
    logo_url_must_be_an_http_url,
    display_name_over_200_characters_is_422,
    description_over_2000_characters_is_422,
    reference_over_255_characters_is_422,
    custom_that_is_not_an_object_is_422,
    custom_over_16_kib_is_422,
    custom_six_levels_deep_is_422_but_five_are_fine,
    address_country_must_be_alpha_2,
    latitude_above_90_is_422,
    bogus_visibility_is_422,
    max_members_of_zero_is_422,
    an_unknown_field_is_422_naming_it,
    an_unknown_key_in_a_patched_address_is_422,
    an_unknown_key_in_patched_limits_is_422,
    a_mistyped_address_part_is_422_naming_the_part,
    bogus_state_is_422_and_changes_nothing,
    a_rejected_patch_applies_none_of_its_valid_fields,
    every_invalid_field_is_reported_at_once,
    member_errors_name_the_member_at_fault,
    more_members_than_max_members_is_422,
    malformed_json_is_400_wrong_content_type_415_and_too_large_413,
    concurrent_creates_of_one_name_give_one_201_and_409s,
    a_taken_name_is_409_even_when_its_organization_is_closed,
    renaming_to_a_taken_name_is_409_and_changes_nothing,
    a_taken_reference_is_409_and_unset_references_never_clash,
    a_former_name_can_be_taken_and_its_redirect_ends,
);
