use serde::Serialize;

/// One field at fault, as it appears in a problem response's `errors` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// The same error reported under another field path (`name` → `members[2].email`).
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

/// Why the domain refuses an operation. Each variant maps to exactly one HTTP status at the edge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more fields are invalid (422).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The organization is closed, and a closed organization changes no more (409).
    #[error("the organization is closed; a closed organization cannot change")]
    Closed,
}

impl From<FieldError> for DomainError {
    fn from(error: FieldError) -> Self {
        DomainError::Validation(vec![error])
    }
}

impl From<Vec<FieldError>> for DomainError {
    fn from(errors: Vec<FieldError>) -> Self {
        DomainError::Validation(errors)
    }
}
