//! Paging through the audit log: a type filter and a position to continue after.

use roster_store::events::{EventFilter, KindFilter};

use crate::CoreError;

/// `type=organization.updated` (exactly) or `type=membership.*` (a prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFilter(KindFilter);

impl TypeFilter {
    pub fn parse(raw: &str) -> Result<TypeFilter, CoreError> {
        let valid = |text: &str| {
            !text.is_empty()
                && text.len() <= 100
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        };
        match raw.strip_suffix('*') {
            Some(prefix) if prefix.ends_with('.') && valid(prefix) => {
                Ok(TypeFilter(KindFilter::Prefix(prefix.to_owned())))
            }
            None if valid(raw) => Ok(TypeFilter(KindFilter::Exactly(raw.to_owned()))),
            _ => Err(CoreError::BadRequest(format!(
                "type {raw:?} is neither an event type (organization.updated) nor a prefix ending in .* (membership.*)"
            ))),
        }
    }

    pub(crate) fn to_filter(filter: Option<&TypeFilter>) -> EventFilter {
        EventFilter {
            kind: filter.map(|f| f.0.clone()),
        }
    }
}

/// Where the next page of events starts: the last event's number in the list (its sequence in
/// an organization's log, its position in the whole log).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct EventCursor {
    pub after: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_types_and_prefixes() {
        assert_eq!(
            TypeFilter::parse("organization.updated").unwrap().0,
            KindFilter::Exactly("organization.updated".into())
        );
        assert_eq!(
            TypeFilter::parse("membership.*").unwrap().0,
            KindFilter::Prefix("membership.".into())
        );
        for bad in ["", "*", "membership*", "Org.Updated", "a%b", "x.*.*"] {
            assert!(TypeFilter::parse(bad).is_err(), "{bad}");
        }
    }
}
