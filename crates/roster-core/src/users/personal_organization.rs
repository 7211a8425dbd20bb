//! With `--personal-orgs`, every new account gets an organization of its own (`personal:
//! true`), owned by it for good: its owner can neither leave it nor hand its ownership away.

use rand::RngCore;
use roster_domain::{Role, Slug};
use roster_store::users::UserRow;
use roster_store::{organizations, OrganizationRow};

use crate::members::joining::{join, Joining};
use crate::organizations::{empty_organization, events as org_events};
use crate::{Context, CoreError};

/// Creates `user`'s personal organization (its events name the operation's actor).
pub(crate) fn create(cx: &mut Context<'_>, user: &UserRow) -> Result<(), CoreError> {
    let now = cx.now();
    let local = user.email.split('@').next().unwrap_or_default();
    let org = OrganizationRow {
        name: name_for(local),
        display_name: user.name.clone().unwrap_or_else(|| local.to_owned()),
        personal: true,
        ..empty_organization(user.id, now)
    };
    organizations::insert(cx.conn(), &org)?;
    cx.record(org_events::created(&org));
    join(cx, &org, Joining::plain(user.id, Role::Owner))?;
    Ok(())
}

/// A websafe name from the email's local part and 48 random bits (`ada-lovelace-3f9c0a1b2c4d`),
/// so that it is unique without asking the database.
fn name_for(local: &str) -> String {
    let mut base = String::new();
    for c in local.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
        if base.len() >= 40 {
            break;
        }
    }
    let base = base.trim_end_matches('-');
    let mut suffix = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut suffix);
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let name = if base.is_empty() {
        format!("personal-{suffix}")
    } else {
        format!("{base}-{suffix}")
    };
    match Slug::parse(&name) {
        Ok(slug) => slug.into_string(),
        Err(_) => format!("personal-{suffix}"),
    }
}

#[cfg(test)]
mod tests {
    use super::name_for;

    #[test]
    fn names_are_websafe_and_unique() {
        let name = name_for("Ada.Lovelace+work");
        assert!(name.starts_with("ada-lovelace-work-"), "{name}");
        assert_eq!(name.len(), "ada-lovelace-work-".len() + 12);
        assert!(name_for("...").starts_with("personal-"));
        assert_ne!(name_for("ada"), name_for("ada"));
    }
}
