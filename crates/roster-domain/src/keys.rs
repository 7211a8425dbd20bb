//! How a client names what it asks about: an organization by id or by name, a team or a
//! project by id or by its name in the organization. Parsed once at the edge, so a key that
//! can be neither never costs a query (and no byte a database refuses, such as NUL, reaches
//! one).

use uuid::Uuid;

use crate::OrganizationId;

/// How a client named an organization: by id, or by its current or former name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrgKey {
    Id(OrganizationId),
    Name(String),
}

impl OrgKey {
    /// A UUID-shaped key is an id; anything else is a name (names may not look like UUIDs).
    /// `None` when the key can be neither.
    pub fn parse(raw: &str) -> Option<OrgKey> {
        if let Some(id) = OrganizationId::parse(raw) {
            return Some(OrgKey::Id(id));
        }
        websafe_name(raw).map(OrgKey::Name)
    }
}

/// How a client named a team or a project: by id, or by its name in the organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameOrId {
    Id(Uuid),
    Name(String),
}

impl NameOrId {
    /// A UUID-shaped key is an id; anything else is a name (names may not look like UUIDs).
    /// `None` for a key that can be neither.
    pub fn parse(raw: &str) -> Option<NameOrId> {
        if let Ok(id) = Uuid::parse_str(raw) {
            return Some(NameOrId::Id(id));
        }
        websafe_name(raw).map(NameOrId::Name)
    }
}

/// The key lowercased, when it could be a name at all (what a slug may hold, at most 63).
fn websafe_name(raw: &str) -> Option<String> {
    let name = raw.to_ascii_lowercase();
    let websafe = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    (!name.is_empty() && name.len() <= 63 && name.bytes().all(websafe)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_an_id_and_a_slug_is_a_lowercased_name() {
        let id = "0190c2a4-8b1e-7000-8000-000000000001";
        assert!(matches!(OrgKey::parse(id), Some(OrgKey::Id(_))));
        assert_eq!(
            NameOrId::parse("Web-App"),
            Some(NameOrId::Name("web-app".into()))
        );
        assert_eq!(NameOrId::parse("a\0b"), None);
        assert_eq!(OrgKey::parse(""), None);
        assert_eq!(OrgKey::parse(&"a".repeat(64)), None);
    }
}
