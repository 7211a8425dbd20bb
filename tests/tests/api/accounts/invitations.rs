//! Invitations by mail, bound to verified addresses: sent on creation, sent again with a new
//! token, declined by their invitee, listed only for the proven address.

use roster_tests::problem::assert_problem;
use roster_tests::{mail_tests, MailSink, TestApp};
use serde_json::json;

use super::verify;

fn invite(app: &TestApp, token: &str, org: &str, email: &str) -> roster_tests::Res {
    app.client.post(
        &format!("/v1/organizations/{org}/invitations"),
        Some(token),
        &json!({"email": email, "role": "member"}),
    )
}

fn an_invitation_is_mailed_and_its_link_lets_the_invitee_in(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("mailing-owner");
    app.create_org(&owner, "mailing-org");
    let invitee = app.sign_up("mailed-invitee");
    let created = invite(app, &owner.token, "mailing-org", &invitee.email);
    assert_eq!(created.status, 201, "{}", created.text);
    let mail = sink.wait_for(&invitee.email, "invited you to mailing-org");
    assert!(
        mail.link()
            .starts_with("https://app.example.test/invitations/accept?token=rsi_"),
        "{}",
        mail.link()
    );
    assert_eq!(mail.token(), created.body["token"].as_str().unwrap());
    assert!(mail.text.contains("as member"), "{}", mail.text);
    // The invitee never verified the address: accepting with the mailed token proves it.
    let res = app.client.post(
        "/v1/invitations/accept",
        Some(&invitee.token),
        &json!({"token": mail.token()}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let me = app.client.get("/v1/users/me", Some(&invitee.token));
    assert_eq!(me.body["email_verified"], true);
}

fn only_a_verified_address_lists_its_invitations(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("listing-owner");
    app.create_org(&owner, "listing-org");
    let invitee = app.sign_up("listing-invitee");
    assert_eq!(
        invite(app, &owner.token, "listing-org", &invitee.email).status,
        201
    );
    let mine = app.client.get(
        "/v1/users/me/invitations?include_total=true",
        Some(&invitee.token),
    );
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["data"], json!([]));
    assert_eq!(mine.body["meta"]["total"], 0);
    verify(app, sink, &invitee);
    let mine = app
        .client
        .get("/v1/users/me/invitations", Some(&invitee.token));
    assert_eq!(
        mine.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        mine.text
    );
}

fn a_pending_change_to_the_invitees_address_inherits_nothing(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("leak-owner");
    app.create_org(&owner, "leak-org");
    let invitee = roster_tests::unique_email("leak-invitee");
    let token = invite(app, &owner.token, "leak-org", &invitee).body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Someone holding the leaked token asks to change their address to the invitee's.
    let thief = app.sign_up("thief");
    verify(app, sink, &thief);
    let res = app.client.patch(
        "/v1/users/me",
        Some(&thief.token),
        &json!({"email": invitee}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.client.post(
        "/v1/invitations/accept",
        Some(&thief.token),
        &json!({"token": token}),
    );
    assert_problem(&res, 403, "invitation-for-another-email");
    let mine = app
        .client
        .get("/v1/users/me/invitations", Some(&thief.token));
    assert_eq!(mine.body["data"], json!([]));
}

fn resending_mails_a_new_token_and_the_old_one_stops_working(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("resend-owner");
    app.create_org(&owner, "resend-org");
    let invitee = app.sign_up("resend-invitee");
    let created = invite(app, &owner.token, "resend-org", &invitee.email);
    let id = created.body["id"].as_str().unwrap();
    let first = sink.wait_for(&invitee.email, "invited you");
    let path = format!("/v1/organizations/resend-org/invitations/{id}/resend");
    let res = app.client.post(&path, Some(&owner.token), &json!({}));
    assert_eq!(res.status, 202, "{}", res.text);
    let mails = sink.wait_for_count(&invitee.email, 3);
    let second = mails.last().unwrap();
    assert_eq!(second.token(), res.body["token"].as_str().unwrap());
    assert_ne!(second.token(), first.token());
    let res = app.client.post(&path, Some(&owner.token), &json!({}));
    assert_problem(&res, 429, "rate-limited");
    let old = app.client.post(
        "/v1/invitations/accept",
        Some(&invitee.token),
        &json!({"token": first.token()}),
    );
    assert_problem(&old, 404, "not-found");
    let new = app.client.post(
        "/v1/invitations/accept",
        Some(&invitee.token),
        &json!({"token": second.token()}),
    );
    assert_eq!(new.status, 201, "{}", new.text);
    let again = app.client.post(&path, Some(&owner.token), &json!({}));
    assert_problem(&again, 409, "invitation-accepted");
}

fn the_invitee_declines_with_the_mailed_token(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("declined-owner");
    app.create_org(&owner, "declined-org");
    let invitee = app.sign_up("decliner");
    let created = invite(app, &owner.token, "declined-org", &invitee.email);
    let token = sink.wait_for(&invitee.email, "invited you").token();
    let res = app
        .client
        .post("/v1/invitations/decline", None, &json!({"token": token}));
    assert_eq!(res.status, 204, "{}", res.text);
    let list = app.client.get(
        "/v1/organizations/declined-org/invitations?state=declined",
        Some(&owner.token),
    );
    assert_eq!(list.status, 200, "{}", list.text);
    let declined = &list.body["data"][0];
    assert_eq!(declined["id"], created.body["id"]);
    assert_eq!(declined["state"], "declined");
    assert!(declined["declined_at"].is_string());
    let accept = app.client.post(
        "/v1/invitations/accept",
        Some(&invitee.token),
        &json!({"token": token}),
    );
    assert_problem(&accept, 409, "invitation-declined");
    let events = app.client.get(
        "/v1/organizations/declined-org/events?type=invitation.declined",
        Some(&owner.token),
    );
    assert_eq!(events.status, 200, "{}", events.text);
    assert_eq!(
        events.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        events.text
    );
}

mail_tests!(
    an_invitation_is_mailed_and_its_link_lets_the_invitee_in,
    only_a_verified_address_lists_its_invitations,
    a_pending_change_to_the_invitees_address_inherits_nothing,
    resending_mails_a_new_token_and_the_old_one_stops_working,
    the_invitee_declines_with_the_mailed_token,
);

fn accepting_and_declining_at_once_one_wins(app: &TestApp, sink: &MailSink) {
    let owner = app.sign_up("race-owner");
    app.create_org(&owner, "race-org");
    let invitee = app.sign_up("torn");
    invite(app, &owner.token, "race-org", &invitee.email);
    let token = sink.wait_for(&invitee.email, "invited you").token();
    let (accepted, declined) = std::thread::scope(|s| {
        let accept = s.spawn(|| {
            app.client.post(
                "/v1/invitations/accept",
                Some(&invitee.token),
                &json!({"token": token}),
            )
        });
        let decline = s.spawn(|| {
            app.client
                .post("/v1/invitations/decline", None, &json!({"token": token}))
        });
        (accept.join().unwrap(), decline.join().unwrap())
    });
    let outcome = (accepted.status, declined.status);
    assert!(
        outcome == (201, 409) || outcome == (409, 204),
        "{outcome:?}: {} / {}",
        accepted.text,
        declined.text
    );
    let members = app
        .client
        .get("/v1/organizations/race-org/members", Some(&owner.token));
    let joined = members.body["data"].as_array().unwrap().len() == 2;
    assert_eq!(joined, accepted.status == 201, "{}", members.text);
}

mod races {
    use roster_tests::mail_tests;

    use super::*;

    mail_tests!(accepting_and_declining_at_once_one_wins);
}
