//! Applying a merge patch to an organization, validating every field on the way.
//!
//! Creation is a patch onto an empty organization, so both paths share one set of rules.

use roster_domain::{
    optional_text, optional_url, required_text, validate_address, validate_custom, validate_limits,
    Address, Email, FieldError, Limits, OrgState, Slug, Visibility,
};
use roster_store::{JsonValue, OrganizationRow};
use serde_json::{Map, Value};

use crate::json_fields::value_as;

/// A JSON merge patch (RFC 7396) of an organization: `None` leaves a field as it is,
/// `Some(None)` clears it; `address`, `custom` and `limits` merge key by key.
#[derive(Debug, Clone, Default)]
pub struct OrganizationPatch {
    pub name: Option<Option<String>>,
    pub display_name: Option<Option<String>>,
    pub billing_email: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub logo_url: Option<Option<String>>,
    pub address: Option<Option<Value>>,
    pub reference: Option<Option<String>>,
    pub custom: Option<Option<Value>>,
    pub state: Option<Option<String>>,
    pub personal: Option<Option<bool>>,
    pub visibility: Option<Option<String>>,
    pub limits: Option<Option<Value>>,
}

const DISPLAY_NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2000;
const REFERENCE_MAX: usize = 255;

/// Applies `patch` to `row`. Returns the state the patch asks for, if any; the caller decides
/// whether that transition is allowed.
pub fn apply(
    row: &mut OrganizationRow,
    patch: OrganizationPatch,
) -> Result<Option<OrgState>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut check = |result: Result<(), FieldError>| {
        if let Err(e) = result {
            errors.push(e);
        }
    };

    if let Some(name) = patch.name {
        check(match name {
            None => Err(FieldError::new(
                "name",
                "required",
                "an organization needs a name",
            )),
            Some(raw) => Slug::parse(&raw).map(|slug| row.name = slug.into_string()),
        });
    }
    if let Some(display_name) = patch.display_name {
        check(match display_name {
            None => {
                row.display_name = row.name.clone();
                Ok(())
            }
            Some(raw) => {
                required_text(&raw, "display_name", DISPLAY_NAME_MAX).map(|v| row.display_name = v)
            }
        });
    }
    if let Some(billing_email) = patch.billing_email {
        check(match billing_email {
            None => {
                row.billing_email = None;
                Ok(())
            }
            Some(raw) => Email::parse_field(&raw, "billing_email")
                .map(|e| row.billing_email = Some(e.into_string())),
        });
    }
    if let Some(description) = patch.description {
        check(
            optional_text(description.as_deref(), "description", DESCRIPTION_MAX)
                .map(|v| row.description = v),
        );
    }
    if let Some(website) = patch.website {
        check(optional_url(website.as_deref(), "website").map(|v| row.website = v));
    }
    if let Some(logo_url) = patch.logo_url {
        check(optional_url(logo_url.as_deref(), "logo_url").map(|v| row.logo_url = v));
    }
    if let Some(reference) = patch.reference {
        check(
            optional_text(reference.as_deref(), "reference", REFERENCE_MAX)
                .map(|v| row.reference = v),
        );
    }
    if let Some(custom) = patch.custom {
        let mut merged = row.custom.0.clone();
        match custom {
            None => merged = Value::Object(Map::new()),
            Some(value @ Value::Object(_)) => merge_patch(&mut merged, value),
            Some(_) => merged = Value::Null,
        }
        check(validate_custom(&merged).map(|()| row.custom = JsonValue(merged)));
    }
    if let Some(personal) = patch.personal {
        row.personal = personal.unwrap_or(false);
    }
    if let Some(visibility) = patch.visibility {
        check(match visibility.as_deref().map(Visibility::parse) {
            None => {
                row.visibility = Visibility::Private;
                Ok(())
            }
            Some(Some(v)) => {
                row.visibility = v;
                Ok(())
            }
            Some(None) => Err(FieldError::new(
                "visibility",
                "invalid_value",
                "must be private or public",
            )),
        });
    }
    if let Some(address) = patch.address {
        match merged_object::<Address>(&row.address.0, address, "address") {
            Ok(merged) => match validate_address(merged) {
                Ok(valid) => row.address = JsonValue(address_json(&valid)),
                Err(found) => errors.extend(found),
            },
            Err(e) => errors.push(e),
        }
    }
    if let Some(limits) = patch.limits {
        let current = serde_json::to_value(row.limits()).unwrap_or_default();
        match merged_object::<Limits>(&current, limits, "limits") {
            Ok(merged) => match validate_limits(merged) {
                Ok(valid) => row.set_limits(valid),
                Err(found) => errors.extend(found),
            },
            Err(e) => errors.push(e),
        }
    }
    let mut state = None;
    if let Some(requested) = patch.state {
        match requested.as_deref().and_then(OrgState::parse) {
            Some(s) => state = Some(s),
            None => errors.push(FieldError::new(
                "state",
                "invalid_value",
                "must be active, inactive or closed",
            )),
        }
    }
    if errors.is_empty() {
        Ok(state)
    } else {
        Err(errors)
    }
}

/// The stored form of an address: every key present, so readers see a stable shape.
pub fn address_json(address: &Address) -> Value {
    serde_json::to_value(address).unwrap_or_else(|_| Value::Object(Map::new()))
}

/// Merges `patch` (an object, or `null` to clear) into `current` and reads the result as `T`.
fn merged_object<T: serde::de::DeserializeOwned>(
    current: &Value,
    patch: Option<Value>,
    field: &str,
) -> Result<T, FieldError> {
    let mut merged = current.clone();
    match patch {
        None => merged = Value::Object(Map::new()),
        Some(value @ Value::Object(_)) => merge_patch(&mut merged, value),
        Some(_) => {
            return Err(FieldError::new(
                field,
                "invalid_type",
                "must be an object or null",
            ))
        }
    }
    value_as(merged, field)
}

/// RFC 7396 JSON merge patch: objects merge key by key, `null` removes a key, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: Value) {
    let Value::Object(entries) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(map) = target {
        for (key, value) in entries {
            if value.is_null() {
                map.remove(&key);
            } else {
                merge_patch(map.entry(key).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"a": [1]});
        merge_patch(&mut doc, json!({"a": {"b": 1}}));
        assert_eq!(doc, json!({"a": {"b": 1}}));
    }
}
