//! An endpoint's fields as clients send them, judged.

use roster_domain::FieldError;
use roster_webhooks::TargetPolicy;

use crate::events::{catalogue, TypeFilter};
use crate::CoreError;

/// Patterns per endpoint, at most.
const MAX_EVENT_TYPES: usize = 100;
const MAX_DESCRIPTION: usize = 500;

/// Which events an endpoint wants: exact types (`organization.created`) and prefixes
/// (`membership.*`); empty for every type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventTypes(Vec<String>);

impl EventTypes {
    pub fn parse(patterns: Vec<String>) -> Result<EventTypes, FieldError> {
        if patterns.len() > MAX_EVENT_TYPES {
            return Err(FieldError::new(
                "event_types",
                "too_many",
                format!("at most {MAX_EVENT_TYPES} event types"),
            ));
        }
        let mut kept = Vec::with_capacity(patterns.len());
        for (i, pattern) in patterns.into_iter().enumerate() {
            if TypeFilter::parse(&pattern).is_err() {
                return Err(FieldError::new(
                    format!("event_types[{i}]"),
                    "invalid_format",
                    "an event type (organization.created) or a prefix ending in .* (membership.*)",
                ));
            }
            // A misspelt type would silently never match: refuse it while someone is looking.
            if !catalogue::matches_any(&pattern) {
                return Err(FieldError::new(
                    format!("event_types[{i}]"),
                    "unknown_event_type",
                    format!("{pattern} names no event type (GET /openapi.json lists them under webhooks)"),
                ));
            }
            if !kept.contains(&pattern) {
                kept.push(pattern);
            }
        }
        Ok(EventTypes(kept))
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

/// A URL messages may go to under `policy` (its form; DNS is asked separately).
pub(crate) fn url(raw: &str, policy: TargetPolicy) -> Result<String, FieldError> {
    policy
        .check_url(raw.trim())
        .map(|url| url.to_string())
        .map_err(|error| FieldError::new("url", "invalid_target", error.to_string()))
}

pub(crate) fn description(raw: Option<String>) -> Result<Option<String>, FieldError> {
    match raw.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()) {
        Some(text) if text.chars().count() > MAX_DESCRIPTION => Err(FieldError::new(
            "description",
            "too_long",
            format!("at most {MAX_DESCRIPTION} characters"),
        )),
        other => Ok(other),
    }
}

/// Several fields judged at once: every fault is reported in one answer.
pub(crate) fn all_valid(results: Vec<Option<FieldError>>) -> Result<(), CoreError> {
    let errors: Vec<FieldError> = results.into_iter().flatten().collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errors))
    }
}

/// A delivery's state, as a list filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl DeliveryStatus {
    pub fn parse(raw: &str) -> Option<DeliveryStatus> {
        match raw {
            "pending" => Some(DeliveryStatus::Pending),
            "succeeded" => Some(DeliveryStatus::Succeeded),
            "failed" => Some(DeliveryStatus::Failed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => roster_store::webhooks::status::PENDING,
            DeliveryStatus::Succeeded => roster_store::webhooks::status::SUCCEEDED,
            DeliveryStatus::Failed => roster_store::webhooks::status::FAILED,
        }
    }
}
