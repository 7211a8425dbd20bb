//! One connection type over both databases.

use diesel::{PgConnection, SqliteConnection};

/// A connection to PostgreSQL or SQLite. Queries written against it compile once and run on
/// either; the few statements the derived backend cannot express go through [`per_backend!`].
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs the same body against the concrete connection inside a [`DbConn`], for the rare
/// statement the derived `MultiBackend` cannot express (ON CONFLICT, multi-row inserts).
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::DbConn::Pg($inner) => $body,
            $crate::DbConn::Sqlite($inner) => $body,
        }
    };
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}
