//! Both migration trees, applied to fresh databases, build the same schema, and every foreign
//! key in it lets a delete go through.

use super::postgres::migrated_postgres;
use super::schema::{describe, schema_differences};
use super::sqlite::migrated_sqlite;

#[test]
fn both_migration_trees_build_the_same_schema() {
    let Some(postgres) = migrated_postgres() else {
        return;
    };
    let sqlite = migrated_sqlite();
    assert!(
        !postgres.tables.is_empty(),
        "no tables read from Postgres: is the reader broken?"
    );
    assert!(
        !sqlite.tables.is_empty(),
        "no tables read from SQLite: is the reader broken?"
    );
    let differences = schema_differences(&postgres, &sqlite);
    assert!(
        differences.is_empty(),
        "migrations/postgres and migrations/sqlite disagree ({} differences):\n  - {}\n\n\
         Postgres schema:\n{}\nSQLite schema:\n{}\n\
         Note: SQLite does not make a non-INTEGER PRIMARY KEY column NOT NULL by itself; \
         declare it NOT NULL explicitly.",
        differences.len(),
        differences.join("\n  - "),
        describe(&postgres),
        describe(&sqlite)
    );
}

/// Deleting an organization or a user must never fail on rows that point at it: every
/// foreign key cascades or sets NULL (and a SET NULL column must accept NULL).
#[test]
fn every_foreign_key_in_the_parity_schema_cascades_or_sets_null() {
    let mut schemas = vec![("SQLite", migrated_sqlite())];
    if let Some(postgres) = migrated_postgres() {
        schemas.push(("Postgres", postgres));
    }
    let mut problems = Vec::new();
    let mut seen = 0;
    for (backend, schema) in &schemas {
        for (name, table) in &schema.tables {
            for fk in &table.foreign_keys {
                seen += 1;
                match fk.on_delete.as_str() {
                    "CASCADE" => {}
                    "SET NULL" => {
                        for column in &fk.columns {
                            if table.columns.get(column).is_some_and(|c| !c.nullable) {
                                problems.push(format!(
                                    "{backend} {name}: foreign key {fk} sets NULL, but {column} is NOT NULL"
                                ));
                            }
                        }
                    }
                    other => problems.push(format!(
                        "{backend} {name}: foreign key {fk} is ON DELETE {other}; use CASCADE or SET NULL"
                    )),
                }
            }
        }
    }
    assert!(seen > 0, "no foreign keys read: is the reader broken?");
    assert!(
        problems.is_empty(),
        "foreign keys that would make a delete fail:\n  - {}",
        problems.join("\n  - ")
    );
}
