//! What the team and project routes share: a `{team}` or `{project}` in a path (an id or a
//! name), and their lists' sort keys.

use roster_store::named::{NameOrId, NamedSort};
use serde::Deserialize;

use crate::error::ApiError;

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
