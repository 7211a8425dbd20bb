//! One field's change, as update events show it: `{"from": …, "to": …}`.

use serde::{Deserialize, Serialize};

/// A field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change<T> {
    /// The value before the change.
    pub from: T,
    /// The value after it.
    pub to: T,
}

impl<T: PartialEq> Change<T> {
    /// The change from `from` to `to`; none when they are equal.
    pub fn of(from: T, to: T) -> Option<Change<T>> {
        (from != to).then_some(Change { from, to })
    }
}
