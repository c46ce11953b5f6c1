//! The layers' rules, read off the source so that a change that breaks one
//! fails here: SQL stays in the store (`server/src/store/`), which imports
//! no domain module; our cookies' names and the cookie crate stay in the
//! web layer (`app/src/web/`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path, text));
        }
    }
}

fn sources(crate_dir: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(crate_dir).join("src"), &mut out);
    assert!(out.len() > 10, "no sources found under {crate_dir}/src");
    out
}

fn in_dir(path: &Path, dir: &str) -> bool {
    path.to_string_lossy().replace('\\', "/").contains(dir)
}

#[test]
fn sql_stays_in_the_store() {
    let words = ["sqlx::query", "sqlx::raw_sql", "query_as(", "query_scalar(", "INSERT INTO", "DELETE FROM"];
    let outside: Vec<String> = sources("server")
        .iter()
        .filter(|(path, _)| !in_dir(path, "/src/store/"))
        .flat_map(|(path, text)| words.iter().filter(|w| text.contains(**w)).map(move |w| format!("{} uses {w}", path.display())))
        .collect();
    assert!(outside.is_empty(), "{outside:#?}");
}

#[test]
fn the_store_imports_no_domain_module() {
    let imports: Vec<String> = sources("server")
        .iter()
        .filter(|(path, _)| in_dir(path, "/src/store/"))
        .flat_map(|(path, text)| {
            // Code, not what a comment says about other modules.
            text.lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .filter(|line| line.match_indices("crate::").any(|(i, _)| !line[i..].starts_with("crate::store")))
                .map(move |line| format!("{}: {}", path.display(), line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(imports.is_empty(), "{imports:#?}");
}

#[test]
fn only_the_web_layer_names_our_cookies() {
    let app = sources("app");
    let (names_file, _) = app.iter().find(|(path, _)| in_dir(path, "/web/cookies.rs")).expect("app/src/web/cookies.rs");
    let table = std::fs::read_to_string(names_file).unwrap();
    let names: Vec<&str> = table.split('"').filter(|s| s.starts_with("portal_") && !s.contains(' ')).collect();
    assert!(names.len() >= 18, "the names table: {names:?}");
    let mut found = Vec::new();
    for (path, text) in app.iter().chain(sources("server").iter()) {
        if in_dir(path, "/src/web/") {
            continue;
        }
        for name in &names {
            if text.contains(&format!("\"{name}\"")) {
                found.push(format!("{} names {name}", path.display()));
            }
        }
        if text.contains("cookie::") {
            found.push(format!("{} uses the cookie crate", path.display()));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
