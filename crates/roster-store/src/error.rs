use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What can go wrong in the persistence layer, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; `constraint` names it where the database says.
    #[error("unique constraint violated: {constraint}")]
    UniqueViolation { constraint: String },
    /// The row changed between this request's read and its write.
    #[error("the row was modified concurrently")]
    Conflict,
    /// The database aborted the transaction to break a deadlock or a serialization conflict
    /// with another one; running it again is expected to succeed ([`crate::Db::write`] does).
    #[error("transient conflict with another transaction: {0}")]
    Transient(String),
    /// The database refused a value as malformed text (e.g. a NUL byte on Postgres).
    #[error("the database refused a value: {0}")]
    InvalidInput(String),
    /// The database cannot be reached (down, restarting, pool exhausted): retry later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database URL or configuration is unusable.
    #[error("invalid database configuration: {0}")]
    Config(String),
    /// Migrations failed to apply.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Anything else: a bug or a broken database, never the client's fault.
    #[error("database error: {0}")]
    Internal(String),
}

impl StoreError {
    /// True when the error names this unique constraint (or column, on SQLite).
    pub fn is_unique_on(&self, needle: &str) -> bool {
        matches!(self, StoreError::UniqueViolation { constraint } if constraint.contains(needle))
    }
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // Postgres names the constraint; SQLite only says "UNIQUE constraint failed: t.c".
                let constraint = info
                    .constraint_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| info.message().to_owned());
                StoreError::UniqueViolation { constraint }
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                StoreError::Transient(info.message().to_owned())
            }
            // Postgres's 40P01; Diesel has no kind for it, but the message is fixed.
            DieselError::DatabaseError(_, ref info)
                if info.message().contains("deadlock detected") =>
            {
                StoreError::Transient(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(_, ref info) if is_refused_text(info.message()) => {
                StoreError::InvalidInput(info.message().to_owned())
            }
            DieselError::DatabaseError(_, ref info) if is_connection_failure(info.message()) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            other => StoreError::Internal(other.to_string()),
        }
    }
}

/// The error type of a transaction's work. [`crate::Db::write`] runs the work again when it
/// failed for a transient reason, so the type must be able to say so after conversion.
pub trait TransactionError: From<StoreError> {
    fn is_transient(&self) -> bool;
}

impl TransactionError for StoreError {
    fn is_transient(&self) -> bool {
        matches!(self, StoreError::Transient(_))
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(error: r2d2::Error) -> Self {
        StoreError::Unavailable(error.to_string())
    }
}

/// Postgres refuses NUL in text (22021) and `\u0000` in jsonb (22P05): bad input, not a fault.
fn is_refused_text(message: &str) -> bool {
    message.contains("invalid byte sequence")
        || message.contains("unsupported Unicode escape sequence")
}

/// Postgres reports a server going away under several codes; all of them mean "retry later".
fn is_connection_failure(message: &str) -> bool {
    const SIGNS: &[&str] = &[
        "terminating connection",
        "server closed the connection",
        "connection to server",
        "no connection to the server",
        "the database system is shutting down",
        "the database system is starting up",
        "could not receive data from server",
        "SSL SYSCALL error",
        "database is locked",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}
