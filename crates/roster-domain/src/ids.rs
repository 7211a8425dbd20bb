//! Typed ids: one newtype per kind of thing, so a user's id can never be passed where an
//! organization's is expected. They are UUIDv7s (time-ordered) and travel as UUID strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// An id from its text form; `None` for anything that is not a UUID.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::try_parse(text).ok().map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(text).map(Self)
            }
        }
    };
}

typed_id!(
    /// A user (a person with an account).
    UserId
);
typed_id!(
    /// An organization.
    OrganizationId
);
typed_id!(
    /// A sign-in session: the family of refresh tokens rotated from one sign-in.
    SessionId
);
typed_id!(
    /// One refresh token of a session.
    RefreshTokenId
);
typed_id!(
    /// An entry of the audit log.
    EventId
);
typed_id!(
    /// An invitation to join an organization.
    InvitationId
);
typed_id!(
    /// An API key (of an organization, or a user's personal one).
    ApiKeyId
);
typed_id!(
    /// A webhook endpoint: a URL that events are sent to.
    WebhookId
);
typed_id!(
    /// One event (or test message) on its way to one webhook endpoint; the `webhook-id` its
    /// messages carry.
    DeliveryId
);
typed_id!(
    /// A team: a group of an organization's members.
    TeamId
);
typed_id!(
    /// A project: one of the application's own resources, kept in an organization.
    ProjectId
);
