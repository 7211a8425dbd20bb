//! The audit log's JSON.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::extract::from_query_text;
use crate::list_schema;

pub use roster_core::events::view::{Actor, Context, Event, Target};

/// Filter and pages of an audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// An event type (`organization.updated`), or a prefix ending in `.*` (`membership.*`).
    #[serde(rename = "type")]
    #[param(
        rename = "type",
        pattern = "^([a-z0-9._-]{1,100}|[a-z0-9._-]{0,99}\\.\\*)$"
    )]
    pub kind: Option<String>,
    /// Rows per page (1..1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "from_query_text")]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

list_schema!(EventList, Event, "A page of the audit log, oldest first.");
