use diesel::result::{DatabaseErrorKind, Error as DieselError};
pub use roster_domain::Unique;

/// What can go wrong in the persistence layer, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write: the value is taken.
    #[error("unique constraint violated: {0:?}")]
    Duplicate(Unique),
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

/// Which unique value a violation names. Postgres names the constraint
/// (`organizations_name_key`); SQLite says "UNIQUE constraint failed: organizations.name"
/// (this function is the one place that knows them).
fn unique_from_database(constraint: Option<&str>, message: &str) -> Unique {
    let named = constraint.unwrap_or(message);
    let is = |index: &str, column: &str| named.contains(index) || message.contains(column);
    if is("organizations_name_key", "organizations.name") {
        Unique::OrganizationName
    } else if is("organizations_reference_key", "organizations.reference") {
        Unique::OrganizationReference
    } else if is("users_email_key", "users.email") {
        Unique::UserEmail
    } else if is("roles_pkey", "roles.organization_id, roles.key") {
        Unique::RoleKey
    } else if is(
        "memberships_pkey",
        "memberships.organization_id, memberships.user_id",
    ) {
        Unique::Membership
    } else if is(
        "invitations_pending_email_key",
        "invitations.organization_id, invitations.email",
    ) {
        Unique::PendingInvitation
    } else if is("teams_org_name_key", "teams.organization_id, teams.name") {
        Unique::TeamName
    } else if is(
        "projects_org_name_key",
        "projects.organization_id, projects.name",
    ) {
        Unique::ProjectName
    } else if is(
        "team_members_pkey",
        "team_members.team_id, team_members.user_id",
    ) {
        Unique::TeamMember
    } else {
        Unique::Other(named.to_owned())
    }
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Duplicate(unique_from_database(info.constraint_name(), info.message()))
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
    /// r2d2 says "timed out waiting for connection: <the last connection error>"; the last
    /// error is what the operator acts on ("connection refused"), so it is all that is kept.
    fn from(error: r2d2::Error) -> Self {
        let message = error.to_string();
        let cause = message
            .strip_prefix("timed out waiting for connection: ")
            .unwrap_or("no connection was free in time");
        StoreError::Unavailable(cause.to_owned())
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
