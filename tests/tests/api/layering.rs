//! The HTTP layer reaches the database only through roster-core's operations: it renders
//! roster-core's output types, never the store's rows (which hold password and key hashes, and
//! change with the schema). Without the dependency, a `use roster_store` in the API crate does
//! not compile; this test keeps the dependency from coming back.

use std::path::PathBuf;

fn manifest(krate: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("crates")
        .join(krate)
        .join("Cargo.toml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The crates a manifest depends on, in any dependency table (normal, dev, build).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut in_dependencies = false;
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line.trim_matches(['[', ']']).ends_with("dependencies");
        } else if in_dependencies {
            // `name = …`, `name.workspace = true` or `"name" = …`.
            if let Some((key, _)) = line.split_once('=') {
                let name = key.trim().trim_matches('"');
                found.push(name.split('.').next().unwrap_or(name).to_owned());
            }
        }
    }
    found
}

#[test]
fn the_api_crate_depends_on_the_core_and_not_on_the_store() {
    let api = dependencies(&manifest("roster-api"));
    assert!(api.iter().any(|d| d == "roster-core"), "{api:?}");
    assert!(api.iter().any(|d| d == "roster-domain"), "{api:?}");
    let store: Vec<&String> = api
        .iter()
        .filter(|d| d.starts_with("roster-store"))
        .collect();
    assert!(
        store.is_empty(),
        "roster-api must render roster-core's output types, not roster-store's rows: {store:?}"
    );
}

#[test]
fn the_dependency_reader_sees_a_store_dependency() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nroster-core.workspace = true\nroster-store = { workspace = true }\n";
    assert_eq!(dependencies(manifest), ["roster-core", "roster-store"]);
}
