//! `organizations.create`: a new organization, its creator its owner, and the `members` named
//! with it (existing accounts by id join; emails get pending invitations, whether or not they
//! have an account), all in one transaction.

use roster_domain::{FieldError, OrgState, OrganizationId, Role, UserId, Visibility};
use roster_store::{organizations, users, JsonValue, OrganizationRow, Ts};
use serde_json::{Map, Value};

use super::limits_policy::only_admins_set_limits;
use super::patch::{address_json, apply, OrganizationPatch};
use super::{events, Organization};
use crate::invitations::{invite_into, CreatedInvitation, Sender, DEFAULT_HOURS};
use crate::members::joining::{join, Joining};
use crate::members::Invitee;
use crate::{
    Caller, Context, CoreError, Declared, Forbidden, Kind, Operation, OrgCreationPolicy,
    Requirement, Secrets,
};

#[derive(Debug, Clone)]
pub struct CreateOrganization {
    /// The organization's fields; `name` is required, `display_name` defaults to it.
    pub profile: OrganizationPatch,
    /// More members, made in the same transaction (the caller always becomes `owner`).
    pub members: Vec<NewMember>,
}

/// A member named at creation.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub who: Invitee,
    pub role: Role,
}

/// The new organization, and the invitations made for the emails among its `members` (with
/// their tokens, shown this once).
#[derive(Debug, Clone)]
pub struct Created {
    pub organization: Organization,
    pub invitations: Vec<CreatedInvitation>,
}

impl Declared for CreateOrganization {
    const NAME: &'static str = "organizations.create";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Write;
    // Invitations made for `members` carry their tokens.
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for CreateOrganization {
    type Output = Created;

    fn run(self, cx: &mut Context<'_>) -> Result<Created, CoreError> {
        let caller = cx.signed_in()?.clone();
        if cx.core().settings().org_creation == OrgCreationPolicy::Admins
            && !caller.is_platform_admin()
        {
            return Err(CoreError::forbidden(Forbidden::Policy(
                "only platform admins may create organizations here",
            )));
        }
        let mut row = empty_organization(caller.id(), cx.now());
        let display_name_given = self.profile.display_name.is_some();
        if self.profile.name.is_none() {
            return Err(CoreError::field(FieldError::new(
                "name",
                "required",
                "an organization needs a name",
            )));
        }
        let unlimited = row.limits();
        apply(&mut row, self.profile)?;
        if !display_name_given {
            row.display_name = row.name.clone();
        }
        only_admins_set_limits(&caller, unlimited, row.limits())?;
        check_members(&self.members, row.max_members)?;

        organizations::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        let invitations = add_members(cx, &row, &caller, self.members)?;
        let organization =
            organizations::find(cx.conn(), row.id)?.ok_or(CoreError::NotFound("organization"))?;
        Ok(Created {
            organization: organization.into(),
            invitations,
        })
    }
}

/// The caller as owner, then each member named (each user and each email once).
fn add_members(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    caller: &Caller,
    members: Vec<NewMember>,
) -> Result<Vec<CreatedInvitation>, CoreError> {
    let mut seen_users = vec![caller.id()];
    let mut seen_emails: Vec<String> = Vec::new();
    let mut invitations = Vec::new();
    join(cx, org, Joining::plain(caller.id(), Role::Owner))?;
    for (index, member) in members.into_iter().enumerate() {
        let duplicate = || {
            CoreError::field(FieldError::new(
                format!("members[{index}]"),
                "duplicate",
                "this member is named already",
            ))
        };
        match member.who {
            Invitee::User(id) => {
                match users::find(cx.conn(), id)? {
                    None => {
                        return Err(CoreError::field(FieldError::new(
                            format!("members[{index}].user_id"),
                            "not_found",
                            "no such user",
                        )))
                    }
                    Some(user) if !user.is_active() => {
                        return Err(CoreError::field(FieldError::new(
                            format!("members[{index}].user_id"),
                            "disabled",
                            "this account is disabled",
                        )))
                    }
                    Some(_) => {}
                }
                if seen_users.contains(&id) {
                    return Err(duplicate());
                }
                seen_users.push(id);
                join(cx, org, Joining::plain(id, member.role))?;
            }
            Invitee::Email(email) => {
                if seen_emails.iter().any(|e| e == email.as_str()) {
                    return Err(duplicate());
                }
                seen_emails.push(email.as_str().to_owned());
                let invited = invite_into(
                    cx,
                    org,
                    Sender::of(caller),
                    email,
                    member.role,
                    DEFAULT_HOURS,
                )?;
                invitations.push(invited);
            }
        }
    }
    Ok(invitations)
}

/// An active private organization made by `creator`, with nothing filled in yet.
pub(crate) fn empty_organization(creator: UserId, now: Ts) -> OrganizationRow {
    OrganizationRow {
        id: OrganizationId::new(),
        name: String::new(),
        display_name: String::new(),
        display_name_folded: String::new(),
        billing_email: None,
        description: None,
        website: None,
        logo_url: None,
        address: JsonValue(address_json(&roster_domain::Address::default())),
        reference: None,
        custom: JsonValue(Value::Object(Map::new())),
        state: OrgState::Active,
        personal: false,
        visibility: Visibility::Private,
        max_members: None,
        max_api_keys: None,
        max_invitations: None,
        max_teams: None,
        max_projects: None,
        member_count: 0,
        version: 1,
        created_by: Some(creator),
        created_at: now,
        updated_at: now,
        closed_at: None,
    }
}

/// At most this many `members` when an organization is created: more is a bulk import, which
/// goes through the members endpoint a page at a time instead of one long transaction that
/// holds everyone else up.
pub const MAX_MEMBERS_AT_CREATION: usize = 100;

/// A new organization has only the built-in roles, and no more members than its limit.
fn check_members(members: &[NewMember], max_members: Option<i64>) -> Result<(), CoreError> {
    if members.len() > MAX_MEMBERS_AT_CREATION {
        return Err(CoreError::field(FieldError::new(
            "members",
            "too_many",
            format!(
                "at most {MAX_MEMBERS_AT_CREATION} members when an organization is created; add more with POST /v1/organizations/{{org}}/members"
            ),
        )));
    }
    let unknown: Vec<FieldError> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.role.is_builtin())
        .map(|(index, _)| {
            FieldError::new(
                format!("members[{index}].role"),
                "unknown_role",
                "a new organization has only the built-in roles: owner, admin, member, viewer",
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(CoreError::Validation(unknown));
    }
    let joining = members
        .iter()
        .filter(|m| matches!(m.who, Invitee::User(_)))
        .count() as i64;
    if let Some(max) = max_members {
        if 1 + joining > max {
            return Err(CoreError::field(FieldError::new(
                "members",
                "limit_exceeded",
                format!("limits.max_members is {max}"),
            )));
        }
    }
    Ok(())
}
