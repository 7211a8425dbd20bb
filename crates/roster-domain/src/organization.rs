//! The structured parts of an organization's profile: its postal address and its limits.

use serde::{Deserialize, Serialize};

use crate::{optional_text, FieldError};

const ADDRESS_LINE_MAX: usize = 200;

/// A postal address; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// First line: street and number (at most 200 characters).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Bahnhofstrasse 1", max_length = 200)
    )]
    pub line1: Option<String>,
    /// Second line (at most 200 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub line2: Option<String>,
    /// City or town (at most 200 characters).
    #[cfg_attr(feature = "openapi", schema(example = "Zürich", max_length = 200))]
    pub city: Option<String>,
    /// State, province or region (at most 200 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub region: Option<String>,
    /// Postal code (at most 32 characters).
    #[cfg_attr(feature = "openapi", schema(example = "8001", max_length = 32))]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code (letters in either case; stored upper-case).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "CH", pattern = "^\\s*[A-Za-z]{2}\\s*$")
    )]
    pub country: Option<String>,
    /// Degrees north, -90 to 90.
    #[cfg_attr(feature = "openapi", schema(example = 47.3769, minimum = -90, maximum = 90))]
    pub latitude: Option<f64>,
    /// Degrees east, -180 to 180.
    #[cfg_attr(feature = "openapi", schema(example = 8.5417, minimum = -180, maximum = 180))]
    pub longitude: Option<f64>,
}

/// Normalizes and checks an address, reporting errors as `address.<part>`.
pub fn validate_address(address: Address) -> Result<Address, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |value: Option<String>, part: &str, max: usize| {
        optional_text(value.as_deref(), &format!("address.{part}"), max)
            .map_err(|e| errors.push(e))
            .unwrap_or(None)
    };
    let line1 = text(address.line1, "line1", ADDRESS_LINE_MAX);
    let line2 = text(address.line2, "line2", ADDRESS_LINE_MAX);
    let city = text(address.city, "city", ADDRESS_LINE_MAX);
    let region = text(address.region, "region", ADDRESS_LINE_MAX);
    let postal_code = text(address.postal_code, "postal_code", 32);
    let country = address.country.map(|c| c.trim().to_ascii_uppercase());
    if let Some(code) = &country {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(FieldError::new(
                "address.country",
                "invalid_format",
                "must be an ISO 3166-1 alpha-2 country code such as CH",
            ));
        }
    }
    if address
        .latitude
        .is_some_and(|lat| !(-90.0..=90.0).contains(&lat))
    {
        errors.push(FieldError::new(
            "address.latitude",
            "out_of_range",
            "must be between -90 and 90",
        ));
    }
    if address
        .longitude
        .is_some_and(|lon| !(-180.0..=180.0).contains(&lon))
    {
        errors.push(FieldError::new(
            "address.longitude",
            "out_of_range",
            "must be between -180 and 180",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Address {
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        latitude: address.latitude,
        longitude: address.longitude,
    })
}

/// Caps on what an organization may hold; `null` means unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// At most this many members (1 to 1,000,000; `null`: unlimited).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 50, minimum = 1, maximum = 1_000_000)
    )]
    pub max_members: Option<i64>,
    /// At most this many API keys (1 to 1,000,000; `null`: unlimited).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 10, minimum = 1, maximum = 1_000_000)
    )]
    pub max_api_keys: Option<i64>,
    /// At most this many pending invitations (1 to 1,000,000; `null`: unlimited).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 20, minimum = 1, maximum = 1_000_000)
    )]
    pub max_invitations: Option<i64>,
    /// At most this many teams (1 to 1,000,000; `null`: unlimited).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 25, minimum = 1, maximum = 1_000_000)
    )]
    pub max_teams: Option<i64>,
    /// At most this many projects (1 to 1,000,000; `null`: unlimited).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 100, minimum = 1, maximum = 1_000_000)
    )]
    pub max_projects: Option<i64>,
}

/// Limits are whole numbers from 1 to 1,000,000.
pub fn validate_limits(limits: Limits) -> Result<Limits, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (value, field) in [
        (limits.max_members, "limits.max_members"),
        (limits.max_api_keys, "limits.max_api_keys"),
        (limits.max_invitations, "limits.max_invitations"),
        (limits.max_teams, "limits.max_teams"),
        (limits.max_projects, "limits.max_projects"),
    ] {
        if value.is_some_and(|v| !(1..=1_000_000).contains(&v)) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must be between 1 and 1000000",
            ));
        }
    }
    if errors.is_empty() {
        Ok(limits)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_is_normalized_and_checked() {
        let ok = validate_address(Address {
            country: Some("ch".into()),
            city: Some(" Bern ".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.country.as_deref(), Some("CH"));
        assert_eq!(ok.city.as_deref(), Some("Bern"));
        let errors = validate_address(Address {
            country: Some("Switzerland".into()),
            latitude: Some(91.0),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address.country", "address.latitude"]);
    }

    #[test]
    fn limits_are_positive() {
        assert!(validate_limits(Limits {
            max_members: Some(0),
            ..Limits::default()
        })
        .is_err());
        assert!(validate_limits(Limits {
            max_members: Some(5),
            ..Limits::default()
        })
        .is_ok());
    }
}
