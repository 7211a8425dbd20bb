//! Organizations: create, list, read, update, close and delete.

mod close;
mod create;
mod delete;
pub(crate) mod events;
mod get;
mod limits_policy;
mod list;
mod organization;
mod patch;
mod update;
mod usage;
mod view;
mod write;

pub(crate) use create::empty_organization;
pub use create::{CreateOrganization, Created, NewMember};
pub use delete::{DeleteOrganization, Deleted};
pub use get::{Found, GetOrganization};
pub use list::{ListOrganizations, OrgCursor, MAX_EXPANDED_PAGE};
pub(crate) use organization::etag;
pub use organization::Organization;
pub use patch::{merge_patch, OrganizationPatch};
pub use roster_domain::OrgKey;
pub use roster_domain::{Inclusion, OrgSort};
pub use update::UpdateOrganization;
pub use usage::{GetUsage, Usage, Used};
pub use view::{OrganizationView, EXPANDED_MEMBERS};
