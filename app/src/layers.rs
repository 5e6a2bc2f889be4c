//! Dependencies run one way: this test reads every source file of the crate
//! and fails on an import that reaches up a layer (or to a feature listed
//! after the importing one). The order is the one in `lib.rs`.

use std::path::{Path, PathBuf};

/// The features, lowest first: each may import the ones before it.
const FEATURES: &[&str] = &[
    "networks",
    "auth",
    "people",
    "profile",
    "points",
    "share",
    "leaderboard",
    "content",
    "posts",
    "rewards",
    "kudos",
    "challenges",
    "hub",
    "impact",
    "screens",
    "notices",
    "home",
];

/// The top-level modules `module` may import from.
fn allowed(module: &str) -> Option<Vec<&'static str>> {
    let mut out = vec!["base"];
    match module {
        "base" => {}
        "ui" => out.push("ui"),
        "shell" => {
            out.extend(["ui", "shell"]);
            out.extend(FEATURES);
        }
        feature => {
            let at = FEATURES.iter().position(|f| *f == feature)?;
            out.push("ui");
            out.extend(&FEATURES[..=at]);
        }
    }
    Some(out)
}

/// The top-level modules named by `crate::…` paths in `source`, with the
/// line they are on (`crate::{a, b::{c, d}}` names `a` and `b`, over as many
/// lines as the group takes).
fn imports(source: &str) -> Vec<(usize, String)> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("crate::") {
        let at = from + found;
        let rest = &code[at + "crate::".len()..];
        from = at + "crate::".len();
        let Some(group) = rest.strip_prefix('{') else {
            out.push((line_of(at), ident(rest)));
            continue;
        };
        // The names at the top level of the group.
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.push((line_of(at), ident(group[start..i].trim())));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push((line_of(at), ident(group[start..i].trim())));
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    out.retain(|(_, name)| !name.is_empty());
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every upward import in the crate, as "file:line: module imports name".
fn upward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let top = relative.components().next().unwrap().as_os_str();
        let module = top.to_str().unwrap().trim_end_matches(".rs");
        if matches!(module, "lib" | "layers") {
            continue;
        }
        let allowed = allowed(module).unwrap_or_else(|| {
            panic!("{module} is in no layer: add it to FEATURES in layers.rs and lib.rs")
        });
        let source = std::fs::read_to_string(&file).unwrap();
        for (line, name) in imports(&source) {
            if !allowed.contains(&name.as_str()) {
                found.push(format!(
                    "{}:{line}: {module} imports {name}",
                    relative.display()
                ));
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = upward_imports(&src);
    assert!(
        found.is_empty(),
        "imports against the layer order (base < ui < features in FEATURES order < shell):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_feature_folder_has_a_place_in_the_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if matches!(name.as_str(), "lib" | "layers") {
            continue;
        }
        assert!(allowed(&name).is_some(), "{name} has no layer");
    }
}

/// The Rust files of the app and the server, outside `skip`.
fn sources_outside(skip: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../server/src"), &mut files);
    files
        .into_iter()
        .filter(|f| !skip.iter().any(|s| f.to_string_lossy().contains(s)))
        .collect()
}

/// Lines of `source` (comments left out) that contain one of `needles`,
/// compared without case or extra spaces.
fn lines_with(source: &str, needles: &[&str]) -> Vec<String> {
    let squeeze = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    let code = squeeze(&code);
    needles
        .iter()
        .filter(|n| code.contains(&squeeze(n)))
        .map(|n| n.to_string())
        .collect()
}

/// Live events go out through `Changed::publish` alone, so that what a
/// mutation changed is announced in one place (base/change.rs), in the app
/// and in the server (the click pipeline publishes its facts too).
#[test]
fn live_events_are_sent_only_through_publish() {
    let senders: Vec<String> = sources_outside(&["/src/base/", "layers.rs"])
        .iter()
        .filter(|f| sends_live_events(&std::fs::read_to_string(f).unwrap()))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        senders.is_empty(),
        "live events sent directly in {senders:?}"
    );
}

/// Whether `source` hands a live event to a bus itself: a `.send(` on the
/// line of a `LiveEvent` or of a bus (`live`).
fn sends_live_events(source: &str) -> bool {
    source.lines().any(|line| {
        let code = line.split("//").next().unwrap_or("");
        code.contains(".send(") && (code.contains("LiveEvent") || code.contains("live."))
    })
}

#[test]
fn the_event_checker_sees_a_bus_used_by_hand() {
    assert!(sends_live_events("    state.live.send(LiveEvent::Points);"));
    assert!(sends_live_events(
        "fn f(b: &Bus) { b.send(app::base::live::LiveEvent::Board) }"
    ));
    assert!(!sends_live_events("    let _ = ack.send(verdict);"));
    assert!(!sends_live_events("    // live.send(LiveEvent::Points)"));
}

/// Statements that write points or their totals.
const LEDGER_WRITES: &[&str] = &[
    "INSERT INTO points_ledger",
    "UPDATE points_ledger",
    "DELETE FROM points_ledger",
    "INSERT INTO points_totals",
    "UPDATE points_totals",
    "DELETE FROM points_totals",
    "INSERT INTO group_totals",
    "UPDATE group_totals",
    "DELETE FROM group_totals",
];

/// Points move only through `base::ledger`: no other module of the app or
/// the server writes the ledger or the totals.
#[test]
fn only_the_ledger_writes_points() {
    let writers: Vec<String> = sources_outside(&["/src/base/ledger/", "layers.rs"])
        .iter()
        .filter_map(|f| {
            let found = lines_with(&std::fs::read_to_string(f).unwrap(), LEDGER_WRITES);
            (!found.is_empty()).then(|| format!("{}: {found:?}", f.display()))
        })
        .collect();
    assert!(
        writers.is_empty(),
        "points written outside base::ledger: {writers:?}"
    );
    // The checker sees a statement split over lines and spaces.
    let split = "sqlx::query(\"insert into   points_ledger \\\n (person_id) ...";
    assert_eq!(
        lines_with(split, LEDGER_WRITES),
        ["INSERT INTO points_ledger"]
    );
    assert!(lines_with("// INSERT INTO points_ledger", LEDGER_WRITES).is_empty());
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let source = "use crate::{base::error::AppError, hub::x};\n\
                  let a = crate::screens::y(); // crate::shell in a comment\n\
                  use crate::{\n    content::{a, b},\n    posts::c,\n};\n";
    let found = imports(source);
    let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["base", "hub", "screens", "content", "posts"]);
    assert_eq!(found[2].0, 2, "the line of the path");
    let points = allowed("points").unwrap();
    assert!(points.contains(&"people") && !points.contains(&"hub"));
    assert!(!allowed("base").unwrap().contains(&"ui"));
    assert!(!allowed("ui").unwrap().contains(&"auth"));
}
