//! Memberships past their `expires_at` grant nothing from that moment (every query filters
//! them out); this removes them, with their `membership.deleted` events, so that the member
//! count and the audit log catch up. Roster runs it every minute, and at a member limit.

use roster_domain::OrganizationId;
use roster_store::{memberships, organizations};

use super::leaving::{depart, Departure};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// Removes the expired memberships of one organization; how many.
pub(crate) fn remove_expired_in(
    cx: &mut Context<'_>,
    organization: OrganizationId,
) -> Result<i64, CoreError> {
    let now = cx.now();
    let expired = memberships::expired_in(cx.conn(), organization, now)?;
    for membership in &expired {
        depart(cx, membership, Departure::Expired)?;
    }
    Ok(expired.len() as i64)
}

/// `members.remove_expired`: Roster's own upkeep, for one organization that has expired
/// memberships (see [`organizations_with_expired`]).
#[derive(Debug, Clone)]
pub struct RemoveExpiredMemberships {
    pub organization: OrganizationId,
}

impl Declared for RemoveExpiredMemberships {
    const NAME: &'static str = "members.remove_expired";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for RemoveExpiredMemberships {
    type Output = i64;

    fn run(self, cx: &mut Context<'_>) -> Result<i64, CoreError> {
        if organizations::lock(cx.conn(), self.organization)?.is_none() {
            return Ok(0);
        }
        remove_expired_in(cx, self.organization)
    }
}

/// `members.find_expired`: up to `limit` organizations with memberships past their expiry.
#[derive(Debug, Clone)]
pub struct FindExpiredMemberships {
    pub limit: i64,
}

impl Declared for FindExpiredMemberships {
    const NAME: &'static str = "members.find_expired";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Read;
}

impl Operation for FindExpiredMemberships {
    type Output = Vec<OrganizationId>;

    fn run(self, cx: &mut Context<'_>) -> Result<Vec<OrganizationId>, CoreError> {
        let now = cx.now();
        let mut organizations: Vec<OrganizationId> =
            memberships::expired(cx.conn(), now, self.limit)?
                .into_iter()
                .map(|m| m.organization_id)
                .collect();
        organizations.sort_by_key(|id| id.as_uuid());
        organizations.dedup();
        Ok(organizations)
    }
}
