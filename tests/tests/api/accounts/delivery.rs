//! Mail leaves through SMTP: queued with the change that causes it, retried while the server
//! refuses for now, given up on a permanent refusal, each message once.

use std::time::Duration;

use roster_tests::{mail_tests, Backend, MailSink, TestApp};
use serde_json::json;

fn a_message_is_multipart_from_the_configured_sender_with_links_into_the_app(
    app: &TestApp,
    sink: &MailSink,
) {
    let user = app.sign_up("multipart");
    let mail = sink.wait_for(&user.email, "Confirm your email address");
    assert_eq!(mail.from, "roster@example.test");
    assert!(
        mail.message_id.ends_with("@example.test>"),
        "{}",
        mail.message_id
    );
    let link = mail.link();
    assert!(
        link.starts_with("https://app.example.test/verify-email?token=rsv_"),
        "{link}"
    );
    // The HTML part links there too (attribute-escaped: `/` reads `&#x2f;`).
    assert!(mail.html.contains(&mail.token()), "{}", mail.html);
    assert!(mail.html.contains("<a href="), "{}", mail.html);
    assert!(mail.text.contains(&user.email));
}

fn html_bodies_escape_what_people_typed(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("escaper");
    let org = app.create_org(&owner, "escaped-org");
    let res = app.client.patch(
        &format!("/v1/organizations/{}", org["id"].as_str().unwrap()),
        Some(&owner.token),
        &json!({"display_name": "<script>alert(1)</script> & Co"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let invitee = roster_tests::unique_email("escaped");
    let res = app.client.post(
        "/v1/organizations/escaped-org/invitations",
        Some(&owner.token),
        &json!({"email": invitee, "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let mail = sink.wait_for(&invitee, "invited you");
    assert!(!mail.html.contains("<script>"), "{}", mail.html);
    assert!(mail.html.contains("&lt;script&gt;"), "{}", mail.html);
    assert!(mail.text.contains("<script>alert(1)</script> & Co"));
}

fn a_message_the_server_refuses_for_now_is_sent_once_it_accepts(app: &TestApp, sink: &MailSink) {
    let email = roster_tests::unique_email("busy");
    sink.refuse_temporarily(&email);
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": "correct horse battery"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    // Refused at least once (the first attempt goes at once).
    std::thread::sleep(Duration::from_millis(1500));
    assert!(sink.to(&email).is_empty());
    sink.accept();
    let mail = sink.wait_for(&email, "Confirm your email address");
    assert!(mail.token().starts_with("rsv_"));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sink.to(&email).len(), 1, "sent once it went through");
}

fn a_message_refused_for_good_is_not_retried(app: &TestApp, sink: &MailSink) {
    let email = roster_tests::unique_email("nobody");
    sink.refuse_permanently(&email);
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": "correct horse battery"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    std::thread::sleep(Duration::from_millis(1500));
    sink.accept();
    // Had it been kept for a retry, it would arrive within the 1 s schedule.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(sink.to(&email).is_empty());
}

fn a_failed_request_sends_nothing(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("rolled-back");
    app.create_org(&owner, "rolled-back-org");
    let invitee = roster_tests::unique_email("never");
    // The role does not exist: the invitation, and its message, never happen.
    let res = app.client.post(
        "/v1/organizations/rolled-back-org/invitations",
        Some(&owner.token),
        &json!({"email": invitee, "role": "no-such-role"}),
    );
    assert_eq!(res.status, 422, "{}", res.text);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(sink.to(&invitee).is_empty());
}

mail_tests!(
    a_message_is_multipart_from_the_configured_sender_with_links_into_the_app,
    html_bodies_escape_what_people_typed,
    a_message_the_server_refuses_for_now_is_sent_once_it_accepts,
    a_message_refused_for_good_is_not_retried,
    a_failed_request_sends_nothing,
);

/// Two instances on one database share the outbox: every message goes, once (each instance
/// sends to an SMTP server of its own, so the two servers together hold each message once).
#[test]
fn two_instances_send_each_message_once() {
    let Some((app, first_sink)) = TestApp::spawn_with_mail(Backend::Postgres, &[]) else {
        return;
    };
    let second_sink = MailSink::start();
    let second = roster_tests::spawn_server(&app.db.url, &["--smtp-url", &second_sink.url()]);
    let second = roster_tests::Client::new(&second);
    let owner = app.sign_up("two-instances");
    app.create_org(&owner, "two-instances");
    let invitees: Vec<String> = (0..20)
        .map(|i| roster_tests::unique_email(&format!("twice-{i}")))
        .collect();
    for (i, invitee) in invitees.iter().enumerate() {
        let client = if i % 2 == 0 { &app.client } else { &second };
        let res = client.post(
            "/v1/organizations/two-instances/invitations",
            Some(&owner.token),
            &json!({"email": invitee, "role": "member"}),
        );
        assert_eq!(res.status, 201, "{}", res.text);
    }
    for invitee in &invitees {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while first_sink.to(invitee).len() + second_sink.to(invitee).len() == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "{invitee} got nothing"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    std::thread::sleep(Duration::from_millis(1500));
    for invitee in &invitees {
        let got = first_sink.to(invitee).len() + second_sink.to(invitee).len();
        assert_eq!(got, 1, "{invitee} got {got} messages");
    }
}

/// The embedded default: no SMTP server, messages go to the log, everything else works.
mod without_smtp {
    use roster_tests::{backend_tests, TestApp};

    fn sign_up_and_reset_still_work(app: &TestApp) {
        let user = app.sign_up("no-smtp");
        let me = app.client.get("/v1/users/me", Some(&user.token));
        assert_eq!(me.body["email_verified"], false);
        let res = app.client.post(
            "/v1/auth/password-reset",
            None,
            &serde_json::json!({"email": user.email}),
        );
        assert_eq!(res.status, 202, "{}", res.text);
    }

    backend_tests!(sign_up_and_reset_still_work);
}
