//! What a member (or an API key) may do: catalogue permissions, which only roles grant, and
//! application permission tags, which may end in `*` to grant every application permission
//! that starts with what precedes it (`billing:*` grants `billing:read`).

use std::fmt;

use crate::{FieldError, Permission, PERMISSION_CATALOGUE};

/// The catalogue's areas: a tag in one of them is refused, so that only roles grant catalogue
/// permissions and a tag can never widen what Roster itself lets a member do.
pub const CATALOGUE_AREAS: &[&str] = &[
    "organization:",
    "members:",
    "roles:",
    "invitations:",
    "api_keys:",
    "teams:",
    "projects:",
    "events:",
];

/// At most this many tags on one membership or API key.
pub const MAX_TAGS: usize = 20;
/// At most this many entries (catalogue permissions and tags) in one custom role.
pub const MAX_ROLE_PERMISSIONS: usize = 64;
const TAG_MAX_CHARS: usize = 62;

/// A set of catalogue permissions, one bit each.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CatalogueSet(u32);

impl CatalogueSet {
    pub const EMPTY: CatalogueSet = CatalogueSet(0);

    pub fn all() -> CatalogueSet {
        PERMISSION_CATALOGUE.iter().copied().collect()
    }

    fn bit(permission: Permission) -> u32 {
        1 << (permission as u32)
    }

    pub fn contains(self, permission: Permission) -> bool {
        self.0 & CatalogueSet::bit(permission) != 0
    }

    pub fn insert(&mut self, permission: Permission) {
        self.0 |= CatalogueSet::bit(permission);
    }

    pub fn remove(&mut self, permission: Permission) {
        self.0 &= !CatalogueSet::bit(permission);
    }

    pub fn is_subset(self, of: CatalogueSet) -> bool {
        self.0 & !of.0 == 0
    }

    pub fn intersection(self, other: CatalogueSet) -> CatalogueSet {
        CatalogueSet(self.0 & other.0)
    }

    pub fn union(self, other: CatalogueSet) -> CatalogueSet {
        CatalogueSet(self.0 | other.0)
    }

    /// The permissions in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        PERMISSION_CATALOGUE
            .iter()
            .copied()
            .filter(move |p| self.contains(*p))
    }
}

impl FromIterator<Permission> for CatalogueSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(permissions: I) -> Self {
        let mut set = CatalogueSet::EMPTY;
        for permission in permissions {
            set.insert(permission);
        }
        set
    }
}

impl fmt::Debug for CatalogueSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Permission::as_str))
            .finish()
    }
}

/// Everything one credential may do in one organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub catalogue: CatalogueSet,
    /// Application permission tags, each possibly a `prefix*` wildcard.
    pub tags: Vec<String>,
}

impl Grants {
    pub fn new(catalogue: CatalogueSet, tags: Vec<String>) -> Grants {
        Grants { catalogue, tags }
    }

    /// Every catalogue permission and every application permission (a platform admin).
    pub fn everything() -> Grants {
        Grants::new(CatalogueSet::all(), vec!["*".into()])
    }

    pub fn has(&self, permission: Permission) -> bool {
        self.catalogue.contains(permission)
    }

    /// Whether `permission` (a catalogue name or an application permission) is granted. A
    /// name in a catalogue area that the catalogue lacks is granted to nobody: tags never reach
    /// into Roster's own areas.
    pub fn allows(&self, permission: &str) -> bool {
        match Permission::parse(permission) {
            Some(catalogue) => self.has(catalogue),
            None if in_catalogue_area(permission) => false,
            None => self.tags.iter().any(|tag| tag_covers(tag, permission)),
        }
    }

    /// Whether these grants include all of `other`'s: what may be handed on (a role to
    /// assign, a role to edit, an API key to make) without granting more than one holds.
    pub fn covers(&self, other: &Grants) -> bool {
        other.catalogue.is_subset(self.catalogue)
            && other
                .tags
                .iter()
                .all(|wanted| self.tags.iter().any(|held| tag_covers(held, wanted)))
    }

    /// What both grant: an API key never does more than the user it acts for.
    pub fn intersection(&self, other: &Grants) -> Grants {
        let mut tags: Vec<String> = Vec::new();
        for mine in &self.tags {
            for theirs in &other.tags {
                let common = if tag_covers(theirs, mine) {
                    Some(mine)
                } else if tag_covers(mine, theirs) {
                    Some(theirs)
                } else {
                    None
                };
                if let Some(tag) = common {
                    if !tags.contains(tag) {
                        tags.push(tag.clone());
                    }
                }
            }
        }
        Grants::new(self.catalogue.intersection(other.catalogue), tags)
    }

    /// Both together: a role's grants and a membership's own tags.
    pub fn with_tags(mut self, tags: &[String]) -> Grants {
        for tag in tags {
            if !self.tags.contains(tag) {
                self.tags.push(tag.clone());
            }
        }
        self
    }

    /// Catalogue permissions in catalogue order, then tags: what a token's `org_permissions`
    /// and `effective_permissions` list.
    pub fn to_strings(&self) -> Vec<String> {
        self.catalogue
            .iter()
            .map(|p| p.as_str().to_owned())
            .chain(self.tags.iter().cloned())
            .collect()
    }
}

/// Whether the tag `held` grants the permission (or tag) `wanted`: the same string, or a
/// wildcard whose prefix `wanted` starts with.
pub fn tag_covers(held: &str, wanted: &str) -> bool {
    match held.strip_suffix('*') {
        Some(prefix) => wanted.starts_with(prefix),
        None => held == wanted,
    }
}

/// An application permission, as asked about (`authorize`) or granted (a tag): 1 to 62
/// characters of `[a-z0-9:._*-]`.
pub fn validate_permission_name(name: &str, field: &str) -> Result<(), FieldError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ":._*-".contains(c);
    if name.is_empty() || name.len() > TAG_MAX_CHARS || !name.chars().all(allowed) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "a permission is 1 to 62 characters of a-z, 0-9 and : . _ * -",
        ));
    }
    Ok(())
}

/// Whether `name` lies in one of the catalogue's areas (`members:…`).
pub fn in_catalogue_area(name: &str) -> bool {
    CATALOGUE_AREAS.iter().any(|area| name.starts_with(area))
}

/// Checks an application permission tag: the alphabet above, starting with a letter or digit
/// (the application's own namespace), `*` only at the end, and reaching into no catalogue area
/// (`members:…`), which only roles grant: neither a tag in one (`members:read`) nor a wildcard
/// whose prefix covers one (`*`, `members*`, `organization*`).
pub fn validate_permission_tag(tag: &str, field: &str) -> Result<(), FieldError> {
    validate_permission_name(tag, field)?;
    if tag.find('*').is_some_and(|at| at != tag.len() - 1) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "`*` may only end a tag, as a wildcard: billing:*",
        ));
    }
    let reached = CATALOGUE_AREAS
        .iter()
        .find(|area| tag.starts_with(**area) || tag_covers(tag, area));
    if let Some(area) = reached {
        return Err(FieldError::new(
            field,
            "catalogue_area",
            format!(
                "`{area}` permissions come from roles only; tags are the application's own permissions"
            ),
        ));
    }
    if !tag.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "a tag starts with a letter or a digit: billing:read",
        ));
    }
    Ok(())
}

/// Checks a list of tags (a membership's or an API key's `permissions`), reporting each error
/// as `<field>[i]`; duplicates are dropped.
pub fn parse_tags(tags: Vec<String>, field: &str) -> Result<Vec<String>, Vec<FieldError>> {
    if tags.len() > MAX_TAGS {
        return Err(vec![FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_TAGS} permission tags"),
        )]);
    }
    let mut errors = Vec::new();
    let mut kept: Vec<String> = Vec::with_capacity(tags.len());
    for (index, tag) in tags.into_iter().enumerate() {
        match validate_permission_tag(&tag, &format!("{field}[{index}]")) {
            Ok(()) if !kept.contains(&tag) => kept.push(tag),
            Ok(()) => {}
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(errors)
    }
}

/// Checks a custom role's `permissions`: catalogue permissions (never `organization:delete`,
/// which stays with owners) and application tags. Returns the grants and the entries as given
/// (deduplicated), which is how the role is stored.
pub fn parse_role_permissions(
    entries: Vec<String>,
    field: &str,
) -> Result<(Grants, Vec<String>), Vec<FieldError>> {
    if entries.len() > MAX_ROLE_PERMISSIONS {
        return Err(vec![FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_ROLE_PERMISSIONS} permissions"),
        )]);
    }
    let mut errors = Vec::new();
    let mut grants = Grants::default();
    let mut kept: Vec<String> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let at = format!("{field}[{index}]");
        if kept.contains(&entry) {
            continue;
        }
        match Permission::parse(&entry) {
            Some(Permission::OrganizationDelete) => errors.push(FieldError::new(
                at,
                "owner_only",
                "organization:delete stays with owners; a custom role cannot hold it",
            )),
            Some(permission) => {
                grants.catalogue.insert(permission);
                kept.push(entry);
            }
            None => match validate_permission_tag(&entry, &at) {
                Ok(()) => {
                    grants.tags.push(entry.clone());
                    kept.push(entry);
                }
                Err(error) => errors.push(unknown_catalogue_permission(error, &entry)),
            },
        }
    }
    if errors.is_empty() {
        Ok((grants, kept))
    } else {
        Err(errors)
    }
}

/// A role entry in a catalogue area that is not in the catalogue is a misspelt permission.
fn unknown_catalogue_permission(error: FieldError, entry: &str) -> FieldError {
    if error.code != "catalogue_area" {
        return error;
    }
    FieldError::new(
        error.field,
        "unknown_permission",
        format!("{entry} is not in the permission catalogue"),
    )
}

/// The grants stored for a custom role (its entries, as [`parse_role_permissions`] kept them);
/// entries that no longer parse grant nothing.
pub fn role_grants(entries: &[String]) -> Grants {
    let mut grants = Grants::default();
    for entry in entries {
        match Permission::parse(entry) {
            Some(Permission::OrganizationDelete) => {}
            Some(permission) => grants.catalogue.insert(permission),
            None => {
                if validate_permission_tag(entry, "").is_ok() {
                    grants.tags.push(entry.clone());
                }
            }
        }
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(catalogue: &[Permission], tags: &[&str]) -> Grants {
        Grants::new(
            catalogue.iter().copied().collect(),
            tags.iter().map(|t| t.to_string()).collect(),
        )
    }

    #[test]
    fn wildcards_grant_application_permissions_by_prefix() {
        let g = grants(&[Permission::MembersRead], &["billing:*", "reports.export"]);
        assert!(g.allows("billing:read"));
        assert!(g.allows("billing:invoices:void"));
        assert!(g.allows("reports.export"));
        assert!(!g.allows("reports.exports"));
        assert!(!g.allows("billingx"));
        assert!(g.allows("members:read"));
        assert!(!g.allows("members:write"));
        // A wildcard never reaches the catalogue.
        assert!(!grants(&[], &["*"]).allows("members:read"));
    }

    #[test]
    fn covers_compares_catalogue_and_tags() {
        let admin = grants(
            &[Permission::MembersRead, Permission::MembersWrite],
            &["billing:*"],
        );
        assert!(admin.covers(&grants(&[Permission::MembersRead], &["billing:read"])));
        assert!(admin.covers(&grants(&[], &["billing:*"])));
        assert!(!admin.covers(&grants(&[Permission::RolesRead], &[])));
        assert!(!admin.covers(&grants(&[], &["*"])));
        assert!(!grants(&[], &["billing:read"]).covers(&grants(&[], &["billing:*"])));
    }

    #[test]
    fn intersection_keeps_the_narrower_tag() {
        let key = grants(
            &[Permission::MembersRead, Permission::RolesRead],
            &["billing:*", "x"],
        );
        let user = grants(&[Permission::MembersRead], &["billing:read"]);
        let both = key.intersection(&user);
        assert_eq!(both, grants(&[Permission::MembersRead], &["billing:read"]));
    }

    #[test]
    fn tags_refuse_catalogue_areas_and_inner_stars() {
        assert!(validate_permission_tag("billing:*", "p").is_ok());
        assert_eq!(
            validate_permission_tag("members:write", "p")
                .unwrap_err()
                .code,
            "catalogue_area"
        );
        assert!(validate_permission_tag("bil*ling", "p").is_err());
        assert!(validate_permission_tag("Billing", "p").is_err());
        // Wildcards whose prefix covers a catalogue area, and tags outside any namespace.
        for reaching in ["*", "organization*", "members*", "m*", "api_*"] {
            assert_eq!(
                validate_permission_tag(reaching, "p").unwrap_err().code,
                "catalogue_area",
                "{reaching}"
            );
        }
        for odd in [":*", ".x", "-billing", "_x"] {
            assert_eq!(
                validate_permission_tag(odd, "p").unwrap_err().code,
                "invalid_format",
                "{odd}"
            );
        }
        assert!(validate_permission_tag("billing*", "p").is_ok());
        assert!(validate_permission_tag(&"a".repeat(63), "p").is_err());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(
            parse_tags(many, "permissions").unwrap_err()[0].code,
            "too_many"
        );
    }

    #[test]
    fn unknown_names_in_a_catalogue_area_are_granted_to_nobody() {
        let everything = Grants::everything();
        assert!(everything.allows("members:write"));
        assert!(!everything.allows("members:delete"));
        assert!(!everything.allows("organization:transfer"));
        assert!(everything.allows("billing:read"));
    }

    #[test]
    fn custom_roles_never_hold_organization_delete() {
        let errors = parse_role_permissions(
            vec!["organization:delete".into(), "members:wrote".into()],
            "permissions",
        )
        .unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["owner_only", "unknown_permission"]);
        let (g, kept) = parse_role_permissions(
            vec![
                "members:read".into(),
                "billing:*".into(),
                "members:read".into(),
            ],
            "permissions",
        )
        .unwrap();
        assert_eq!(kept, ["members:read", "billing:*"]);
        assert!(g.has(Permission::MembersRead) && g.allows("billing:x"));
        assert_eq!(role_grants(&kept), g);
    }
}
