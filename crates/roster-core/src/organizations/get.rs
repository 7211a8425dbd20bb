//! `organizations.get`: one organization, by id, name or former name.

use roster_domain::OrgKey;
use roster_domain::Permission;

use super::view::{with_members, OrganizationView};
use crate::access::Located;
use crate::{Context, CoreError, Declared, Kind, Memory, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetOrganization {
    pub organization: OrgKey,
    /// Embed the first members (needs `members:read`).
    pub expand_members: bool,
}

/// Where the key led.
#[derive(Debug, Clone)]
pub enum Found {
    Here(Box<OrganizationView>),
    /// A former name: the organization is now called this.
    Renamed {
        name: String,
    },
}

impl Declared for GetOrganization {
    const NAME: &'static str = "organizations.get";
    const REQUIRES: Requirement = Requirement::Organization(Permission::OrganizationRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for GetOrganization {
    type Output = Found;

    fn run(self, cx: &mut Context<'_>) -> Result<Found, CoreError> {
        match cx.locate_organization(&self.organization)? {
            Located::Here(access) if self.expand_members => {
                access.require(Permission::MembersRead)?;
                let now = cx.now();
                let view = with_members(cx.conn(), access.org, now)?;
                Ok(Found::Here(Box::new(view)))
            }
            located => Ok(plain(located)),
        }
    }

    fn answer_from_memory(&self, memory: &Memory<'_>) -> Option<Result<Found, CoreError>> {
        if self.expand_members {
            return None;
        }
        Some(memory.locate_organization(&self.organization)?.map(plain))
    }
}

/// The organization without its members, or where a former name leads.
fn plain(located: Located) -> Found {
    match located {
        Located::Moved(access) => Found::Renamed {
            name: access.org.name,
        },
        Located::Here(access) => Found::Here(Box::new(OrganizationView::plain(access.org))),
    }
}
