//! Users: sign-up, the caller's own profile and password, and platform-admin management.

pub(crate) mod change_password;
mod create;
mod ensure_admin;
pub(crate) mod events;
mod get;
mod list;
mod me;
mod my_organizations;
mod personal_organization;
pub(crate) mod profile;
mod update;
mod user;

pub use change_password::ChangePassword;
pub use create::SignUp;
pub use ensure_admin::{AdminOutcome, EnsureAdmin};
pub use get::{FindUserByEmail, GetUser};
pub use list::{ListUsers, UserCursor};
pub use me::{GetMe, UpdateMe};
pub use my_organizations::{
    ListMyOrganizations, ListUserOrganizations, MembershipCursor, MyMembership,
};
pub use profile::ProfileChanges;
pub use update::{AdminChanges, UpdateUser};
pub(crate) use user::etag;
pub use user::User;
