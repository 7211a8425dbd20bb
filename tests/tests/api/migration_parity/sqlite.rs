//! Reading a SQLite schema from `sqlite_master` and the table, index and foreign-key pragmas.

use std::collections::BTreeMap;

use roster_store::diesel::sql_types::{Integer, Nullable, Text};
use roster_store::diesel::QueryableByName;
use roster_store::diesel::{sql_query, Connection, RunQueryDsl, SqliteConnection};
use roster_tests::{Backend, TestDb};

use super::schema::{column_list, sqlite_family, Column, ForeignKey, Schema, Table};

#[derive(QueryableByName)]
struct SqliteTable {
    #[diesel(sql_type = Text)]
    name: String,
}

/// A row of `pragma table_info`.
#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text, column_name = "type")]
    declared: String,
    #[diesel(sql_type = Integer, column_name = "notnull")]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

/// A row of `pragma index_list`.
#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    unique: i32,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk`.
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Integer)]
    partial: i32,
}

/// A row of `pragma index_info`.
#[derive(QueryableByName)]
struct SqliteIndexColumn {
    #[diesel(sql_type = Integer)]
    seqno: i32,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

/// A row of `pragma foreign_key_list`.
#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    seq: i32,
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    /// NULL when the key names only the table (its primary key).
    #[diesel(sql_type = Nullable<Text>)]
    to: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn read_sqlite(conn: &mut SqliteConnection) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<SqliteTable> = sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .load(conn)
    .expect("read SQLite tables");
    for SqliteTable { name } in tables {
        if name == "__diesel_schema_migrations" {
            continue;
        }
        let mut table = Table::default();

        let mut columns: Vec<SqliteColumn> =
            sql_query(format!("PRAGMA table_info({})", quoted(&name)))
                .load(conn)
                .expect("pragma table_info");
        columns.sort_by_key(|c| c.pk);
        for column in columns {
            if column.pk > 0 {
                table.primary_key.push(column.name.clone());
            }
            table.columns.insert(
                column.name,
                Column {
                    family: sqlite_family(&column.declared),
                    declared: column.declared,
                    nullable: column.not_null == 0,
                },
            );
        }

        let indexes: Vec<SqliteIndex> = sql_query(format!("PRAGMA index_list({})", quoted(&name)))
            .load(conn)
            .expect("pragma index_list");
        for index in indexes {
            // The primary key's own index is compared as the primary key.
            if index.unique == 0 || index.origin == "pk" {
                continue;
            }
            let mut parts: Vec<SqliteIndexColumn> =
                sql_query(format!("PRAGMA index_info({})", quoted(&index.name)))
                    .load(conn)
                    .expect("pragma index_info");
            parts.sort_by_key(|p| p.seqno);
            let columns: Vec<String> = parts
                .into_iter()
                .map(|p| p.name.unwrap_or_else(|| "<expression>".into()))
                .collect();
            table
                .unique_indexes
                .insert(column_list(&columns, index.partial != 0));
        }

        let mut keys: Vec<SqliteForeignKey> =
            sql_query(format!("PRAGMA foreign_key_list({})", quoted(&name)))
                .load(conn)
                .expect("pragma foreign_key_list");
        keys.sort_by_key(|k| (k.id, k.seq));
        let mut grouped: BTreeMap<i32, ForeignKey> = BTreeMap::new();
        for key in keys {
            let fk = grouped.entry(key.id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: key.table.clone(),
                references: Vec::new(),
                on_delete: key.on_delete.clone(),
            });
            fk.columns.push(key.from);
            if let Some(to) = key.to {
                fk.references.push(to);
            }
        }
        table.foreign_keys = grouped.into_values().collect();
        schema.tables.insert(name, table);
    }

    // A key that names only its table refers to that table's primary key.
    let primary_keys: BTreeMap<String, Vec<String>> = schema
        .tables
        .iter()
        .map(|(name, t)| (name.clone(), t.primary_key.clone()))
        .collect();
    for table in schema.tables.values_mut() {
        table.foreign_keys = std::mem::take(&mut table.foreign_keys)
            .into_iter()
            .map(|mut fk| {
                if fk.references.is_empty() {
                    fk.references = primary_keys.get(&fk.table).cloned().unwrap_or_default();
                }
                fk
            })
            .collect();
    }
    schema
}

/// SQLite with its migration tree applied, read back. Always available.
pub fn migrated_sqlite() -> Schema {
    let db = TestDb::create(Backend::Sqlite).expect("SQLite is always available");
    let pool = roster_core::open_database(&db.url, 1).expect("apply the SQLite migrations");
    drop(pool);
    let path = db.url.strip_prefix("sqlite://").expect("a sqlite:// URL");
    let mut conn = SqliteConnection::establish(path).expect("open the SQLite file");
    read_sqlite(&mut conn)
}
