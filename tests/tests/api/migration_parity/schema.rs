//! The schema description both backends are read into, and the comparison of two of them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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

pub fn column_list(columns: &[String], partial: bool) -> String {
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
pub fn describe(schema: &Schema) -> String {
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

pub fn split_list(list: &str) -> Vec<String> {
    if list.is_empty() {
        Vec::new()
    } else {
        list.split(',').map(str::to_owned).collect()
    }
}
