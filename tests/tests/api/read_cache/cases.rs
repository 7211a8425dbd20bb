//! The revocations the read cache must never outlive, each as a request that works before and
//! a change that must make it stop working.

use roster_tests::{Client, Res, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::access::{add_member, member_path, org_key};
use crate::support::teams::{create_team, grant};

/// A request that works until the case's change is made.
pub struct Probe {
    pub method: &'static str,
    pub path: String,
    pub token: String,
    pub body: Option<Value>,
    /// Whether the answer says it still works.
    pub works: fn(&Res) -> bool,
}

impl Probe {
    /// Reading the organization at `path` works (200, not closed).
    pub fn get(path: String, token: &str) -> Probe {
        Probe {
            method: "GET",
            path,
            token: token.to_owned(),
            body: None,
            works: |res| res.status == 200 && res.body["state"] != "closed",
        }
    }

    fn authorize(org: &str, token: &str, body: Value) -> Probe {
        Probe {
            method: "POST",
            path: format!("/v1/organizations/{org}/authorize"),
            token: token.to_owned(),
            body: Some(body),
            works: |res| res.status == 200 && res.body["allowed"] == true,
        }
    }

    pub fn send(&self, client: &Client) -> Res {
        match self.method {
            "GET" => client.get(&self.path, Some(&self.token)),
            _ => client.post(
                &self.path,
                Some(&self.token),
                self.body.as_ref().unwrap_or(&Value::Null),
            ),
        }
    }

    pub fn works(&self, client: &Client) -> bool {
        (self.works)(&self.send(client))
    }
}

/// A case ready to be revoked: the probe, and the change (made through `client`).
pub struct Prepared {
    pub probe: Probe,
    pub revoke: Box<dyn FnOnce(&Client)>,
}

/// Each revocation: its name, and how to set it up on `app` (with the platform `admin`).
pub type Case = (&'static str, fn(&TestApp, &TestUser, &str) -> Prepared);

pub const CASES: [Case; 19] = [
    ("sign-out", sign_out),
    ("password change", password_change),
    ("disabled user", disabled_user),
    ("removed member", removed_member),
    ("own role changed", own_role_changed),
    ("another member's role changed", subject_role_changed),
    ("tags changed", tags_changed),
    ("custom role edited", custom_role_edited),
    ("API key revoked", api_key_revoked),
    ("organization closed", organization_closed),
    ("organization deleted", organization_deleted),
    ("visibility changed", visibility_changed),
    ("removed from the team", removed_from_team),
    ("project grant removed", project_grant_removed),
    ("team deleted", team_deleted),
    ("project made private", project_made_private),
    ("grant lowered", grant_lowered),
    ("project renamed", project_renamed),
    ("project deleted", project_deleted),
];

fn org_get(org: &str) -> String {
    format!("/v1/organizations/{org}")
}

fn expect(res: Res, status: u16, what: &str) {
    assert_eq!(res.status, status, "{what}: {}", res.text);
}

/// The change that is a `DELETE` of `path` by the holder of `token`, answered `status`.
fn deleting(
    path: String,
    token: String,
    status: u16,
    what: &'static str,
) -> Box<dyn FnOnce(&Client)> {
    Box::new(move |client| expect(client.delete(&path, Some(&token)), status, what))
}

fn sign_out(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-sign-out");
    app.create_org(&owner, org);
    Prepared {
        probe: Probe::get(org_get(org), &owner.token),
        revoke: Box::new(move |client| {
            let body = json!({"token": owner.refresh_token});
            expect(
                client.post("/v1/auth/revoke", Some(&owner.token), &body),
                204,
                "revoke",
            );
        }),
    }
}

fn password_change(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-password");
    app.create_org(&owner, org);
    // The session that changes the password stays; every other one ends.
    let elsewhere = app.login(&owner.email, &owner.password);
    Prepared {
        probe: Probe::get(org_get(org), elsewhere["access_token"].as_str().unwrap()),
        revoke: Box::new(move |client| {
            let body =
                json!({"current_password": owner.password, "new_password": "another long one"});
            let res = client.post("/v1/users/me/password", Some(&owner.token), &body);
            assert!(res.status < 300, "password change: {}", res.text);
        }),
    }
}

fn disabled_user(app: &TestApp, admin: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-disabled");
    app.create_org(&owner, org);
    let admin = admin.clone();
    Prepared {
        probe: Probe::get(org_get(org), &owner.token),
        revoke: Box::new(move |client| {
            let path = format!("/v1/users/{}", owner.id);
            let res = client.patch(&path, Some(&admin.token), &json!({"state": "disabled"}));
            expect(res, 200, "disable");
        }),
    }
}

fn removed_member(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-remover");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-removed");
    add_member(app, &owner, org, &member, "member");
    let path = member_path(org, &member.id);
    Prepared {
        probe: Probe::get(org_get(org), &member.token),
        revoke: deleting(path, owner.token, 204, "remove"),
    }
}

fn role_change(app: &TestApp, org: &str, about_self: bool) -> Prepared {
    let owner = app.sign_up("cache-role-owner");
    app.create_org(&owner, org);
    let admin = app.sign_up("cache-role-admin");
    add_member(app, &owner, org, &admin, "admin");
    let probe = if about_self {
        Probe::authorize(org, &admin.token, json!({"permissions": ["members:write"]}))
    } else {
        Probe::authorize(
            org,
            &owner.token,
            json!({"user_id": admin.id, "permissions": ["members:write"]}),
        )
    };
    let path = member_path(org, &admin.id);
    Prepared {
        probe,
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"role": "member"}));
            expect(res, 200, "demote");
        }),
    }
}

fn own_role_changed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    role_change(app, org, true)
}

fn subject_role_changed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    role_change(app, org, false)
}

fn tags_changed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-tags-owner");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-tagged");
    let res = app.client.post(
        &format!("/v1/organizations/{org}/members"),
        Some(&owner.token),
        &json!({"user_id": member.id, "role": "member", "permissions": ["reports:read"]}),
    );
    expect(res, 201, "add with a tag");
    let path = member_path(org, &member.id);
    Prepared {
        probe: Probe::authorize(org, &member.token, json!({"permissions": ["reports:read"]})),
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"permissions": []}));
            expect(res, 200, "untag");
        }),
    }
}

fn custom_role_edited(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-custom-owner");
    app.create_org(&owner, org);
    let res = app.client.post(
        &format!("/v1/organizations/{org}/roles"),
        Some(&owner.token),
        &json!({"key": "auditor", "name": "Auditor", "permissions": ["events:read"]}),
    );
    expect(res, 201, "custom role");
    let member = app.sign_up("cache-auditor");
    add_member(app, &owner, org, &member, "auditor");
    let path = format!("/v1/organizations/{org}/roles/auditor");
    Prepared {
        probe: Probe::authorize(org, &member.token, json!({"permissions": ["events:read"]})),
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"permissions": []}));
            expect(res, 200, "edit the role");
        }),
    }
}

fn api_key_revoked(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-key-owner");
    app.create_org(&owner, org);
    let (id, secret) = org_key(app, &owner, org, "admin", &[]);
    let path = format!("/v1/organizations/{org}/api-keys/{id}");
    Prepared {
        probe: Probe::get(org_get(org), &secret),
        revoke: deleting(path, owner.token, 204, "revoke the key"),
    }
}

fn organization_closed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-closer");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-closed-member");
    add_member(app, &owner, org, &member, "member");
    let path = org_get(org);
    Prepared {
        probe: Probe::get(org_get(org), &member.token),
        revoke: deleting(path, owner.token, 200, "close"),
    }
}

fn organization_deleted(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-deleter");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-deleted-member");
    add_member(app, &owner, org, &member, "member");
    let path = format!("/v1/organizations/{org}?force=true&confirm={org}");
    Prepared {
        probe: Probe::get(org_get(org), &member.token),
        revoke: deleting(path, owner.token, 204, "delete"),
    }
}

fn visibility_changed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-publisher");
    app.create_org(&owner, org);
    let res = app.client.patch(
        &org_get(org),
        Some(&owner.token),
        &json!({"visibility": "public"}),
    );
    expect(res, 200, "make public");
    let outsider = app.sign_up("cache-outsider");
    let path = org_get(org);
    Prepared {
        probe: Probe::get(org_get(org), &outsider.token),
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"visibility": "private"}));
            expect(res, 200, "make private");
        }),
    }
}

/// An organization `org` whose member is in the team `devs`, which holds `writer` on the
/// private project `web`; returns the owner and the member.
fn project_through_a_team(app: &TestApp, org: &str) -> (TestUser, TestUser) {
    let owner = app.sign_up("cache-project-owner");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-project-member");
    add_member(app, &owner, org, &member, "member");
    create_team(app, &owner, org, "devs");
    let res = app.client.post(
        &format!("/v1/organizations/{org}/teams/devs/members"),
        Some(&owner.token),
        &json!({"user_id": member.id}),
    );
    expect(res, 201, "join the team");
    let res = app.client.post(
        &format!("/v1/organizations/{org}/projects"),
        Some(&owner.token),
        &json!({"name": "web"}),
    );
    expect(res, 201, "create the project");
    grant(app, &owner, org, "web", "devs", "writer");
    (owner, member)
}

/// `authorize` answers that the member may write to `web` (asked by themselves or, with
/// `asker`, by someone else about them).
fn may_write_web(org: &str, member: &TestUser, asker: Option<&TestUser>) -> Probe {
    let mut probe = Probe::authorize(
        org,
        &asker.unwrap_or(member).token,
        json!({"permissions": [], "project": "web", "project_access": "writer"}),
    );
    if asker.is_some() {
        probe.body = Some(json!({
            "user_id": member.id, "permissions": [], "project": "web", "project_access": "writer"
        }));
    }
    probe
}

fn removed_from_team(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/teams/devs/members/{}", member.id);
    Prepared {
        probe: may_write_web(org, &member, None),
        revoke: deleting(path, owner.token, 204, "leave the team"),
    }
}

fn project_grant_removed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/projects/web/teams/devs");
    Prepared {
        probe: may_write_web(org, &member, Some(&owner)),
        revoke: deleting(path, owner.token, 204, "remove the grant"),
    }
}

fn team_deleted(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/teams/devs");
    Prepared {
        probe: may_write_web(org, &member, None),
        revoke: deleting(path, owner.token, 204, "delete the team"),
    }
}

fn project_made_private(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let owner = app.sign_up("cache-project-publisher");
    app.create_org(&owner, org);
    let member = app.sign_up("cache-project-reader");
    add_member(app, &owner, org, &member, "member");
    let res = app.client.post(
        &format!("/v1/organizations/{org}/projects"),
        Some(&owner.token),
        &json!({"name": "web", "visibility": "organization"}),
    );
    expect(res, 201, "create the project");
    let path = format!("/v1/organizations/{org}/projects/web");
    Prepared {
        probe: Probe::authorize(
            org,
            &member.token,
            json!({"permissions": [], "project": "web", "project_access": "reader"}),
        ),
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"visibility": "private"}));
            expect(res, 200, "make the project private");
        }),
    }
}

fn grant_lowered(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/projects/web/teams/devs");
    Prepared {
        probe: may_write_web(org, &member, None),
        revoke: Box::new(move |client| {
            let res = client.put(&path, Some(&owner.token), &json!({"access": "reader"}));
            expect(res, 200, "lower the grant");
        }),
    }
}

/// Asked about by its old name, a renamed project is no longer there.
fn project_renamed(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/projects/web");
    Prepared {
        probe: may_write_web(org, &member, Some(&owner)),
        revoke: Box::new(move |client| {
            let res = client.patch(&path, Some(&owner.token), &json!({"name": "site"}));
            expect(res, 200, "rename the project");
        }),
    }
}

/// Reading the project itself (the project requirement's own check) stops with it.
fn project_deleted(app: &TestApp, _: &TestUser, org: &str) -> Prepared {
    let (owner, member) = project_through_a_team(app, org);
    let path = format!("/v1/organizations/{org}/projects/web");
    Prepared {
        probe: Probe {
            method: "GET",
            path: path.clone(),
            token: member.token.clone(),
            body: None,
            works: |res| res.status == 200 && res.body["access"] == "writer",
        },
        revoke: deleting(path, owner.token, 204, "delete the project"),
    }
}

/// The read cache's hits so far, from the management listener's `/metrics`.
pub fn cache_hits(management: &Client) -> u64 {
    metric(management, "roster_read_cache_hits_total")
}

/// One sample of `/metrics`.
pub fn metric(management: &Client, name: &str) -> u64 {
    let text = management.get("/metrics", None).text;
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map(|value| value as u64)
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// Reads the probe until the cache has served it (the hits counter moved), so that the
/// revocation that follows meets a warm cache.
pub fn warm(client: &Client, management: &Client, probe: &Probe, case: &str) {
    let before = cache_hits(management);
    for _ in 0..3 {
        assert!(
            probe.works(client),
            "{case}: the probe works before the change"
        );
    }
    assert!(
        cache_hits(management) > before,
        "{case}: the probe was never answered from the cache"
    );
    // Warm through and through: a request that misses nothing. (The set-up's own changes may
    // still be arriving from another instance and empty an entry once more: a few tries.)
    let mut fully_warm = false;
    for _ in 0..10 {
        let misses = metric(management, "roster_read_cache_misses_total");
        assert!(
            probe.works(client),
            "{case}: the probe works before the change"
        );
        if metric(management, "roster_read_cache_misses_total") == misses {
            fully_warm = true;
            break;
        }
    }
    assert!(
        fully_warm,
        "{case}: the probe still reads something the cache does not hold"
    );
}
