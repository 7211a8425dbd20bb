//! The authorization matrix: every operation of the served OpenAPI document, tried by every
//! kind of caller, answers what its declared requirement (`x-roster-requires`) says.
//!
//! The expected answer comes from one table, [`expected`], that reads the requirement the
//! operation layer declares; each operation only says how to build a request that an allowed
//! caller gets through with, and what it then answers. An operation in the document without a
//! row here fails the test, and so does a row for an operation the document lacks.

use roster_tests::{with_admin, Res, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::access::{add_member, invite, member_path, org_key, personal_key};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Anonymous,
    NonMember,
    Viewer,
    Member,
    Admin,
    Owner,
    /// An organization key of `acme` with the viewer role (made by the owner).
    ViewerKey,
    /// An organization key of `acme` with the admin role (made by the owner).
    AdminKey,
    /// The member's personal key.
    PersonalKey,
    /// An admin of `acme` whose token is scoped to another organization.
    ScopedToOther,
    PlatformAdmin,
    /// A former admin of `acme`, disabled by a platform admin.
    Disabled,
    /// A member of `acme` who maintains its team `core` (which no project grants anything).
    TeamMaintainer,
    /// A viewer of `acme` in the team `leads`, which project `apollo` grants `owner`.
    ProjectOwnerViaTeam,
    /// A member of `acme` in the team `writers`, which `apollo` grants `writer`.
    WriterViaTeam,
    /// A viewer of `acme` in the team `readers`, which `apollo` grants `reader`.
    ReaderViaTeam,
    /// A viewer of `acme` in no team: it reads the organization-visible project `atlas`, which
    /// the project rows address for it instead of `apollo`.
    OrgVisibleReader,
}

const KINDS: [Kind; 17] = [
    Kind::Anonymous,
    Kind::NonMember,
    Kind::Viewer,
    Kind::Member,
    Kind::Admin,
    Kind::Owner,
    Kind::ViewerKey,
    Kind::AdminKey,
    Kind::PersonalKey,
    Kind::ScopedToOther,
    Kind::PlatformAdmin,
    Kind::Disabled,
    Kind::TeamMaintainer,
    Kind::ProjectOwnerViaTeam,
    Kind::WriterViaTeam,
    Kind::ReaderViaTeam,
    Kind::OrgVisibleReader,
];

/// A caller: its credential, and the person behind it (whose session can set things up).
struct Caller {
    kind: Kind,
    credential: Option<String>,
    person: Option<TestUser>,
}

impl Kind {
    fn is_key(self) -> bool {
        matches!(self, Kind::ViewerKey | Kind::AdminKey | Kind::PersonalKey)
    }

    fn is_organization_key(self) -> bool {
        matches!(self, Kind::ViewerKey | Kind::AdminKey)
    }

    /// The built-in role whose permissions the caller holds in `acme`, if it is in it.
    fn role(self) -> Option<&'static str> {
        match self {
            Kind::Viewer
            | Kind::ViewerKey
            | Kind::ProjectOwnerViaTeam
            | Kind::ReaderViaTeam
            | Kind::OrgVisibleReader => Some("viewer"),
            Kind::Member | Kind::PersonalKey | Kind::TeamMaintainer | Kind::WriterViaTeam => {
                Some("member")
            }
            Kind::Admin | Kind::AdminKey => Some("admin"),
            Kind::Owner => Some("owner"),
            _ => None,
        }
    }
}

/// The catalogue permissions of each built-in role (API.md).
fn role_grants(role: &str, permission: &str) -> bool {
    match role {
        "owner" => true,
        "admin" => permission != "organization:delete",
        "member" => [
            "organization:read",
            "members:read",
            "teams:read",
            "projects:read",
        ]
        .contains(&permission),
        "viewer" => permission == "organization:read",
        _ => false,
    }
}

/// The refusal, if any, that `requires` calls for when `kind` calls an operation whose
/// credential is checked (everything but health and the JWKS).
fn expected(requires: &str, kind: Kind) -> Option<u16> {
    if requires == "public" {
        return (kind == Kind::Disabled).then_some(401);
    }
    match kind {
        Kind::Anonymous | Kind::Disabled => return Some(401),
        Kind::PlatformAdmin => return None,
        _ => {}
    }
    match requires {
        "signed_in" => None,
        "account" => (kind.is_organization_key() || kind == Kind::ScopedToOther).then_some(403),
        "user_session" => (kind.is_key() || kind == Kind::ScopedToOther).then_some(403),
        "platform_admin" => Some(403),
        organization => {
            // Only the organization's members see it; a scoped token or key of another sees
            // nothing of it.
            let Some(role) = kind.role() else {
                return Some(404);
            };
            let allowed = match organization {
                "owner" => role == "owner" && !kind.is_key(),
                project if project.starts_with("project:") => {
                    return project_refusal(project, role, kind);
                }
                team if team.starts_with("team_maintainer|") => {
                    role_grants(role, "teams:write") || kind == Kind::TeamMaintainer
                }
                _ => {
                    let permission = organization
                        .strip_prefix("permission:")
                        .map(|p| p.trim_end_matches("|self"))
                        .unwrap_or_else(|| panic!("unknown requirement {organization:?}"));
                    role_grants(role, permission)
                }
            };
            (!allowed).then_some(403)
        }
    }
}

/// Access levels in order (API.md: `reader` < `writer` < `owner`).
fn rank(level: &str) -> u8 {
    ["reader", "writer", "owner"]
        .iter()
        .position(|l| *l == level)
        .unwrap_or_else(|| panic!("unknown access level {level:?}")) as u8
        + 1
}

/// What `project:<level>|permission:projects:write` answers a caller with `role` in `acme`, on
/// the project its rows address (`apollo`, or `atlas` for the organization-visible reader):
/// 404 without access, 403 below the level.
fn project_refusal(requires: &str, role: &str, kind: Kind) -> Option<u16> {
    let wanted = requires
        .strip_prefix("project:")
        .and_then(|r| r.split('|').next())
        .unwrap();
    let held = if role_grants(role, "projects:write") {
        Some("owner")
    } else {
        // API keys have no teams.
        match kind {
            Kind::ProjectOwnerViaTeam => Some("owner"),
            Kind::WriterViaTeam => Some("writer"),
            Kind::ReaderViaTeam | Kind::OrgVisibleReader => Some("reader"),
            _ => None,
        }
    };
    match held {
        None => Some(404),
        Some(held) if rank(held) < rank(wanted) => Some(403),
        Some(_) => None,
    }
}

/// The project rows address: `atlas` (organization-visible) for the caller that reads it by
/// visibility, else `apollo` (private; granted to the teams).
fn project_of(caller: &Caller) -> &'static str {
    if caller.kind == Kind::OrgVisibleReader {
        "atlas"
    } else {
        "apollo"
    }
}

/// A fresh project for a row that destroys it: made like the one the caller's rows address
/// (`apollo`'s grants, or `atlas`'s visibility).
fn fresh_project(w: &World, caller: &Caller) -> String {
    let name = format!("p-{}", uuid::Uuid::now_v7().simple());
    let visibility = if project_of(caller) == "atlas" {
        "organization"
    } else {
        "private"
    };
    let made = w.app.client.post(
        "/v1/organizations/acme/projects",
        Some(&w.owner.token),
        &json!({"name": name, "visibility": visibility}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    for (team, access) in [
        ("leads", "owner"),
        ("writers", "writer"),
        ("readers", "reader"),
    ] {
        grant(w, &name, team, access);
    }
    name
}

fn grant(w: &World, project: &str, team: &str, access: &str) {
    let res = w.app.client.put(
        &format!("/v1/organizations/acme/projects/{project}/teams/{team}"),
        Some(&w.owner.token),
        &json!({"access": access}),
    );
    assert!([200, 201].contains(&res.status), "{}", res.text);
}

/// A fresh team of `acme`, made by its owner.
fn fresh_team(w: &World) -> String {
    let name = format!("t-{}", uuid::Uuid::now_v7().simple());
    let made = w.app.client.post(
        "/v1/organizations/acme/teams",
        Some(&w.owner.token),
        &json!({"name": name}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    name
}

/// A fresh member of `acme` put in the team `core`, for rows that change or remove them.
fn fresh_core_member(w: &World) -> String {
    let user = w.fresh_member();
    let res = w.app.client.post(
        "/v1/organizations/acme/teams/core/members",
        Some(&w.owner.token),
        &json!({"user_id": user.id}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    user.id.clone()
}

/// The fixture every row works in: `acme` with one caller per role, `other`, and helpers.
struct World<'a> {
    app: &'a TestApp,
    owner: TestUser,
    admin: TestUser,
    platform_admin: TestUser,
    /// A member of `acme` that rows may read or ask about.
    target: TestUser,
    /// A user in no organization, for platform-admin rows.
    bystander: TestUser,
    /// A user none of the callers is, who makes organizations to invite callers to.
    host: TestUser,
}

impl World<'_> {
    fn fresh_member(&self) -> TestUser {
        let user = self.app.sign_up("fresh");
        add_member(self.app, &self.owner, "acme", &user, "viewer");
        user
    }
}

type Request = (String, Option<Value>);

/// `(method, path template, what an allowed caller gets, how to build the request)`.
type Row = (
    &'static str,
    &'static str,
    u16,
    fn(&World, &Caller) -> Request,
);

/// An endpoint that is created switched off, at a public address given as a literal (no DNS):
/// nothing is sent to it.
fn webhook_body() -> serde_json::Value {
    json!({"url": "https://93.184.215.14/hooks/matrix", "enabled": false})
}

/// A fresh endpoint of the platform admin's.
fn webhook(w: &World) -> String {
    let made = w.app.client.post(
        "/v1/webhooks",
        Some(&w.platform_admin.token),
        &webhook_body(),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    made.body["id"].as_str().unwrap().to_owned()
}

/// A fresh endpoint and a (test-message) delivery of it.
fn webhook_delivery(w: &World) -> (String, String) {
    let id = webhook(w);
    let queued = w.app.client.post(
        &format!("/v1/webhooks/{id}/test"),
        Some(&w.platform_admin.token),
        &json!({}),
    );
    assert_eq!(queued.status, 202, "{}", queued.text);
    (id, queued.body["id"].as_str().unwrap().to_owned())
}

/// One row per operation: `(method, path template, what an allowed caller gets, the request)`.
/// Requests that would destroy the fixture (closing `acme`, handing it over) are made so that
/// an allowed caller passes authorization and is then refused on the request's merits (422).
fn rows() -> Vec<Row> {
    vec![
        ("GET", "/healthz", 200, |_, _| ("/healthz".into(), None)),
        ("GET", "/readyz", 200, |_, _| ("/readyz".into(), None)),
        ("GET", "/.well-known/jwks.json", 200, |_, _| {
            ("/.well-known/jwks.json".into(), None)
        }),
        ("POST", "/v1/auth/token", 200, |w, _| {
            let user = &w.bystander;
            (
                "/v1/auth/token".into(),
                Some(
                    json!({"grant_type": "password", "username": user.email, "password": user.password}),
                ),
            )
        }),
        ("POST", "/v1/auth/revoke", 204, |_, _| {
            (
                "/v1/auth/revoke".into(),
                Some(json!({"token": "rrt_nothing"})),
            )
        }),
        ("GET", "/v1/auth/whoami", 200, |_, _| {
            ("/v1/auth/whoami".into(), None)
        }),
        // The mailed links' endpoints need no credential: the token is the proof (an unknown
        // one here: what a credential would change, it does not).
        ("POST", "/v1/auth/verify-email", 400, |_, _| {
            (
                "/v1/auth/verify-email".into(),
                Some(json!({"token": "rsv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})),
            )
        }),
        ("POST", "/v1/auth/password-reset", 202, |_, _| {
            let email = roster_tests::unique_email("forgot");
            (
                "/v1/auth/password-reset".into(),
                Some(json!({"email": email})),
            )
        }),
        ("POST", "/v1/auth/password-reset/confirm", 400, |_, _| {
            (
                "/v1/auth/password-reset/confirm".into(),
                Some(
                    json!({"token": "rsp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "new_password": "a long password"}),
                ),
            )
        }),
        ("POST", "/v1/invitations/decline", 204, |w, _| {
            let org = format!("dec-{}", uuid::Uuid::now_v7().simple());
            w.app.create_org(&w.host, &org);
            let email = roster_tests::unique_email("decliner");
            let token = invite(w.app, &w.host, &org, &email, "viewer")["token"]
                .as_str()
                .unwrap()
                .to_owned();
            (
                "/v1/invitations/decline".into(),
                Some(json!({"token": token})),
            )
        }),
        ("POST", "/v1/users", 201, |_, _| {
            let email = roster_tests::unique_email("signup");
            (
                "/v1/users".into(),
                Some(json!({"email": email, "password": "a long password"})),
            )
        }),
        ("GET", "/v1/users", 200, |_, _| ("/v1/users".into(), None)),
        ("GET", "/v1/users/me", 200, |_, _| {
            ("/v1/users/me".into(), None)
        }),
        ("PATCH", "/v1/users/me", 200, |_, _| {
            ("/v1/users/me".into(), Some(json!({"name": "Renamed"})))
        }),
        ("POST", "/v1/users/me/password", 204, |_, c| {
            let password = c
                .person
                .as_ref()
                .map_or("whatever password".to_owned(), |p| p.password.clone());
            (
                "/v1/users/me/password".into(),
                Some(json!({"current_password": password, "new_password": password})),
            )
        }),
        ("GET", "/v1/users/me/organizations", 200, |_, _| {
            ("/v1/users/me/organizations".into(), None)
        }),
        ("POST", "/v1/users/me/verify-email", 202, |w, c| {
            // A change of address waits (the caller's address may be proven already).
            if let Some(person) = &c.person {
                let moved = roster_tests::unique_email("moving");
                let res = w.app.client.patch(
                    "/v1/users/me",
                    Some(&person.token),
                    &json!({"email": moved}),
                );
                assert_eq!(res.status, 200, "{}", res.text);
            }
            ("/v1/users/me/verify-email".into(), None)
        }),
        // With a wrong password: the account stays for the rows after this one.
        ("DELETE", "/v1/users/me", 422, |_, _| {
            (
                "/v1/users/me".into(),
                Some(json!({"password": "not the password"})),
            )
        }),
        ("GET", "/v1/users/me/invitations", 200, |_, _| {
            ("/v1/users/me/invitations".into(), None)
        }),
        ("GET", "/v1/users/me/api-keys", 200, |_, _| {
            ("/v1/users/me/api-keys".into(), None)
        }),
        ("POST", "/v1/users/me/api-keys", 201, |_, _| {
            (
                "/v1/users/me/api-keys".into(),
                Some(json!({"name": "matrix"})),
            )
        }),
        ("DELETE", "/v1/users/me/api-keys/{id}", 204, |w, c| {
            // A key of the caller's own person, made with that person's session.
            let id = match &c.person {
                Some(person) => personal_key(w.app, person).0,
                None => uuid::Uuid::now_v7().to_string(),
            };
            (format!("/v1/users/me/api-keys/{id}"), None)
        }),
        ("GET", "/v1/users/{id}", 200, |w, _| {
            (format!("/v1/users/{}", w.bystander.id), None)
        }),
        ("DELETE", "/v1/users/{id}", 204, |w, _| {
            let doomed = w.app.sign_up("doomed");
            (format!("/v1/users/{}", doomed.id), None)
        }),
        ("PUT", "/v1/users/{id}/password", 204, |w, _| {
            let forgetful = w.app.sign_up("forgetful");
            (
                format!("/v1/users/{}/password", forgetful.id),
                Some(json!({"password": "set by an admin"})),
            )
        }),
        ("PATCH", "/v1/users/{id}", 200, |w, _| {
            (
                format!("/v1/users/{}", w.bystander.id),
                Some(json!({"name": "Seen"})),
            )
        }),
        ("GET", "/v1/users/{id}/organizations", 200, |w, _| {
            (format!("/v1/users/{}/organizations", w.target.id), None)
        }),
        ("GET", "/v1/events", 200, |_, _| ("/v1/events".into(), None)),
        ("POST", "/v1/webhooks", 201, |_, _| {
            ("/v1/webhooks".into(), Some(webhook_body()))
        }),
        ("GET", "/v1/webhooks", 200, |_, _| {
            ("/v1/webhooks".into(), None)
        }),
        ("GET", "/v1/webhooks/{id}", 200, |w, _| {
            (format!("/v1/webhooks/{}", webhook(w)), None)
        }),
        ("PATCH", "/v1/webhooks/{id}", 200, |w, _| {
            (
                format!("/v1/webhooks/{}", webhook(w)),
                Some(json!({"description": "matrix"})),
            )
        }),
        ("DELETE", "/v1/webhooks/{id}", 204, |w, _| {
            (format!("/v1/webhooks/{}", webhook(w)), None)
        }),
        ("POST", "/v1/webhooks/{id}/rotate-secret", 200, |w, _| {
            (format!("/v1/webhooks/{}/rotate-secret", webhook(w)), None)
        }),
        ("POST", "/v1/webhooks/{id}/test", 202, |w, _| {
            (format!("/v1/webhooks/{}/test", webhook(w)), None)
        }),
        ("GET", "/v1/webhooks/{id}/deliveries", 200, |w, _| {
            (format!("/v1/webhooks/{}/deliveries", webhook(w)), None)
        }),
        (
            "GET",
            "/v1/webhooks/{id}/deliveries/{delivery}/attempts",
            200,
            |w, _| {
                let (id, delivery) = webhook_delivery(w);
                (
                    format!("/v1/webhooks/{id}/deliveries/{delivery}/attempts"),
                    None,
                )
            },
        ),
        (
            "POST",
            "/v1/webhooks/{id}/deliveries/{delivery}/retry",
            202,
            |w, _| {
                let (id, delivery) = webhook_delivery(w);
                (
                    format!("/v1/webhooks/{id}/deliveries/{delivery}/retry"),
                    None,
                )
            },
        ),
        ("POST", "/v1/invitations/accept", 201, |w, c| {
            // An invitation to the caller's own email, to an organization it is not in.
            let email = c
                .person
                .as_ref()
                .map_or("nobody@example.test".to_owned(), |p| p.email.clone());
            let org = format!("inv-{}", uuid::Uuid::now_v7().simple());
            w.app.create_org(&w.host, &org);
            let token = invite(w.app, &w.host, &org, &email, "viewer")["token"]
                .as_str()
                .unwrap()
                .to_owned();
            (
                "/v1/invitations/accept".into(),
                Some(json!({"token": token})),
            )
        }),
        ("GET", "/v1/organizations", 200, |_, _| {
            ("/v1/organizations".into(), None)
        }),
        ("POST", "/v1/organizations", 201, |_, _| {
            let name = format!("made-{}", uuid::Uuid::now_v7().simple());
            ("/v1/organizations".into(), Some(json!({"name": name})))
        }),
        ("GET", "/v1/organizations/{org}", 200, |_, _| {
            ("/v1/organizations/acme".into(), None)
        }),
        ("PATCH", "/v1/organizations/{org}", 200, |_, _| {
            (
                "/v1/organizations/acme".into(),
                Some(json!({"description": "edited"})),
            )
        }),
        ("DELETE", "/v1/organizations/{org}", 422, |_, _| {
            (
                "/v1/organizations/acme?force=true&confirm=wrong".into(),
                None,
            )
        }),
        ("GET", "/v1/organizations/{org}/usage", 200, |_, _| {
            ("/v1/organizations/acme/usage".into(), None)
        }),
        ("GET", "/v1/organizations/{org}/events", 200, |_, _| {
            ("/v1/organizations/acme/events".into(), None)
        }),
        ("GET", "/v1/organizations/{org}/members", 200, |_, _| {
            ("/v1/organizations/acme/members".into(), None)
        }),
        ("POST", "/v1/organizations/{org}/members", 201, |w, _| {
            let user = w.app.sign_up("joiner");
            (
                "/v1/organizations/acme/members".into(),
                Some(json!({"user_id": user.id, "role": "viewer"})),
            )
        }),
        (
            "GET",
            "/v1/organizations/{org}/members/{user_id}",
            200,
            |w, _| (member_path("acme", &w.target.id), None),
        ),
        (
            "PATCH",
            "/v1/organizations/{org}/members/{user_id}",
            200,
            |w, _| {
                (
                    member_path("acme", &w.fresh_member().id),
                    Some(json!({"permissions": []})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/members/{user_id}",
            204,
            |w, _| (member_path("acme", &w.fresh_member().id), None),
        ),
        (
            "GET",
            "/v1/organizations/{org}/members/{user_id}/permissions",
            200,
            |w, _| {
                (
                    format!("{}/permissions", member_path("acme", &w.target.id)),
                    None,
                )
            },
        ),
        ("POST", "/v1/organizations/{org}/authorize", 200, |w, _| {
            (
                "/v1/organizations/acme/authorize".into(),
                Some(json!({"user_id": w.target.id, "permissions": ["members:read"]})),
            )
        }),
        (
            "POST",
            "/v1/organizations/{org}/transfer-ownership",
            422,
            |w, _| {
                (
                    "/v1/organizations/acme/transfer-ownership".into(),
                    Some(json!({"user_id": w.bystander.id})),
                )
            },
        ),
        ("GET", "/v1/organizations/{org}/roles", 200, |_, _| {
            ("/v1/organizations/acme/roles".into(), None)
        }),
        ("POST", "/v1/organizations/{org}/roles", 201, |_, _| {
            let key = format!("r-{}", uuid::Uuid::now_v7().simple());
            (
                "/v1/organizations/acme/roles".into(),
                Some(json!({"key": key, "name": "R", "permissions": ["organization:read"]})),
            )
        }),
        ("GET", "/v1/organizations/{org}/roles/{key}", 200, |_, _| {
            ("/v1/organizations/acme/roles/matrix".into(), None)
        }),
        (
            "PATCH",
            "/v1/organizations/{org}/roles/{key}",
            200,
            |_, _| {
                (
                    "/v1/organizations/acme/roles/matrix".into(),
                    Some(json!({"description": "touched"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/roles/{key}",
            204,
            |w, _| {
                let key = format!("d-{}", uuid::Uuid::now_v7().simple());
                let made = w.app.client.post(
                    "/v1/organizations/acme/roles",
                    Some(&w.owner.token),
                    &json!({"key": key, "name": "D", "permissions": []}),
                );
                assert_eq!(made.status, 201, "{}", made.text);
                (format!("/v1/organizations/acme/roles/{key}"), None)
            },
        ),
        ("GET", "/v1/organizations/{org}/invitations", 200, |_, _| {
            ("/v1/organizations/acme/invitations".into(), None)
        }),
        (
            "POST",
            "/v1/organizations/{org}/invitations",
            201,
            |_, _| {
                (
                    "/v1/organizations/acme/invitations".into(),
                    Some(json!({"email": roster_tests::unique_email("invitee"), "role": "viewer"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/invitations/{id}",
            204,
            |w, _| {
                let made = invite(
                    w.app,
                    &w.owner,
                    "acme",
                    &roster_tests::unique_email("revokee"),
                    "viewer",
                );
                (
                    format!(
                        "/v1/organizations/acme/invitations/{}",
                        made["id"].as_str().unwrap()
                    ),
                    None,
                )
            },
        ),
        (
            "POST",
            "/v1/organizations/{org}/invitations/{id}/resend",
            202,
            |w, _| {
                let made = invite(
                    w.app,
                    &w.owner,
                    "acme",
                    &roster_tests::unique_email("resent"),
                    "viewer",
                );
                (
                    format!(
                        "/v1/organizations/acme/invitations/{}/resend",
                        made["id"].as_str().unwrap()
                    ),
                    None,
                )
            },
        ),
        ("GET", "/v1/organizations/{org}/api-keys", 200, |_, _| {
            ("/v1/organizations/acme/api-keys".into(), None)
        }),
        ("POST", "/v1/organizations/{org}/api-keys", 201, |_, _| {
            (
                "/v1/organizations/acme/api-keys".into(),
                Some(json!({"name": "made", "role": "viewer"})),
            )
        }),
        (
            "DELETE",
            "/v1/organizations/{org}/api-keys/{id}",
            204,
            |w, _| {
                let (id, _) = org_key(w.app, &w.owner, "acme", "viewer", &[]);
                (format!("/v1/organizations/acme/api-keys/{id}"), None)
            },
        ),
        ("GET", "/v1/organizations/{org}/teams", 200, |_, _| {
            ("/v1/organizations/acme/teams".into(), None)
        }),
        ("POST", "/v1/organizations/{org}/teams", 201, |_, _| {
            let name = format!("t-{}", uuid::Uuid::now_v7().simple());
            (
                "/v1/organizations/acme/teams".into(),
                Some(json!({"name": name})),
            )
        }),
        (
            "GET",
            "/v1/organizations/{org}/teams/{team}",
            200,
            |_, _| ("/v1/organizations/acme/teams/core".into(), None),
        ),
        (
            "PATCH",
            "/v1/organizations/{org}/teams/{team}",
            200,
            |_, _| {
                (
                    "/v1/organizations/acme/teams/core".into(),
                    Some(json!({"description": "Matrix"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/teams/{team}",
            204,
            |w, _| {
                (
                    format!("/v1/organizations/acme/teams/{}", fresh_team(w)),
                    None,
                )
            },
        ),
        (
            "GET",
            "/v1/organizations/{org}/teams/{team}/members",
            200,
            |_, _| ("/v1/organizations/acme/teams/core/members".into(), None),
        ),
        (
            "POST",
            "/v1/organizations/{org}/teams/{team}/members",
            201,
            |w, _| {
                let user = w.fresh_member();
                (
                    "/v1/organizations/acme/teams/core/members".into(),
                    Some(json!({"user_id": user.id})),
                )
            },
        ),
        (
            "PATCH",
            "/v1/organizations/{org}/teams/{team}/members/{user_id}",
            200,
            |w, _| {
                (
                    format!(
                        "/v1/organizations/acme/teams/core/members/{}",
                        fresh_core_member(w)
                    ),
                    Some(json!({"role": "maintainer"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/teams/{team}/members/{user_id}",
            204,
            |w, _| {
                (
                    format!(
                        "/v1/organizations/acme/teams/core/members/{}",
                        fresh_core_member(w)
                    ),
                    None,
                )
            },
        ),
        (
            "GET",
            "/v1/organizations/{org}/teams/{team}/projects",
            200,
            |_, _| ("/v1/organizations/acme/teams/leads/projects".into(), None),
        ),
        ("GET", "/v1/organizations/{org}/projects", 200, |_, _| {
            ("/v1/organizations/acme/projects".into(), None)
        }),
        ("POST", "/v1/organizations/{org}/projects", 201, |_, _| {
            let name = format!("p-{}", uuid::Uuid::now_v7().simple());
            (
                "/v1/organizations/acme/projects".into(),
                Some(json!({"name": name})),
            )
        }),
        (
            "GET",
            "/v1/organizations/{org}/projects/{project}",
            200,
            |_, c| {
                (
                    format!("/v1/organizations/acme/projects/{}", project_of(c)),
                    None,
                )
            },
        ),
        (
            "PATCH",
            "/v1/organizations/{org}/projects/{project}",
            200,
            |_, c| {
                (
                    format!("/v1/organizations/acme/projects/{}", project_of(c)),
                    Some(json!({"description": "Matrix"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/projects/{project}",
            204,
            |w, c| {
                (
                    format!("/v1/organizations/acme/projects/{}", fresh_project(w, c)),
                    None,
                )
            },
        ),
        (
            "GET",
            "/v1/organizations/{org}/projects/{project}/teams",
            200,
            |_, c| {
                (
                    format!("/v1/organizations/acme/projects/{}/teams", project_of(c)),
                    None,
                )
            },
        ),
        (
            "PUT",
            "/v1/organizations/{org}/projects/{project}/teams/{team}",
            201,
            |w, c| {
                (
                    format!(
                        "/v1/organizations/acme/projects/{}/teams/{}",
                        project_of(c),
                        fresh_team(w)
                    ),
                    Some(json!({"access": "reader"})),
                )
            },
        ),
        (
            "DELETE",
            "/v1/organizations/{org}/projects/{project}/teams/{team}",
            204,
            |w, c| {
                let team = fresh_team(w);
                grant(w, project_of(c), &team, "reader");
                (
                    format!(
                        "/v1/organizations/acme/projects/{}/teams/{team}",
                        project_of(c)
                    ),
                    None,
                )
            },
        ),
        (
            "GET",
            "/v1/organizations/{org}/projects/{project}/access/{user_id}",
            200,
            |_, c| {
                // About the caller's own person: asking about someone else needs members:read
                // besides (an API key is never itself, and needs it).
                let user = c
                    .person
                    .as_ref()
                    .map_or(uuid::Uuid::now_v7().to_string(), |p| p.id.clone());
                (
                    format!(
                        "/v1/organizations/acme/projects/{}/access/{user}",
                        project_of(c)
                    ),
                    None,
                )
            },
        ),
    ]
}

/// What the declared requirement leaves out, said here once per operation with the reason.
fn refinement(method: &str, path: &str, kind: Kind) -> Option<u16> {
    match (method, path) {
        // An API key never makes API keys.
        ("POST", "/v1/organizations/{org}/api-keys") if kind.is_key() => Some(403),
        // Ownership is handed over by a person.
        ("POST", "/v1/organizations/{org}/transfer-ownership") if kind.is_key() => Some(403),
        // A credential confined to one organization creates no accounts, and a key none at all
        // (a leaked key must not leave accounts behind).
        ("POST", "/v1/users") if kind.is_key() || kind == Kind::ScopedToOther => Some(403),
        _ => None,
    }
}

/// Operations that check no credential at all (health, the public keys).
fn ignores_credentials(path: &str) -> bool {
    ["/healthz", "/readyz", "/.well-known/jwks.json"].contains(&path)
}

/// Every POST carries an `Idempotency-Key` (a fresh one each time): the operations that honour
/// it answer through the path that keeps their response with their change, and those that
/// ignore it are unaffected.
fn call(app: &TestApp, method: &str, caller: &Caller, request: &Request) -> Res {
    let key = uuid::Uuid::now_v7().to_string();
    let headers: &[(&str, &str)] = if method == "POST" {
        &[("Idempotency-Key", key.as_str())]
    } else {
        &[]
    };
    app.client.send_with(
        method,
        &request.0,
        caller.credential.as_deref(),
        headers,
        request.1.as_ref(),
    )
}

/// The callers whose standing comes from `acme`'s teams and projects.
struct TeamCallers {
    maintainer: TestUser,
    lead: TestUser,
    writer: TestUser,
    reader: TestUser,
    org_reader: TestUser,
}

/// Teams `core` (maintained by one member, granted nothing), `leads`, `writers` and `readers`
/// (granted `owner`, `writer` and `reader` on the private project `apollo`), the
/// organization-visible project `atlas`, and a caller in each place.
fn team_callers(app: &TestApp, owner: &TestUser) -> TeamCallers {
    let person = |role: &str| {
        let user = app.sign_up(role);
        add_member(app, owner, "acme", &user, role);
        user
    };
    let [maintainer, lead, writer, reader, org_reader] =
        ["member", "viewer", "member", "viewer", "viewer"].map(person);
    let org = "/v1/organizations/acme";
    let post = |path: &str, body: Value| {
        let res = app
            .client
            .post(&format!("{org}{path}"), Some(&owner.token), &body);
        assert_eq!(res.status, 201, "{path}: {}", res.text);
    };
    for (team, user, role) in [
        ("core", &maintainer, "maintainer"),
        ("leads", &lead, "member"),
        ("writers", &writer, "member"),
        ("readers", &reader, "member"),
    ] {
        post("/teams", json!({"name": team}));
        post(
            &format!("/teams/{team}/members"),
            json!({"user_id": user.id, "role": role}),
        );
    }
    post("/projects", json!({"name": "apollo"}));
    post(
        "/projects",
        json!({"name": "atlas", "visibility": "organization"}),
    );
    for (team, access) in [
        ("leads", "owner"),
        ("writers", "writer"),
        ("readers", "reader"),
    ] {
        let res = app.client.put(
            &format!("{org}/projects/apollo/teams/{team}"),
            Some(&owner.token),
            &json!({"access": access}),
        );
        assert_eq!(res.status, 201, "{}", res.text);
    }
    TeamCallers {
        maintainer,
        lead,
        writer,
        reader,
        org_reader,
    }
}

fn callers(
    w: &World,
    viewer: TestUser,
    member: TestUser,
    disabled: String,
    teams: TeamCallers,
) -> Vec<Caller> {
    let app = w.app;
    let (_, viewer_key) = org_key(app, &w.owner, "acme", "viewer", &[]);
    let (_, admin_key) = org_key(app, &w.owner, "acme", "admin", &[]);
    let (_, member_personal) = personal_key(app, &member);
    let non_member = app.sign_up("outsider");
    // An admin of acme whose token is scoped to its own other organization.
    let scoped_user = app.sign_up("scoped");
    add_member(app, &w.owner, "acme", &scoped_user, "admin");
    app.create_org(&scoped_user, "other");
    let scoped = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": scoped_user.email, "password": scoped_user.password, "organization": "other"}),
    );
    let scoped_token = scoped.body["access_token"].as_str().unwrap().to_owned();
    let person = |kind, credential: Option<String>, person: Option<&TestUser>| Caller {
        kind,
        credential,
        person: person.cloned(),
    };
    let signed_in = |kind, user: &TestUser| person(kind, Some(user.token.clone()), Some(user));
    KINDS
        .iter()
        .map(|kind| match kind {
            Kind::Anonymous => person(*kind, None, None),
            Kind::NonMember => person(*kind, Some(non_member.token.clone()), Some(&non_member)),
            Kind::Viewer => person(*kind, Some(viewer.token.clone()), Some(&viewer)),
            Kind::Member => person(*kind, Some(member.token.clone()), Some(&member)),
            Kind::Admin => person(*kind, Some(w.admin.token.clone()), Some(&w.admin)),
            Kind::Owner => person(*kind, Some(w.owner.token.clone()), Some(&w.owner)),
            Kind::ViewerKey => person(*kind, Some(viewer_key.clone()), Some(&w.owner)),
            Kind::AdminKey => person(*kind, Some(admin_key.clone()), Some(&w.owner)),
            Kind::PersonalKey => person(*kind, Some(member_personal.clone()), Some(&member)),
            Kind::ScopedToOther => person(*kind, Some(scoped_token.clone()), Some(&scoped_user)),
            Kind::PlatformAdmin => person(
                *kind,
                Some(w.platform_admin.token.clone()),
                Some(&w.platform_admin),
            ),
            Kind::Disabled => person(*kind, Some(disabled.clone()), None),
            Kind::TeamMaintainer => signed_in(*kind, &teams.maintainer),
            Kind::ProjectOwnerViaTeam => signed_in(*kind, &teams.lead),
            Kind::WriterViaTeam => signed_in(*kind, &teams.writer),
            Kind::ReaderViaTeam => signed_in(*kind, &teams.reader),
            Kind::OrgVisibleReader => signed_in(*kind, &teams.org_reader),
        })
        .collect()
}

#[test]
fn every_operation_answers_every_caller_as_its_requirement_says() {
    with_admin(&[], |app, platform_admin| {
        let owner = app.sign_up("owner");
        app.create_org(&owner, "acme");
        let [viewer, member, admin, target, gone] =
            ["viewer", "member", "admin", "viewer", "admin"].map(|role| {
                let user = app.sign_up(role);
                add_member(app, &owner, "acme", &user, role);
                user
            });
        let role = app.client.post(
            "/v1/organizations/acme/roles",
            Some(&owner.token),
            &json!({"key": "matrix", "name": "M", "permissions": []}),
        );
        assert_eq!(role.status, 201);
        let disabled = app.client.patch(
            &format!("/v1/users/{}", gone.id),
            Some(&platform_admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(disabled.status, 200, "{}", disabled.text);
        let world = World {
            app,
            owner,
            admin,
            platform_admin: platform_admin.clone(),
            target,
            bystander: app.sign_up("bystander"),
            host: app.sign_up("host"),
        };
        let teams = team_callers(app, &world.owner);
        let callers = callers(&world, viewer, member, gone.token.clone(), teams);

        let doc = app.client.get("/openapi.json", None).body;
        let table = rows();
        let mut documented = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let method = method.to_uppercase();
                let requires = operation["x-roster-requires"].as_str().unwrap().to_owned();
                documented.push((method.clone(), path.clone()));
                let Some((_, _, allowed, request)) =
                    table.iter().find(|(m, p, _, _)| *m == method && p == path)
                else {
                    panic!("{method} {path} has no row in the authorization matrix");
                };
                for caller in &callers {
                    let want = if ignores_credentials(path) {
                        None
                    } else {
                        refinement(&method, path, caller.kind)
                            .or_else(|| expected(&requires, caller.kind))
                    };
                    let built = request(&world, caller);
                    let res = call(app, &method, caller, &built);
                    let want_status = want.unwrap_or(*allowed);
                    assert_eq!(
                        res.status, want_status,
                        "{method} {path} ({requires}) as {:?}: {}",
                        caller.kind, res.text
                    );
                }
            }
        }
        for (method, path, _, _) in &table {
            assert!(
                documented.iter().any(|(m, p)| m == method && p == path),
                "{method} {path} has a row but is not in the document"
            );
        }
    });
}
