//! What teams and projects share: addressed by id or by a name unique in their organization,
//! listed by name or by age a page at a time (keyset: `(sort key, id)`).

use uuid::Uuid;

use crate::Ts;

pub use roster_domain::{NameOrId, NamedSort};

/// Where a page continues: after the row with this sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedKeyset {
    Name(String, Uuid),
    CreatedAt(Ts, Uuid),
}

/// Orders a boxed query of a named table and continues it after a keyset; `$table` is the
/// schema module (`teams`, `projects`), each with `name`, `created_at` and `id` columns.
#[macro_export]
#[doc(hidden)]
macro_rules! named_page {
    ($query:expr, $table:ident, $sort:expr, $descending:expr, $after:expr) => {{
        use $crate::named::{NamedKeyset, NamedSort};
        let mut query = $query;
        if let Some(keyset) = $after {
            query = match (keyset, $descending) {
                (NamedKeyset::Name(name, id), false) => query.filter(
                    $table::name.gt(name.clone()).or($table::name
                        .eq(name.clone())
                        .and($table::id.gt($crate::DbId::from(*id)))),
                ),
                (NamedKeyset::Name(name, id), true) => query.filter(
                    $table::name.lt(name.clone()).or($table::name
                        .eq(name.clone())
                        .and($table::id.lt($crate::DbId::from(*id)))),
                ),
                (NamedKeyset::CreatedAt(at, id), false) => query.filter(
                    $table::created_at.gt(*at).or($table::created_at
                        .eq(*at)
                        .and($table::id.gt($crate::DbId::from(*id)))),
                ),
                (NamedKeyset::CreatedAt(at, id), true) => query.filter(
                    $table::created_at.lt(*at).or($table::created_at
                        .eq(*at)
                        .and($table::id.lt($crate::DbId::from(*id)))),
                ),
            };
        }
        match ($sort, $descending) {
            (NamedSort::Name, false) => query.order(($table::name.asc(), $table::id.asc())),
            (NamedSort::Name, true) => query.order(($table::name.desc(), $table::id.desc())),
            (NamedSort::CreatedAt, false) => {
                query.order(($table::created_at.asc(), $table::id.asc()))
            }
            (NamedSort::CreatedAt, true) => {
                query.order(($table::created_at.desc(), $table::id.desc()))
            }
        }
    }};
}
