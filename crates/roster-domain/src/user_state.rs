use serde::{Deserialize, Serialize};

/// Whether a user may sign in and act: a disabled user's credentials stop working at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    Active,
    Disabled,
}

impl UserState {
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Active => "active",
            UserState::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<UserState> {
        match raw {
            "active" => Some(UserState::Active),
            "disabled" => Some(UserState::Disabled),
            _ => None,
        }
    }
}

stored_as_text!(UserState, "user state");
