//! Accounts people can trust, through a real SMTP server: mail delivery, verified addresses,
//! password reset, invitations by mail, and account deletion.

mod deletion;
mod delivery;
mod invitations;
mod operator;
mod password_reset;
mod verification;

use roster_tests::{MailSink, TestApp, TestUser};
use serde_json::json;

/// Follows the verification link the sign-up of `user` mailed; returns the user afterwards.
pub fn verify(app: &TestApp, sink: &MailSink, user: &TestUser) -> serde_json::Value {
    let mail = sink.wait_for(&user.email, "Confirm your email address");
    let res = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": mail.token()}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}
