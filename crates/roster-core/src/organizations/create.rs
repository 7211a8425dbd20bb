//! `organizations.create`: a new organization, its creator its owner, and any `members` named
//! with it, all in one transaction.

use roster_domain::{Email, FieldError, OrgState, OrganizationId, Role, UserId, Visibility};
use roster_store::memberships::{self, MembershipRow};
use roster_store::{organizations, users, JsonValue, OrganizationRow};
use serde_json::{Map, Value};

use super::events;
use super::patch::{address_json, apply, OrganizationPatch};
use crate::{
    Context, CoreError, Declared, Forbidden, Kind, Operation, OrgCreationPolicy, Requirement,
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
    pub user: MemberRef,
    pub role: Role,
}

/// An existing account, by id or by email.
#[derive(Debug, Clone)]
pub enum MemberRef {
    Id(UserId),
    Email(Email),
}

impl Declared for CreateOrganization {
    const NAME: &'static str = "organizations.create";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Write;
}

impl Operation for CreateOrganization {
    type Output = OrganizationRow;

    fn run(self, cx: &mut Context<'_>) -> Result<OrganizationRow, CoreError> {
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
        apply(&mut row, self.profile)?;
        if !display_name_given {
            row.display_name = row.name.clone();
        }
        check_members(&self.members, row.max_members)?;

        organizations::insert(cx.conn(), &row)?;
        cx.record(events::created(&row));
        let mut seen = Vec::with_capacity(self.members.len() + 1);
        add_member(cx, &row, caller.id(), Role::Owner)?;
        seen.push(caller.id());
        for (index, member) in self.members.into_iter().enumerate() {
            let user_id = find_member(cx, &member.user, index)?;
            if seen.contains(&user_id) {
                return Err(CoreError::field(FieldError::new(
                    format!("members[{index}]"),
                    "duplicate",
                    "this user is already a member",
                )));
            }
            seen.push(user_id);
            add_member(cx, &row, user_id, member.role)?;
        }
        organizations::add_members(cx.conn(), row.id, seen.len() as i64)?;
        organizations::find(cx.conn(), row.id)?.ok_or(CoreError::NotFound("organization"))
    }
}

fn empty_organization(creator: UserId, now: roster_store::Ts) -> OrganizationRow {
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
    if let Some(max) = max_members {
        if 1 + members.len() as i64 > max {
            return Err(CoreError::field(FieldError::new(
                "members",
                "limit_exceeded",
                format!("limits.max_members is {max}"),
            )));
        }
    }
    Ok(())
}

fn find_member(
    cx: &mut Context<'_>,
    member: &MemberRef,
    index: usize,
) -> Result<UserId, CoreError> {
    let unknown = |field: &str| {
        CoreError::field(FieldError::new(
            format!("members[{index}].{field}"),
            "not_found",
            "no such user",
        ))
    };
    let user = match member {
        MemberRef::Id(id) => users::find(cx.conn(), *id)?.ok_or_else(|| unknown("user_id"))?,
        MemberRef::Email(email) => {
            users::find_by_email(cx.conn(), email.as_str())?.ok_or_else(|| unknown("email"))?
        }
    };
    Ok(user.id)
}

fn add_member(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    user_id: UserId,
    role: Role,
) -> Result<(), CoreError> {
    let now = cx.now();
    let membership = MembershipRow {
        organization_id: org.id,
        user_id,
        role,
        permissions: JsonValue(Value::Array(Vec::new())),
        expires_at: None,
        created_at: now,
        updated_at: now,
    };
    memberships::insert(cx.conn(), &membership)?;
    cx.record(events::membership_created(&membership));
    Ok(())
}
