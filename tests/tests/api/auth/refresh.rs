//! Refresh tokens: rotation, reuse detection (the whole sign-in is revoked), and revocation.

use roster_tests::problem::{assert_invalid_grant, assert_invalid_request};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::stored::{age_rotation, stored_family};
use crate::support::token_endpoint::{refresh, token, verify_with_jwks};

fn refresh_rotates_and_the_old_token_then_fails(app: &TestApp) {
    let user = app.sign_up("rotate");
    let first = refresh(app, &user.refresh_token);
    assert_eq!(first.status, 200, "{}", first.text);
    let next = first.body["refresh_token"].as_str().unwrap();
    assert_ne!(next, user.refresh_token);
    let claims = verify_with_jwks(app, first.body["access_token"].as_str().unwrap());
    assert_eq!(claims.sub.to_string(), user.id);

    age_rotation(app, &user.refresh_token, 31);
    let again = refresh(app, &user.refresh_token);
    assert_invalid_grant(&again);
}

fn reused_refresh_token_revokes_the_whole_family(app: &TestApp) {
    let user = app.sign_up("reuse");
    let rotated = refresh(app, &user.refresh_token);
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let newest = rotated.body["refresh_token"].as_str().unwrap().to_owned();

    // The attacker replays the rotated token, past the grace period...
    age_rotation(app, &user.refresh_token, 31);
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    // ...and the legitimate holder's newest token has died with it.
    assert_invalid_grant(&refresh(app, &newest));

    let family = stored_family(app, &newest);
    assert_eq!(family.len(), 2);
    assert!(family.iter().all(|row| row.revoked_at.is_some()));

    // Another sign-in of the same user is a different family and unaffected.
    let other = app.login(&user.email, &user.password);
    assert_eq!(
        refresh(app, other["refresh_token"].as_str().unwrap()).status,
        200
    );
}

fn unknown_refresh_token_is_invalid_grant(app: &TestApp) {
    assert_invalid_grant(&refresh(app, "rrt_not-a-real-token"));
    let res = token(app, &json!({"grant_type": "refresh_token"}));
    assert_invalid_request(&res, "refresh_token");
}

fn revoked_refresh_token_no_longer_refreshes(app: &TestApp) {
    let user = app.sign_up("revoke");
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": user.refresh_token}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    assert!(stored_family(app, &user.refresh_token)
        .iter()
        .all(|row| row.revoked_at.is_some()));
}

fn revoking_a_rotated_token_ends_the_session(app: &TestApp) {
    let user = app.sign_up("revoke-old");
    let rotated = refresh(app, &user.refresh_token);
    let newest = rotated.body["refresh_token"].as_str().unwrap();
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": user.refresh_token}),
    );
    assert_eq!(res.status, 204);
    assert_invalid_grant(&refresh(app, newest));
}

fn revoking_garbage_is_still_204(app: &TestApp) {
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": "garbage", "token_type_hint": "refresh_token"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
}

/// Signing out ends the session's access tokens at once, not when they expire.
fn revoking_a_session_ends_its_access_tokens_at_once(app: &TestApp) {
    let user = app.sign_up("revoke");
    app.create_org(&user, "acme");
    let other = app.login(&user.email, &user.password);
    let other_token = other["access_token"].as_str().unwrap();
    assert_eq!(
        app.client.get("/v1/users/me", Some(&user.token)).status,
        200
    );

    let revoked = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": user.refresh_token}),
    );
    assert_eq!(revoked.status, 204);
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(me.status, 401, "{}", me.text);
    assert!(me.header("www-authenticate").is_some());
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&user.token))
            .status,
        401
    );
    assert_eq!(
        app.client
            .get("/v1/organizations", Some(&user.token))
            .status,
        401
    );
    // Another sign-in of the same user is another session, and goes on.
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(other_token))
            .status,
        200
    );
}

/// After reuse detection, even the access token minted from the stolen refresh token is dead.
fn a_replayed_refresh_token_ends_the_sessions_access_tokens(app: &TestApp) {
    let user = app.sign_up("replay");
    let rotated = refresh(app, &user.refresh_token);
    assert_eq!(rotated.status, 200);
    let fresh_access = rotated.body["access_token"].as_str().unwrap();
    assert_eq!(
        app.client.get("/v1/users/me", Some(fresh_access)).status,
        200
    );
    age_rotation(app, &user.refresh_token, 31);
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    assert_eq!(
        app.client.get("/v1/users/me", Some(fresh_access)).status,
        401
    );
}

/// Two tabs refresh with the same token at the same moment. Both get a valid successor, the
/// session stays alive, and each tab's new refresh token works afterwards.
fn two_tabs_refreshing_at_once_both_stay_signed_in(app: &TestApp) {
    for round in 0..5 {
        let user = app.sign_up(&format!("tabs{round}"));
        let answers: Vec<roster_tests::Res> = std::thread::scope(|scope| {
            let tabs: Vec<_> = (0..2)
                .map(|_| {
                    let (base, token) = (app.base.as_str(), user.refresh_token.as_str());
                    scope.spawn(move || {
                        let client = roster_tests::Client::new(base);
                        client.post(
                            "/v1/auth/token",
                            None,
                            &json!({"grant_type": "refresh_token", "refresh_token": token}),
                        )
                    })
                })
                .collect();
            tabs.into_iter().map(|tab| tab.join().unwrap()).collect()
        });
        for answer in &answers {
            assert_eq!(answer.status, 200, "{}", answer.text);
            let access = answer.body["access_token"].as_str().unwrap();
            assert_eq!(app.client.get("/v1/users/me", Some(access)).status, 200);
        }
        let successors: Vec<&str> = answers
            .iter()
            .map(|a| a.body["refresh_token"].as_str().unwrap())
            .collect();
        assert_ne!(successors[0], successors[1]);
        for successor in successors {
            assert_eq!(refresh(app, successor).status, 200);
        }
    }
}

/// Within the grace period a rotated token answers a successor; after it, it revokes the
/// session; and the grace can be switched off.
fn a_rotated_token_is_accepted_only_within_the_grace_period(app: &TestApp) {
    let user = app.sign_up("grace");
    let first = refresh(app, &user.refresh_token);
    assert_eq!(first.status, 200);
    let again = refresh(app, &user.refresh_token);
    assert_eq!(
        again.status, 200,
        "a moment later is within the grace: {}",
        again.text
    );
    age_rotation(app, &user.refresh_token, 31);
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    for newer in [&first, &again] {
        assert_invalid_grant(&refresh(app, newer.body["refresh_token"].as_str().unwrap()));
    }
}

/// The grace period gives what two tabs need, one more successor, and nothing more: ten
/// presentations of one rotated token at once get at most two working successors, and the
/// rest end the session.
fn the_grace_period_gives_one_more_successor_only(app: &TestApp) {
    let user = app.sign_up("greedy");
    let answers: Vec<roster_tests::Res> = std::thread::scope(|scope| {
        let tries: Vec<_> = (0..10)
            .map(|_| {
                let (base, token) = (app.base.as_str(), user.refresh_token.as_str());
                scope.spawn(move || {
                    roster_tests::Client::new(base).post(
                        "/v1/auth/token",
                        None,
                        &json!({"grant_type": "refresh_token", "refresh_token": token}),
                    )
                })
            })
            .collect();
        tries.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let issued = answers.iter().filter(|a| a.status == 200).count();
    assert!(
        (1..=2).contains(&issued),
        "{issued} successors from one rotated token"
    );
    let third = refresh(app, &user.refresh_token);
    assert_invalid_grant(&third);
    for answer in answers.iter().filter(|a| a.status == 200) {
        assert_invalid_grant(&refresh(
            app,
            answer.body["refresh_token"].as_str().unwrap(),
        ));
    }
    // One at a time: the first rotates, the second is the grace, the third is a replay.
    let calm = app.sign_up("calm");
    assert_eq!(refresh(app, &calm.refresh_token).status, 200);
    assert_eq!(refresh(app, &calm.refresh_token).status, 200);
    assert_invalid_grant(&refresh(app, &calm.refresh_token));
}

/// Signing out while the session refreshes: whichever comes first, the session ends, and no
/// successor issued at that moment outlives it.
fn signing_out_during_a_refresh_ends_the_session(app: &TestApp) {
    for round in 0..10 {
        let user = app.sign_up(&format!("race{round}"));
        let barrier = std::sync::Barrier::new(2);
        let refreshed = std::thread::scope(|scope| {
            let (base, token, barrier) = (app.base.as_str(), user.refresh_token.as_str(), &barrier);
            let refreshing = scope.spawn(move || {
                barrier.wait();
                roster_tests::Client::new(base).post(
                    "/v1/auth/token",
                    None,
                    &json!({"grant_type": "refresh_token", "refresh_token": token}),
                )
            });
            scope.spawn(move || {
                barrier.wait();
                let res = roster_tests::Client::new(base).post(
                    "/v1/auth/revoke",
                    None,
                    &json!({"token": token}),
                );
                assert_eq!(res.status, 204);
            });
            refreshing.join().unwrap()
        });
        if refreshed.status == 200 {
            let access = refreshed.body["access_token"].as_str().unwrap();
            assert_eq!(
                app.client.get("/v1/users/me", Some(access)).status,
                401,
                "round {round}: a successor outlived the sign-out"
            );
        }
        assert_eq!(
            app.client.get("/v1/users/me", Some(&user.token)).status,
            401
        );
    }
}

#[test]
fn without_a_grace_period_any_reuse_revokes_the_session() {
    roster_tests::with_flags(&["--refresh-token-grace", "0"], |app| {
        let user = app.sign_up("strict");
        let first = refresh(app, &user.refresh_token);
        assert_eq!(first.status, 200);
        assert_invalid_grant(&refresh(app, &user.refresh_token));
        assert_invalid_grant(&refresh(app, first.body["refresh_token"].as_str().unwrap()));
    });
}

backend_tests!(
    signing_out_during_a_refresh_ends_the_session,
    two_tabs_refreshing_at_once_both_stay_signed_in,
    the_grace_period_gives_one_more_successor_only,
    a_rotated_token_is_accepted_only_within_the_grace_period,
    revoking_a_session_ends_its_access_tokens_at_once,
    a_replayed_refresh_token_ends_the_sessions_access_tokens,
    refresh_rotates_and_the_old_token_then_fails,
    reused_refresh_token_revokes_the_whole_family,
    unknown_refresh_token_is_invalid_grant,
    revoked_refresh_token_no_longer_refreshes,
    revoking_a_rotated_token_ends_the_session,
    revoking_garbage_is_still_204,
);
