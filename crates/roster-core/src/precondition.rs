//! Optimistic concurrency: a write that holds only if the target is still as the client read
//! it (`If-Match` over HTTP).

use crate::CoreError;

/// The entity tags a client accepts: any (`None`, no condition at all), or a list in which
/// `*` matches whatever exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Precondition(Option<Vec<String>>);

impl Precondition {
    /// No condition: last writer wins.
    pub fn none() -> Precondition {
        Precondition(None)
    }

    /// Holds when the current tag is one of `tags` (compared strongly) or `tags` has `*`.
    pub fn matching(tags: Vec<String>) -> Precondition {
        Precondition(Some(tags))
    }

    /// Whether the client asked for a conditional write at all.
    pub fn is_conditional(&self) -> bool {
        self.0.is_some()
    }

    /// 412 unless there is no condition or it lists `current`.
    pub fn check(&self, current: &str) -> Result<(), CoreError> {
        let Some(tags) = &self.0 else {
            return Ok(());
        };
        if tags.iter().any(|tag| tag == "*" || tag == current) {
            Ok(())
        } else {
            Err(CoreError::PreconditionFailed(format!(
                "If-Match {} does not match the current ETag {current}",
                tags.join(", ")
            )))
        }
    }
}

/// The strong validator of an entity that changes `updated_at` with every write: its id and
/// that instant in microseconds (what both databases keep).
pub(crate) fn etag_of(id: uuid::Uuid, updated_at: chrono::DateTime<chrono::Utc>) -> String {
    format!("\"{}-{}\"", id.simple(), updated_at.timestamp_micros())
}
