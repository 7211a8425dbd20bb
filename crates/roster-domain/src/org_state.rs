use serde::{Deserialize, Serialize};

use crate::DomainError;

/// An organization's lifecycle. `Closed` is final: no transition leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgState {
    Active,
    Inactive,
    Closed,
}

impl OrgState {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgState::Active => "active",
            OrgState::Inactive => "inactive",
            OrgState::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<OrgState> {
        match raw {
            "active" => Some(OrgState::Active),
            "inactive" => Some(OrgState::Inactive),
            "closed" => Some(OrgState::Closed),
            _ => None,
        }
    }

    /// Checks that the organization may change at all: a closed one refuses every change.
    pub fn ensure_mutable(self) -> Result<(), DomainError> {
        if self == OrgState::Closed {
            return Err(DomainError::Closed);
        }
        Ok(())
    }

    /// The state after asking for `next`: active ↔ inactive, either → closed, nothing out of closed.
    pub fn transition_to(self, next: OrgState) -> Result<OrgState, DomainError> {
        self.ensure_mutable()?;
        Ok(next)
    }
}

stored_as_text!(OrgState, "organization state");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_is_final() {
        for next in [OrgState::Active, OrgState::Inactive, OrgState::Closed] {
            assert!(matches!(
                OrgState::Closed.transition_to(next),
                Err(DomainError::Closed)
            ));
        }
    }

    #[test]
    fn open_states_move_freely() {
        assert_eq!(
            OrgState::Active.transition_to(OrgState::Inactive),
            Ok(OrgState::Inactive)
        );
        assert_eq!(
            OrgState::Inactive.transition_to(OrgState::Active),
            Ok(OrgState::Active)
        );
        assert_eq!(
            OrgState::Inactive.transition_to(OrgState::Closed),
            Ok(OrgState::Closed)
        );
    }

    #[test]
    fn round_trips_its_names() {
        for state in [OrgState::Active, OrgState::Inactive, OrgState::Closed] {
            assert_eq!(OrgState::parse(state.as_str()), Some(state));
        }
        assert_eq!(OrgState::parse("deleted"), None);
    }
}
