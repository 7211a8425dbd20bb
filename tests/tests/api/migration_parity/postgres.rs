//! Reading a PostgreSQL schema from information_schema and pg_catalog.

use roster_store::diesel::sql_types::{Bool, Text};
use roster_store::diesel::QueryableByName;
use roster_store::diesel::{sql_query, Connection, PgConnection, RunQueryDsl};
use roster_tests::{Backend, TestDb};

use super::schema::{column_list, postgres_family, split_list, Column, ForeignKey, Schema, Table};

#[derive(QueryableByName)]
struct PgTable {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct PgIndex {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Bool)]
    is_primary: bool,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    partial: bool,
    #[diesel(sql_type = Text)]
    columns: String,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = Text)]
    foreign_table: String,
    #[diesel(sql_type = Text)]
    foreign_columns: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

fn read_postgres(conn: &mut PgConnection) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<PgTable> = sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .load(conn)
    .expect("read Postgres tables");
    for table in tables {
        if table.name != "__diesel_schema_migrations" {
            schema.tables.insert(table.name, Table::default());
        }
    }

    let columns: Vec<PgColumn> = sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                data_type::text AS data_type, (is_nullable = 'YES') AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .load(conn)
    .expect("read Postgres columns");
    for column in columns {
        if let Some(table) = schema.tables.get_mut(&column.table_name) {
            table.columns.insert(
                column.column_name,
                Column {
                    family: postgres_family(&column.data_type),
                    declared: column.data_type,
                    nullable: column.nullable,
                },
            );
        }
    }

    // Expression parts of an index show as `<expression>`; INCLUDE columns are left out.
    let indexes: Vec<PgIndex> = sql_query(
        "SELECT t.relname::text AS table_name, ix.indisprimary AS is_primary, \
                ix.indisunique AS is_unique, ix.indpred IS NOT NULL AS partial, \
                array_to_string(ARRAY( \
                    SELECT COALESCE(a.attname::text, '<expression>') \
                    FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                    WHERE k.ord <= ix.indnkeyatts \
                    ORDER BY k.ord), ',') AS columns \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public'",
    )
    .load(conn)
    .expect("read Postgres indexes");
    for index in indexes {
        let Some(table) = schema.tables.get_mut(&index.table_name) else {
            continue;
        };
        let columns = split_list(&index.columns);
        if index.is_primary {
            table.primary_key = columns;
        } else if index.is_unique {
            table
                .unique_indexes
                .insert(column_list(&columns, index.partial));
        }
    }

    let foreign_keys: Vec<PgForeignKey> = sql_query(
        "SELECT t.relname::text AS table_name, f.relname::text AS foreign_table, \
                array_to_string(ARRAY( \
                    SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
                    ORDER BY k.ord), ',') AS columns, \
                array_to_string(ARRAY( \
                    SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum \
                    ORDER BY k.ord), ',') AS foreign_columns, \
                CASE con.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' \
                     WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' \
                     ELSE con.confdeltype::text END AS on_delete \
         FROM pg_constraint con \
         JOIN pg_class t ON t.oid = con.conrelid \
         JOIN pg_class f ON f.oid = con.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE con.contype = 'f' AND n.nspname = 'public'",
    )
    .load(conn)
    .expect("read Postgres foreign keys");
    for fk in foreign_keys {
        if let Some(table) = schema.tables.get_mut(&fk.table_name) {
            table.foreign_keys.insert(ForeignKey {
                columns: split_list(&fk.columns),
                table: fk.foreign_table,
                references: split_list(&fk.foreign_columns),
                on_delete: fk.on_delete,
            });
        }
    }
    schema
}

/// Postgres with its migration tree applied, read back; `None` when the local server is
/// unreachable and may be skipped (TestDb says so loudly).
pub fn migrated_postgres() -> Option<Schema> {
    let db = TestDb::create(Backend::Postgres)?;
    let pool = roster_core::open_database(&db.url, 1).expect("apply the Postgres migrations");
    drop(pool);
    let mut conn = PgConnection::establish(&db.url).expect("connect to the test database");
    let schema = read_postgres(&mut conn);
    drop(conn);
    Some(schema)
}
