//! The comparison itself can fail: it finds each kind of difference between two schemas, and
//! the type families of the two backends pair up.

use super::schema::{
    postgres_family, schema_differences, sqlite_family, Column, ForeignKey, Schema, Table,
};

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
