//! `organizations.create`: a new organization, its creator its owner, and the `members` named
//! with it (existing accounts by id join; emails get pending invitations, whether or not they
//! have an account), all in one transaction.

use roster_domain::{FieldError, OrgState, OrganizationId, Role, UserId, Visibility};
use roster_store::memberships::{self, MembershipRow};
use roster_store::users::UserRow;
use roster_store::{organizations, users, JsonValue, OrganizationRow, Ts};
use serde_json::{Map, Value};

use super::events;
use super::limits_policy::only_admins_set_limits;
use super::patch::{address_json, apply, OrganizationPatch};
use crate::invitations::{invite_into, CreatedInvitation, DEFAULT_HOURS};
use crate::members::{events as member_events, Invitee};
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
    pub organization: OrganizationRow,
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
            organization,
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
    add_member(cx, org, &caller.user, Role::Owner)?;
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
                let user = users::find(cx.conn(), id)?.ok_or_else(|| {
                    CoreError::field(FieldError::new(
                        format!("members[{index}].user_id"),
                        "not_found",
                        "no such user",
                    ))
                })?;
                if seen_users.contains(&user.id) {
                    return Err(duplicate());
                }
                seen_users.push(user.id);
                add_member(cx, org, &user, member.role)?;
            }
            Invitee::Email(email) => {
                if seen_emails.iter().any(|e| e == email.as_str()) {
                    return Err(duplicate());
                }
                seen_emails.push(email.as_str().to_owned());
                let invited = invite_into(
                    cx,
                    org,
                    Some(caller.id()),
                    email,
                    member.role,
                    DEFAULT_HOURS,
                )?;
                invitations.push(invited);
            }
        }
    }
    organizations::add_members(cx.conn(), org.id, seen_users.len() as i64)?;
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
        member_count: 0,
        version: 1,
        created_by: Some(creator),
        created_at: now,
        updated_at: now,
        closed_at: None,
    }
}

/// A new organization has only the built-in roles, and no more members than its limit.
fn check_members(members: &[NewMember], max_members: Option<i64>) -> Result<(), CoreError> {
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

/// A new membership with `role` and nothing else (no tags, no expiry).
pub(crate) fn plain_membership(
    org: &OrganizationRow,
    user: &UserRow,
    role: Role,
    now: Ts,
) -> MembershipRow {
    MembershipRow {
        organization_id: org.id,
        user_id: user.id,
        role,
        permissions: Vec::new(),
        expires_at: None,
        created_at: now,
        updated_at: now,
        email: user.email.clone(),
        name: user.name.clone(),
    }
}

/// Makes `user` a member of the new organization (its member count is set once, after).
fn add_member(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    user: &UserRow,
    role: Role,
) -> Result<(), CoreError> {
    let membership = plain_membership(org, user, role, cx.now());
    memberships::insert(cx.conn(), &membership)?;
    cx.record(member_events::created(&membership));
    Ok(())
}
