//! The two migration trees (`migrations/postgres`, `migrations/sqlite`) must build the same
//! schema: the same tables and columns, each column of the same type family and nullability,
//! the same primary keys, unique indexes and foreign keys (with their ON DELETE action).
//!
//! Both trees are applied to fresh databases and read back from the catalogs
//! (information_schema / pg_catalog; SQLite's pragmas), then compared table by table.

mod comparison;
mod parity;
mod postgres;
mod schema;
mod sqlite;
