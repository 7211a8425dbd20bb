//! An organization as operations return it.

use chrono::{DateTime, Utc};
use roster_domain::{Address, Limits, OrgState, OrganizationId, UserId, Visibility};
use roster_store::OrganizationRow;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: OrganizationId,
    /// Websafe, unique.
    pub name: String,
    pub display_name: String,
    pub billing_email: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub address: Address,
    /// The application's own key for it (unique when set).
    pub reference: Option<String>,
    pub custom: Value,
    pub state: OrgState,
    pub personal: bool,
    pub visibility: Visibility,
    pub limits: Limits,
    pub member_count: i64,
    /// Counts the writes of the organization; its ETag changes with it.
    pub version: i64,
    /// Who made it (`None` when the operator did, or that user is gone).
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Organization {
    /// A strong validator that changes with every write of the organization.
    pub fn etag(&self) -> String {
        validator(self.id, self.version)
    }
}

impl From<OrganizationRow> for Organization {
    fn from(row: OrganizationRow) -> Organization {
        let limits = row.limits();
        Organization {
            id: row.id,
            name: row.name,
            display_name: row.display_name,
            billing_email: row.billing_email,
            description: row.description,
            website: row.website,
            logo_url: row.logo_url,
            // Written only through `Address`, so a stored value always reads back; a row
            // edited by hand into something else shows as no address rather than failing.
            address: serde_json::from_value(row.address.0).unwrap_or_default(),
            reference: row.reference,
            custom: row.custom.0,
            state: row.state,
            personal: row.personal,
            visibility: row.visibility,
            limits,
            member_count: row.member_count,
            version: row.version,
            created_by: row.created_by,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
            closed_at: row.closed_at.map(|at| at.0),
        }
    }
}

/// The ETag of an organization as last written (what `If-Match` is compared with).
pub(crate) fn etag(row: &OrganizationRow) -> String {
    validator(row.id, row.version)
}

fn validator(id: OrganizationId, version: i64) -> String {
    format!("\"{}-{}\"", id.as_uuid().simple(), version)
}
