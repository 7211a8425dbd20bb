//! The `{org}` of a path: an organization's id or name.

use roster_core::organizations::OrgKey;

use crate::error::ApiError;

/// A key that can name no organization is 404 without a query (and no byte a database
/// refuses, such as NUL, ever reaches one).
pub fn org_key(raw: &str) -> Result<OrgKey, ApiError> {
    OrgKey::parse(raw).ok_or_else(|| ApiError::not_found("organization"))
}
