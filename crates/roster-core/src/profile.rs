//! What teams and projects have alike: a `name` under the organization name rules (unique in
//! the organization), a `display_name` that defaults to it, a `description` and `custom` data;
//! parsed when made, changed with merge semantics, and told as changes in update events.

use roster_domain::{optional_text, required_text, validate_custom, FieldError, Slug};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::events::Change;
use crate::organizations::merge_patch;
use crate::CoreError;

const DISPLAY_NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2000;

/// A team's or project's profile, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub custom: Value,
}

/// A new profile, as given.
#[derive(Debug, Clone, Default)]
pub struct NewProfile {
    pub name: String,
    /// Defaults to `name`.
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// Defaults to `{}`.
    pub custom: Option<Value>,
}

/// A change to a profile: an absent field is unchanged; `Some(None)` clears (a display name
/// back to the name, `custom` to `{}`); `custom` merges key by key (RFC 7396).
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub custom: Option<Option<Value>>,
}

impl NewProfile {
    pub fn parse(self) -> Result<Profile, CoreError> {
        let mut errors = Vec::new();
        let name = Slug::parse(&self.name)
            .map(Slug::into_string)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let display_name = match self.display_name {
            Some(given) => required_text(&given, "display_name", DISPLAY_NAME_MAX)
                .map_err(|e| errors.push(e))
                .unwrap_or_default(),
            None => name.clone(),
        };
        let description =
            optional_text(self.description.as_deref(), "description", DESCRIPTION_MAX)
                .map_err(|e| errors.push(e))
                .unwrap_or_default();
        let custom = self.custom.unwrap_or_else(|| Value::Object(Map::new()));
        if let Err(e) = validate_custom(&custom) {
            errors.push(e);
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        Ok(Profile {
            name,
            display_name,
            description,
            custom,
        })
    }
}

impl ProfilePatch {
    /// The profile with the change applied (every field at fault named).
    pub fn apply(self, before: &Profile) -> Result<Profile, Vec<FieldError>> {
        let mut after = before.clone();
        let mut errors = Vec::new();
        if let Some(name) = self.name {
            match Slug::parse(&name) {
                Ok(slug) => {
                    // A display name that followed the name keeps following it.
                    if after.display_name == after.name {
                        after.display_name = slug.as_str().to_owned();
                    }
                    after.name = slug.into_string();
                }
                Err(e) => errors.push(e),
            }
        }
        match self.display_name {
            Some(Some(given)) => match required_text(&given, "display_name", DISPLAY_NAME_MAX) {
                Ok(display_name) => after.display_name = display_name,
                Err(e) => errors.push(e),
            },
            Some(None) => after.display_name = after.name.clone(),
            None => {}
        }
        if let Some(description) = self.description {
            match optional_text(description.as_deref(), "description", DESCRIPTION_MAX) {
                Ok(description) => after.description = description,
                Err(e) => errors.push(e),
            }
        }
        if let Some(custom) = self.custom {
            let mut merged = after.custom.clone();
            match custom {
                None => merged = Value::Object(Map::new()),
                Some(value @ Value::Object(_)) => merge_patch(&mut merged, value),
                Some(_) => merged = Value::Null,
            }
            match validate_custom(&merged) {
                Ok(()) => after.custom = merged,
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(after)
        } else {
            Err(errors)
        }
    }
}

/// The changed fields of a team or a project; an unchanged field is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileChanges {
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub name: Option<Change<String>>,
    /// The name people read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub display_name: Option<Change<String>>,
    /// What it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub description: Option<Change<Option<String>>>,
    /// The application's own data.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::organizations::events::ObjectChange, required = false))]
    pub custom: Option<Change<Value>>,
    /// Who reads it without a grant (projects only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub visibility: Option<Change<String>>,
}

impl ProfileChanges {
    /// What changed between two profiles (nothing about visibility: a project adds it).
    pub fn between(before: &Profile, after: &Profile) -> ProfileChanges {
        ProfileChanges {
            name: Change::of(before.name.clone(), after.name.clone()),
            display_name: Change::of(before.display_name.clone(), after.display_name.clone()),
            description: Change::of(before.description.clone(), after.description.clone()),
            custom: Change::of(before.custom.clone(), after.custom.clone()),
            visibility: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ProfileChanges::default()
    }
}
