//! `organizations.get`: one organization, by id, name or former name.

use roster_domain::Permission;
use roster_store::organizations::OrgKey;

use super::view::{with_members, OrganizationView};
use crate::access::Located;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

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
        let access = match cx.locate_organization(&self.organization)? {
            Located::Moved(access) => {
                return Ok(Found::Renamed {
                    name: access.org.name,
                })
            }
            Located::Here(access) => access,
        };
        let view = if self.expand_members {
            access.require(Permission::MembersRead)?;
            let now = cx.now();
            with_members(cx.conn(), access.org, now)?
        } else {
            OrganizationView::plain(access.org)
        };
        Ok(Found::Here(Box::new(view)))
    }
}
