//! `members.authorize`: one call answers an application's access question: may this user (the
//! caller, by default) do each of these things in the organization? Catalogue permissions and
//! application permissions alike; tags ending in `*` grant by prefix.

use roster_domain::{
    in_catalogue_area, validate_permission_name, FieldError, Grants, Permission, UserId,
};
use roster_store::org_access::subject_standing;
use roster_store::organizations::OrgKey;

use crate::access::member_grants;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// At most this many permissions in one question.
pub const MAX_ASKED: usize = 100;

#[derive(Debug, Clone)]
pub struct Authorize {
    pub organization: OrgKey,
    /// Whom the question is about; `None` for the caller itself (an API key included).
    pub user: Option<UserId>,
    pub permissions: Vec<String>,
}

/// The answer: each permission asked, and whether all are granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub results: Vec<(String, bool)>,
}

impl Declared for Authorize {
    const NAME: &'static str = "members.authorize";
    const REQUIRES: Requirement = Requirement::OrganizationOrSelf(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for Authorize {
    type Output = Decision;

    fn run(self, cx: &mut Context<'_>) -> Result<Decision, CoreError> {
        check_asked(&self.permissions)?;
        let access = cx.organization_about(&self.organization, self.user)?;
        let grants = match self.user {
            Some(user) if !access.is_self(user) => {
                let now = cx.now();
                subject_grants(cx, access.org.id, user, now)?
            }
            _ => access.grants.clone(),
        };
        let results: Vec<(String, bool)> = self
            .permissions
            .into_iter()
            .map(|p| {
                let granted = grants.allows(&p);
                (p, granted)
            })
            .collect();
        Ok(Decision {
            allowed: results.iter().all(|(_, granted)| *granted),
            results,
        })
    }
}

fn check_asked(permissions: &[String]) -> Result<(), CoreError> {
    if permissions.is_empty() || permissions.len() > MAX_ASKED {
        return Err(CoreError::field(FieldError::new(
            "permissions",
            "out_of_range",
            format!("ask about 1 to {MAX_ASKED} permissions"),
        )));
    }
    let errors: Vec<FieldError> = permissions
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let field = format!("permissions[{i}]");
            validate_permission_name(p, &field).err().or_else(|| {
                // A misspelt catalogue permission would otherwise be a silent `false`.
                (in_catalogue_area(p) && Permission::parse(p).is_none()).then(|| {
                    FieldError::new(
                        field,
                        "unknown_permission",
                        format!("`{p}` is not in the permission catalogue"),
                    )
                })
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errors))
    }
}

/// What another user may do here, from their membership alone: a member its role and tags, and
/// anyone else (a non-member, a disabled user) nothing. Whether someone is a platform admin is
/// not the asker's business; 422 for a user that does not exist.
fn subject_grants(
    cx: &mut Context<'_>,
    organization: roster_domain::OrganizationId,
    user: UserId,
    now: roster_store::Ts,
) -> Result<Grants, CoreError> {
    let Some((row, membership, custom_role)) =
        subject_standing(cx.conn(), organization, user, now)?
    else {
        return Err(CoreError::field(FieldError::new(
            "user_id",
            "not_found",
            "no such user",
        )));
    };
    if !row.is_active() {
        return Ok(Grants::default());
    }
    Ok(member_grants(membership.as_ref(), custom_role.as_ref()))
}
