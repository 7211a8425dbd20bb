//! What the team and project routes share: a `{team}` or `{project}` in a path (an id or a
//! name), and their lists' sort keys.

use roster_domain::{NameOrId, NamedSort};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::routes::organizations::Direction;

/// A key that can name nothing is 404 without a query.
pub fn named_key(raw: &str, what: &'static str) -> Result<NameOrId, ApiError> {
    NameOrId::parse(raw).ok_or_else(|| ApiError::not_found(what))
}

/// What a team or project list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NamedSortKey {
    Name,
    CreatedAt,
}

impl NamedSortKey {
    /// The sort a query parameter asks for (`name` when it is absent).
    pub fn sort(key: Option<NamedSortKey>) -> NamedSort {
        match key.unwrap_or(NamedSortKey::Name) {
            NamedSortKey::Name => NamedSort::Name,
            NamedSortKey::CreatedAt => NamedSort::CreatedAt,
        }
    }
}

/// The query of a team or project list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NamedListQuery {
    /// A member of the organization: in a team list, the teams they are in; in a project list,
    /// the projects they can access, each with their access level (someone else's needs
    /// `members:read`, and lists only projects the caller may see too).
    pub user_id: Option<Uuid>,
    /// `name` (default) or `created_at`.
    pub sort: Option<NamedSortKey>,
    /// `asc` (default) or `desc`.
    pub direction: Option<Direction>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

impl NamedListQuery {
    /// The sort and whether it is descending.
    pub fn order(&self) -> (NamedSort, bool) {
        (
            NamedSortKey::sort(self.sort),
            self.direction == Some(Direction::Desc),
        )
    }
}
