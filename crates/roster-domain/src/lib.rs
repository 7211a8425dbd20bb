//! Roster's domain: the types that carry the rules of organizations, users and memberships.
//!
//! Everything here is pure: values are parsed once at the edge (`TryFrom`/`parse`) and trusted
//! afterwards. Nothing in this crate knows about HTTP or a database.

#[macro_use]
mod stored_text;

mod access_level;
mod custom_data;
mod email;
mod error;
mod grants;
mod ids;
mod instant;
mod invisible;
mod invitation_state;
mod keys;
mod listing;
mod org_state;
mod organization;
mod password;
mod permission;
mod role;
mod slug;
mod text;
mod unique;
mod user_state;
mod visibility;

pub use access_level::{AccessLevel, ProjectVisibility, TeamRole};
pub use custom_data::{validate_custom, CUSTOM_MAX_BYTES, CUSTOM_MAX_DEPTH};
pub use email::Email;
pub use error::{DomainError, FieldError};
pub use grants::{
    in_catalogue_area, parse_role_permissions, parse_tags, role_grants, tag_covers,
    validate_permission_name, validate_permission_tag, CatalogueSet, Grants, CATALOGUE_AREAS,
    MAX_TAGS,
};
pub use ids::{
    ApiKeyId, DeliveryId, EventId, InvitationId, OrganizationId, ProjectId, RefreshTokenId,
    SessionId, TeamId, UserId, WebhookId,
};
pub use instant::storable_instant;
pub use invisible::{find_invisible, is_invisible};
pub use invitation_state::InvitationState;
pub use keys::{NameOrId, OrgKey};
pub use listing::{Inclusion, MemberSort, NamedSort, OrgSort, StateFilter};
pub use org_state::OrgState;
pub use organization::{validate_address, validate_limits, Address, Limits};
pub use password::Password;
pub use permission::{Permission, PERMISSION_CATALOGUE};
pub use role::Role;
pub use slug::{Slug, RESERVED_NAMES};
pub use stored_text::UnknownValue;
pub use text::{optional_text, optional_url, required_text};
pub use unique::Unique;
pub use user_state::UserState;
pub use visibility::Visibility;
