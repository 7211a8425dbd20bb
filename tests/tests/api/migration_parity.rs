//! The two migration trees (`migrations/postgres`, `migrations/sqlite`) must build the same
//! schema: the same tables and columns, each column of the same type family and nullability,
//! the same primary keys, unique indexes and foreign keys (with their ON DELETE action).
//!
//! Both trees are applied to fresh databases and read back from the catalogs
//! (information_schema / pg_catalog; SQLite's pragmas), then compared table by table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use roster_store::diesel::sql_types::{Bool, Integer, Nullable, Text};
use roster_store::diesel::QueryableByName;
use roster_store::diesel::{
    self, sql_query, Connection, PgConnection, RunQueryDsl, SqliteConnection,
};
use roster_tests::{Backend, TestDb};

// ---------------------------------------------------------------------------------------------
// The schema description both backends are read into.

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    /// Unique indexes other than the primary key, as their column list, e.g. `(email)`.
    pub unique_indexes: BTreeSet<String>,
    pub foreign_keys: BTreeSet<ForeignKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The type as the database declares it (for messages).
    pub declared: String,
    /// What it stands for on both backends: `uuid`, `json`, `timestamp`, `text`, …
    pub family: String,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
    /// `CASCADE`, `SET NULL`, `NO ACTION`, `RESTRICT` or `SET DEFAULT`.
    pub on_delete: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}) → {}({}) ON DELETE {}",
            self.columns.join(", "),
            self.table,
            self.references.join(", "),
            self.on_delete
        )
    }
}

/// The type family of a Postgres column (`information_schema.columns.data_type`).
pub fn postgres_family(data_type: &str) -> String {
    match data_type {
        "uuid" => "uuid",
        "jsonb" => "json",
        "timestamp with time zone" => "timestamp",
        "text" => "text",
        "boolean" => "boolean",
        "bigint" | "integer" => "integer",
        "bytea" => "bytes",
        other => return format!("unmapped Postgres type {other:?}"),
    }
    .to_owned()
}

/// The type family of a SQLite column (its declared type, as `pragma table_info` gives it).
pub fn sqlite_family(declared: &str) -> String {
    match declared.to_ascii_uppercase().as_str() {
        "TEXT_UUID" => "uuid",
        "TEXT_JSON" => "json",
        "TEXT_TIMESTAMP" => "timestamp",
        "TEXT" => "text",
        "BOOLEAN" => "boolean",
        "BIGINT" | "INTEGER" => "integer",
        "BLOB" => "bytes",
        other => return format!("unmapped SQLite type {other:?}"),
    }
    .to_owned()
}

fn column_list(columns: &[String], partial: bool) -> String {
    let mut out = format!("({})", columns.join(", "));
    if partial {
        out.push_str(" WHERE …");
    }
    out
}

/// Every way `sqlite` differs from `postgres`, one readable line each; empty when they agree.
pub fn schema_differences(postgres: &Schema, sqlite: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = postgres.tables.keys().chain(sqlite.tables.keys()).collect();
    for name in names {
        let (pg, lite) = match (postgres.tables.get(name), sqlite.tables.get(name)) {
            (Some(pg), Some(lite)) => (pg, lite),
            (Some(_), None) => {
                out.push(format!("table {name}: only in Postgres"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("table {name}: only in SQLite"));
                continue;
            }
            (None, None) => continue,
        };
        let columns: BTreeSet<&String> = pg.columns.keys().chain(lite.columns.keys()).collect();
        for column in columns {
            match (pg.columns.get(column), lite.columns.get(column)) {
                (Some(p), Some(s)) => {
                    if p.family != s.family {
                        out.push(format!(
                            "{name}.{column}: type {} ({}) in Postgres, {} ({}) in SQLite",
                            p.declared, p.family, s.declared, s.family
                        ));
                    }
                    if p.nullable != s.nullable {
                        let says =
                            |nullable: bool| if nullable { "NULL allowed" } else { "NOT NULL" };
                        out.push(format!(
                            "{name}.{column}: {} in Postgres, {} in SQLite",
                            says(p.nullable),
                            says(s.nullable)
                        ));
                    }
                }
                (Some(p), None) => out.push(format!(
                    "{name}.{column}: column only in Postgres ({})",
                    p.declared
                )),
                (None, Some(s)) => out.push(format!(
                    "{name}.{column}: column only in SQLite ({})",
                    s.declared
                )),
                (None, None) => {}
            }
        }
        if pg.primary_key != lite.primary_key {
            out.push(format!(
                "{name}: primary key {} in Postgres, {} in SQLite",
                column_list(&pg.primary_key, false),
                column_list(&lite.primary_key, false)
            ));
        }
        for index in pg.unique_indexes.difference(&lite.unique_indexes) {
            out.push(format!("{name}: unique index {index} only in Postgres"));
        }
        for index in lite.unique_indexes.difference(&pg.unique_indexes) {
            out.push(format!("{name}: unique index {index} only in SQLite"));
        }
        for fk in pg.foreign_keys.difference(&lite.foreign_keys) {
            out.push(format!("{name}: foreign key {fk} only in Postgres"));
        }
        for fk in lite.foreign_keys.difference(&pg.foreign_keys) {
            out.push(format!("{name}: foreign key {fk} only in SQLite"));
        }
    }
    out
}

/// A readable listing of a schema, for failure messages.
fn describe(schema: &Schema) -> String {
    let mut out = String::new();
    for (name, table) in &schema.tables {
        out.push_str(&format!(
            "  {name} PRIMARY KEY {}\n",
            column_list(&table.primary_key, false)
        ));
        for (column, c) in &table.columns {
            let null = if c.nullable { "" } else { " NOT NULL" };
            out.push_str(&format!(
                "    {column} {} [{}]{null}\n",
                c.declared, c.family
            ));
        }
        for index in &table.unique_indexes {
            out.push_str(&format!("    UNIQUE {index}\n"));
        }
        for fk in &table.foreign_keys {
            out.push_str(&format!("    FOREIGN KEY {fk}\n"));
        }
    }
    out
}

fn split_list(list: &str) -> Vec<String> {
    if list.is_empty() {
        Vec::new()
    } else {
        list.split(',').map(str::to_owned).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading PostgreSQL.

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

// ---------------------------------------------------------------------------------------------
// Reading SQLite.

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

// ---------------------------------------------------------------------------------------------
// Migrated databases.

/// SQLite with its migration tree applied, read back. Always available.
fn migrated_sqlite() -> Schema {
    let db = TestDb::create(Backend::Sqlite).expect("SQLite is always available");
    let pool = roster_api::open_database(&db.url, 1).expect("apply the SQLite migrations");
    drop(pool);
    let path = db.url.strip_prefix("sqlite://").expect("a sqlite:// URL");
    let mut conn = SqliteConnection::establish(path).expect("open the SQLite file");
    read_sqlite(&mut conn)
}

/// Postgres with its migration tree applied, read back; `None` when the local server is
/// unreachable and may be skipped (TestDb says so loudly).
fn migrated_postgres() -> Option<Schema> {
    let db = TestDb::create(Backend::Postgres)?;
    let pool = roster_api::open_database(&db.url, 1).expect("apply the Postgres migrations");
    drop(pool);
    let mut conn = PgConnection::establish(&db.url).expect("connect to the test database");
    let schema = read_postgres(&mut conn);
    drop(conn);
    Some(schema)
}

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

// ---------------------------------------------------------------------------------------------
// The comparison itself can fail.

fn sample_schema() -> Schema {
    let column = |declared: &str, family: &str, nullable: bool| Column {
        declared: declared.into(),
        family: family.into(),
        nullable,
    };
    let mut users = Table::default();
    users
        .columns
        .insert("id".into(), column("uuid", "uuid", false));
    users
        .columns
        .insert("email".into(), column("text", "text", false));
    users
        .columns
        .insert("name".into(), column("text", "text", true));
    users.primary_key = vec!["id".into()];
    users.unique_indexes.insert("(email)".into());
    let mut members = Table::default();
    members
        .columns
        .insert("org_id".into(), column("uuid", "uuid", false));
    members
        .columns
        .insert("user_id".into(), column("uuid", "uuid", false));
    members.primary_key = vec!["org_id".into(), "user_id".into()];
    members.foreign_keys.insert(ForeignKey {
        columns: vec!["user_id".into()],
        table: "users".into(),
        references: vec!["id".into()],
        on_delete: "CASCADE".into(),
    });
    let mut schema = Schema::default();
    schema.tables.insert("users".into(), users);
    schema.tables.insert("memberships".into(), members);
    schema
}

fn table<'a>(schema: &'a mut Schema, name: &str) -> &'a mut Table {
    schema.tables.get_mut(name).unwrap()
}

#[test]
fn parity_comparison_finds_nothing_in_identical_schemas() {
    assert_eq!(
        schema_differences(&sample_schema(), &sample_schema()),
        Vec::<String>::new()
    );
}

#[test]
fn parity_comparison_reports_a_nullability_difference() {
    let postgres = sample_schema();
    let mut sqlite = sample_schema();
    table(&mut sqlite, "users")
        .columns
        .get_mut("email")
        .unwrap()
        .nullable = true;
    let differences = schema_differences(&postgres, &sqlite);
    assert_eq!(
        differences,
        vec!["users.email: NOT NULL in Postgres, NULL allowed in SQLite".to_owned()]
    );
}

#[test]
fn parity_comparison_reports_every_kind_of_difference() {
    let postgres = sample_schema();
    let mut sqlite = sample_schema();
    // A type family, a missing column, an extra table, a unique index, a primary key and a
    // foreign key's ON DELETE action.
    let users = table(&mut sqlite, "users");
    users.columns.get_mut("name").unwrap().family = "json".into();
    users.columns.remove("email");
    users.unique_indexes.clear();
    users.primary_key = vec!["id".into(), "name".into()];
    let members = table(&mut sqlite, "memberships");
    let mut fk = members.foreign_keys.pop_first().unwrap();
    fk.on_delete = "NO ACTION".into();
    members.foreign_keys.insert(fk);
    sqlite.tables.insert("extra".into(), Table::default());

    let differences = schema_differences(&postgres, &sqlite);
    let expect = [
        "table extra: only in SQLite",
        "users.email: column only in Postgres",
        "users.name: type text (text) in Postgres, text (json) in SQLite",
        "users: primary key (id) in Postgres, (id, name) in SQLite",
        "users: unique index (email) only in Postgres",
        "memberships: foreign key (user_id) → users(id) ON DELETE CASCADE only in Postgres",
        "memberships: foreign key (user_id) → users(id) ON DELETE NO ACTION only in SQLite",
    ];
    for line in expect {
        assert!(
            differences.iter().any(|d| d.starts_with(line)),
            "expected a difference starting {line:?}; got:\n{}",
            differences.join("\n")
        );
    }
    assert_eq!(differences.len(), expect.len(), "{differences:#?}");
}

#[test]
fn parity_type_families_pair_up() {
    let pairs = [
        ("uuid", "TEXT_UUID"),
        ("jsonb", "TEXT_JSON"),
        ("timestamp with time zone", "TEXT_TIMESTAMP"),
        ("text", "TEXT"),
        ("boolean", "BOOLEAN"),
        ("bigint", "BIGINT"),
        ("integer", "INTEGER"),
        ("bigint", "INTEGER"),
        ("bytea", "BLOB"),
    ];
    for (pg, lite) in pairs {
        assert_eq!(postgres_family(pg), sqlite_family(lite), "{pg} vs {lite}");
    }
    assert_ne!(postgres_family("uuid"), sqlite_family("TEXT"));
    assert_ne!(postgres_family("jsonb"), sqlite_family("TEXT"));
    assert_ne!(
        postgres_family("timestamp with time zone"),
        sqlite_family("TEXT")
    );
    assert_ne!(postgres_family("money"), sqlite_family("MONEY"));
}
