//! With the `embed-site` feature, compiles the built site (WASM, JS, CSS and
//! the public files, each with the brotli and gzip copies that
//! `cargo leptos build --release --precompress` writes beside it) into the
//! binary, so that deploying Sprida is copying one file. Without the feature
//! nothing is embedded and the server reads `--site-root` at start-up.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_ROOT");
    // An absolute path, set by scripts/release.sh. Cargo shares this
    // script's output between checkouts that share a target directory (it
    // hashes path packages relative to their workspace), and would go on
    // embedding another checkout's site: a different value reruns it.
    println!("cargo:rerun-if-env-changed=SPRIDA_SITE_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("site.rs");
    let mut code = String::from("&[\n");
    if std::env::var_os("CARGO_FEATURE_EMBED_SITE").is_some() {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
        let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
        // cargo-leptos gives the site root relative to the workspace.
        let root = match std::env::var_os("SPRIDA_SITE_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => manifest.parent().expect("workspace").join(site),
        };
        // A directory is scanned whole: a new file reruns this too.
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        walk(&root, &mut files);
        files.sort();
        if !files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "wasm"))
        {
            panic!(
                "embed-site: no WASM under {}; build with `scripts/release.sh` \
                 (cargo leptos build --release --precompress --bin-features embed-site)",
                root.display()
            );
        }
        for file in files {
            let rel = file.strip_prefix(&root).expect("under root");
            let name = rel.to_string_lossy().replace('\\', "/");
            let variant = |ext: &str| {
                let p = PathBuf::from(format!("{}.{ext}", file.display()));
                if p.exists() {
                    println!("cargo:rerun-if-changed={}", p.display());
                    format!("Some(include_bytes!({:?}))", p.display().to_string())
                } else {
                    "None".into()
                }
            };
            println!("cargo:rerun-if-changed={}", file.display());
            let (br, gz) = (variant("br"), variant("gz"));
            writeln!(
                code,
                "    ({name:?}, include_bytes!({:?}), {br}, {gz}),",
                file.display().to_string()
            )
            .expect("write");
        }
    }
    code.push(']');
    std::fs::write(out, code).expect("write site.rs");
}

/// Every file under `dir` except the compressed copies.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if !is_left_out(&path) {
            files.push(path);
        }
    }
}

/// Compressed copies (they go with their file) and wasm-bindgen's TypeScript
/// declarations (for developers, never fetched by a page).
fn is_left_out(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".br") || name.ends_with(".gz") || name.ends_with(".d.ts")
}
