//! Text a person cannot see is refused where people read it: bidirectional overrides (U+202E),
//! zero-width characters (U+200B) and other control and format characters in emails, user
//! names and organization display names are a 422 naming the field, and nothing is written.

use roster_tests::problem::assert_field_error;
use roster_tests::{backend_tests, unique_email, TestApp};
use serde_json::json;

use crate::support::organizations::{assert_create_rejected, assert_patch_rejected};

const INVISIBLE: [&str; 5] = ["\u{202E}", "\u{200B}", "\u{2066}", "\u{FEFF}", "\u{7}"];

fn sign_up_refuses_invisible_characters_in_email_and_name(app: &TestApp) {
    for hidden in INVISIBLE {
        let email = unique_email("hidden").replace('@', &format!("{hidden}@"));
        let res = app.client.post(
            "/v1/users",
            None,
            &json!({"email": email, "password": "correct horse battery"}),
        );
        assert_field_error(&res, "email", "invalid_format");
        let res = app.client.post(
            "/v1/users",
            None,
            &json!({"email": unique_email("named"), "password": "correct horse battery",
                    "name": format!("Ada{hidden}Lovelace")}),
        );
        assert_field_error(&res, "name", "invalid_format");
    }
    let user = app.sign_up("visible");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"name": "gnp.exe\u{202E}"}),
    );
    assert_field_error(&res, "name", "invalid_format");
    // Joiners inside words and emoji are writing, not hiding: they pass.
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"name": "می\u{200C}خواهم 👩\u{200D}💻"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

fn organizations_refuse_invisible_characters_in_display_name_and_billing_email(app: &TestApp) {
    let user = app.sign_up("owner");
    for hidden in INVISIBLE {
        assert_create_rejected(
            app,
            &user,
            json!({"name": "acme", "display_name": format!("Acme{hidden}Inc")}),
            "display_name",
            "invalid_format",
        );
        assert_create_rejected(
            app,
            &user,
            json!({"name": "acme", "billing_email": format!("billing{hidden}@acme.test")}),
            "billing_email",
            "invalid_format",
        );
    }
    app.create_org(&user, "acme");
    assert_patch_rejected(
        app,
        &user,
        json!({"display_name": "Acme\u{202E}cnI"}),
        "display_name",
        "invalid_format",
    );
}

backend_tests!(
    sign_up_refuses_invisible_characters_in_email_and_name,
    organizations_refuse_invisible_characters_in_display_name_and_billing_email,
);
