//! The layers' rules, read off the source so that a change that breaks one
//! fails here: SQL stays in the store (`server/src/store/`), which imports
//! no domain module; our cookies' names and the cookie crate stay in the
//! web layer (`app/src/web/`); the server's modules import each other in
//! no circle.

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

/// The top-level modules a file's code (not its comments) names with `crate::`.
fn modules_named(text: &str) -> std::collections::BTreeSet<String> {
    let mut named = std::collections::BTreeSet::new();
    let code = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    // The code before a module's own tests (they may reach anywhere).
    let code = code.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect::<String>();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            named.extend(group.split(',').map(|item| ident(item.trim())).filter(|m| !m.is_empty()));
        } else {
            named.insert(ident(rest));
        }
    }
    named
}

#[test]
fn the_servers_modules_import_each_other_in_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("server").join("src");
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (path, text) in sources("server") {
        let rel = path.strip_prefix(&src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let top = rel.split('/').next().unwrap_or_default().trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" || top.is_empty() {
            continue;
        }
        let named = modules_named(&text);
        graph.entry(top.clone()).or_default().extend(named.into_iter().filter(|m| *m != top));
    }
    assert!(graph.len() > 30, "modules found: {:?}", graph.keys());
    // A module is in a circle when it can reach itself.
    let reaches = |from: &str| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<&str> = graph[from].iter().map(String::as_str).collect();
        while let Some(m) = todo.pop() {
            if graph.contains_key(m) && seen.insert(m.to_string()) {
                todo.extend(graph[m].iter().map(String::as_str));
            }
        }
        seen
    };
    let in_circles: Vec<String> = graph
        .keys()
        .filter(|m| reaches(m).contains(*m))
        .map(|m| format!("{m} -> {:?}", graph[m].iter().filter(|d| graph.contains_key(*d) && reaches(d).contains(m)).collect::<Vec<_>>()))
        .collect();
    assert!(in_circles.is_empty(), "modules in an import circle (and the modules they name back):\n{in_circles:#?}");
}
