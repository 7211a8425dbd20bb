//! The catalogue: every type of event Roster records, each with the one type its `data` has.
//!
//! An operation records an event as [`Event::of`](super::Event::of)`(target, payload)`: the
//! payload's type decides the event's type, so the two cannot disagree. The audit-log endpoints
//! show the type as [`EventType`], webhook messages carry it, and the OpenAPI document describes
//! each type's message from the same list ([`EventType::ALL`], [`data_schemas`]).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::api_keys::events as api_keys;
use crate::invitations::events as invitations;
use crate::keys::events as signing_keys;
use crate::members::events as memberships;
use crate::organizations::events as organizations;
use crate::projects::events as projects;
use crate::roles::events as roles;
use crate::sessions::events as sessions;
use crate::teams::events as teams;
use crate::users::events as users;
use crate::webhooks::events as webhooks;

/// The `data` of one type of event: recording it records that type.
pub trait Payload: Serialize {
    const TYPE: EventType;
}

/// Lists each type once: its variant, its name, its payload type and what it means. Everything
/// else (the enum, names both ways, the payload bindings, the schemas) is derived from this list.
macro_rules! catalogue {
    ($( $variant:ident = $name:literal => $payload:ty, $summary:literal; )*) => {
        /// The type of an event, e.g. `organization.created`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $( #[doc = $summary] $variant, )*
        }

        impl EventType {
            /// Every type, in the catalogue's order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            /// Its name, as the audit log and webhook messages show it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( EventType::$variant => $name, )*
                }
            }

            /// What it means, in a sentence.
            pub const fn summary(self) -> &'static str {
                match self {
                    $( EventType::$variant => $summary, )*
                }
            }
        }

        impl FromStr for EventType {
            type Err = UnknownEventType;

            fn from_str(name: &str) -> Result<EventType, UnknownEventType> {
                match name {
                    $( $name => Ok(EventType::$variant), )*
                    _ => Err(UnknownEventType),
                }
            }
        }

        $( impl Payload for $payload { const TYPE: EventType = EventType::$variant; } )*

        /// Each type with the name and schema of its payload, and the schemas those refer to.
        #[cfg(feature = "openapi")]
        pub fn data_schemas() -> DataSchemas {
            use utoipa::{PartialSchema, ToSchema};
            let mut catalogue = DataSchemas::default();
            $(
                catalogue.types.push((EventType::$variant, <$payload>::name().into_owned()));
                catalogue.schemas.push((<$payload>::name().into_owned(), <$payload>::schema()));
                <$payload>::schemas(&mut catalogue.schemas);
            )*
            catalogue
        }
    };
}

catalogue! {
    OrganizationCreated = "organization.created" => organizations::OrganizationCreated,
        "An organization was created.";
    OrganizationUpdated = "organization.updated" => organizations::OrganizationUpdated,
        "An organization's fields changed (each changed field's `from` and `to`).";
    OrganizationRenamed = "organization.renamed" => organizations::OrganizationRenamed,
        "An organization's `name` (its slug) changed; sent besides `organization.updated`.";
    OrganizationClosed = "organization.closed" => organizations::OrganizationClosed,
        "An organization was closed; sent besides `organization.updated`.";
    OrganizationDeleted = "organization.deleted" => organizations::OrganizationDeleted,
        "An organization was deleted.";
    UserCreated = "user.created" => users::UserCreated,
        "A user signed up or was created by a platform admin.";
    UserUpdated = "user.updated" => users::UserUpdated,
        "A user's email or name changed.";
    UserPasswordChanged = "user.password_changed" => users::UserPasswordChanged,
        "A user's password changed (every other session of theirs ended).";
    UserEnabled = "user.enabled" => users::UserEnabled,
        "A disabled user was enabled again.";
    UserDisabled = "user.disabled" => users::UserDisabled,
        "A user was disabled: their sessions, keys and invitations ended.";
    UserAdminGranted = "user.admin_granted" => users::UserAdminGranted,
        "A user became a platform admin.";
    UserAdminRevoked = "user.admin_revoked" => users::UserAdminRevoked,
        "A user stopped being a platform admin.";
    UserEmailVerified = "user.email_verified" => users::UserEmailVerified,
        "A user proved their address (by a mailed link, or by accepting an invitation sent there).";
    UserDeleted = "user.deleted" => users::UserDeleted,
        "A user's account was deleted and their personal data erased (the audit log keeps their id only).";
    MembershipCreated = "membership.created" => memberships::MembershipCreated,
        "A user joined an organization (added, by invitation, or as its creator).";
    MembershipUpdated = "membership.updated" => memberships::MembershipUpdated,
        "A membership's role, permissions or end date changed.";
    MembershipDeleted = "membership.deleted" => memberships::MembershipDeleted,
        "A user left an organization, was removed, or their membership expired.";
    InvitationCreated = "invitation.created" => invitations::InvitationCreated,
        "Someone was invited to an organization.";
    InvitationAccepted = "invitation.accepted" => invitations::InvitationAccepted,
        "An invitation was accepted (a `membership.created` comes with it).";
    InvitationRevoked = "invitation.revoked" => invitations::InvitationRevoked,
        "An invitation was revoked, replaced, or ended with its sender's standing.";
    InvitationExpired = "invitation.expired" => invitations::InvitationExpired,
        "An invitation passed its expiry unaccepted.";
    InvitationDeclined = "invitation.declined" => invitations::InvitationDeclined,
        "The invitee declined an invitation.";
    InvitationResent = "invitation.resent" => invitations::InvitationResent,
        "An invitation was sent again, with a new token (the earlier link stopped working).";
    ApiKeyCreated = "api_key.created" => api_keys::ApiKeyCreated,
        "An API key was created (never the key itself).";
    ApiKeyRevoked = "api_key.revoked" => api_keys::ApiKeyRevoked,
        "An API key was revoked, or ended with its maker's standing.";
    RoleCreated = "role.created" => roles::RoleCreated,
        "A custom role was created.";
    RoleUpdated = "role.updated" => roles::RoleUpdated,
        "A custom role's name, description or permissions changed.";
    RoleDeleted = "role.deleted" => roles::RoleDeleted,
        "A custom role was deleted.";
    TeamCreated = "team.created" => teams::TeamCreated,
        "A team was created.";
    TeamUpdated = "team.updated" => teams::TeamUpdated,
        "A team's name, display name, description or custom data changed.";
    TeamDeleted = "team.deleted" => teams::TeamDeleted,
        "A team was deleted (its members left it and its grants ended, each with its event).";
    TeamMemberAdded = "team_member.added" => teams::TeamMemberAdded,
        "A member of the organization was added to a team.";
    TeamMemberUpdated = "team_member.updated" => teams::TeamMemberUpdated,
        "A team member's role (`member` or `maintainer`) changed.";
    TeamMemberRemoved = "team_member.removed" => teams::TeamMemberRemoved,
        "Someone left a team: removed, by leaving it, with the team, or with their organization membership.";
    ProjectCreated = "project.created" => projects::ProjectCreated,
        "A project was created.";
    ProjectUpdated = "project.updated" => projects::ProjectUpdated,
        "A project's name, display name, description, visibility or custom data changed.";
    ProjectDeleted = "project.deleted" => projects::ProjectDeleted,
        "A project was deleted (its grants ended, each with its event).";
    ProjectAccessGranted = "project_access.granted" => projects::ProjectAccessGranted,
        "A project granted a team an access level.";
    ProjectAccessUpdated = "project_access.updated" => projects::ProjectAccessUpdated,
        "The access level a project grants a team changed.";
    ProjectAccessRevoked = "project_access.revoked" => projects::ProjectAccessRevoked,
        "A project stopped granting a team access (revoked, or with the team or the project).";
    SessionCreated = "session.created" => sessions::SessionCreated,
        "A user signed in (a session began).";
    SessionRevoked = "session.revoked" => sessions::SessionRevoked,
        "A session ended before its time.";
    SigningKeyRotated = "signing_key.rotated" => signing_keys::SigningKeyRotated,
        "A new token-signing key took over.";
    SigningKeyRetired = "signing_key.retired" => signing_keys::SigningKeyRetired,
        "A replaced token-signing key left the key set.";
    WebhookCreated = "webhook.created" => webhooks::WebhookCreated,
        "A webhook endpoint was created.";
    WebhookUpdated = "webhook.updated" => webhooks::WebhookUpdated,
        "A webhook endpoint was changed.";
    WebhookDeleted = "webhook.deleted" => webhooks::WebhookDeleted,
        "A webhook endpoint was deleted.";
    WebhookSecretRotated = "webhook.secret_rotated" => webhooks::WebhookSecretRotated,
        "A webhook endpoint's secret was rotated (the old one signs beside it for 24 h).";
    WebhookDisabled = "webhook.disabled" => webhooks::WebhookDisabled,
        "A webhook endpoint was disabled because its deliveries kept failing.";
}

/// The type of the message `POST /v1/webhooks/{id}/test` sends; no event has it.
pub const TEST_MESSAGE_TYPE: &str = "webhook.test";

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A name that is not in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownEventType;

/// The payload schemas of the catalogue, for the OpenAPI document.
#[cfg(feature = "openapi")]
#[derive(Default)]
pub struct DataSchemas {
    /// Each type with the name of its payload's schema.
    pub types: Vec<(EventType, String)>,
    /// The schemas by name: the payloads' and those they refer to.
    pub schemas: Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for EventType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(EventType::ALL.iter().map(|t| t.as_str())))
            .description(Some("The type of an event."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for EventType {}

/// Whether `pattern` (a type, or a prefix ending in `.*`) names at least one type of message:
/// an event's, or the test message's (which an endpoint gets whatever it asks for, so naming it
/// is harmless).
pub fn matches_any(pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => EventType::ALL
            .iter()
            .any(|t| t.as_str().starts_with(prefix)),
        None => pattern == TEST_MESSAGE_TYPE || pattern.parse::<EventType>().is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_type() {
        for &t in EventType::ALL {
            assert_eq!(t.as_str().parse::<EventType>(), Ok(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert_eq!(
            "organization.made".parse::<EventType>(),
            Err(UnknownEventType)
        );
    }

    #[test]
    fn patterns_must_name_a_type() {
        assert!(matches_any("membership.*"));
        assert!(matches_any("user.disabled"));
        assert!(matches_any("webhook.test"));
        assert!(!matches_any("membership.exploded"));
        assert!(matches_any("team.*"));
        assert!(!matches_any("squad.*"));
    }
}
