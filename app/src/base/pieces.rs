//! The lazily loaded pieces of the WASM (see shell/pages.rs): which files a
//! group of pages needs, so that the server can tell the browser to fetch
//! them beside the main module instead of after it has started.
//!
//! Told by a `Link` response header: the page's head is sent before the
//! router knows which page it renders, and leptos's own preload links find
//! no manifest when the site is compiled into the binary.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

/// What `cargo leptos build --split` wrote, as the server found it.
#[derive(Clone, Default)]
pub struct WasmPieces {
    /// Where the app's files are served, e.g. "pkg/0123456789abcdef".
    pub folder: String,
    /// Lazily loaded function (`<name>_<hash>`) → the pieces it needs.
    pub by_function: Arc<HashMap<String, Vec<String>>>,
    /// The loader script, in the same folder.
    pub loader: String,
}

impl WasmPieces {
    /// The `Link` header value that preloads what the pages of `group`
    /// (the name of their lazily loaded function) need; None without pieces.
    pub fn link_header(&self, group: &str) -> Option<String> {
        let pieces = self.by_function.iter().find_map(|(name, pieces)| {
            let hash = name.strip_prefix(group)?.strip_prefix('_')?;
            hash.bytes().all(|b| b.is_ascii_digit()).then_some(pieces)
        })?;
        let folder = &self.folder;
        let mut links = vec![format!("</{folder}/{}>; rel=modulepreload", self.loader)];
        links.extend(pieces.iter().map(|p| {
            format!("</{folder}/{p}.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin")
        }));
        Some(links.join(", "))
    }
}

/// Called by a page group's route while the server renders it.
pub fn preload(group: &str) {
    let (Some(pieces), Some(res)) = (
        use_context::<WasmPieces>(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Some(value) = pieces
        .link_header(group)
        .and_then(|v| http::HeaderValue::from_str(&v).ok())
    {
        res.append_header(http::header::LINK, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_groups_pieces_are_found_by_its_function_name() {
        let pieces = WasmPieces {
            folder: "pkg/abc".into(),
            by_function: Arc::new(HashMap::from([
                (
                    "hub_pages_123".to_string(),
                    vec!["chunk_1".to_string(), "split_hub".to_string()],
                ),
                ("my_hub_pages_9".to_string(), vec!["chunk_9".to_string()]),
            ])),
            loader: "__wasm_split.x.js".into(),
        };
        let link = pieces.link_header("hub_pages").unwrap();
        assert_eq!(
            link,
            "</pkg/abc/__wasm_split.x.js>; rel=modulepreload, \
             </pkg/abc/chunk_1.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin, \
             </pkg/abc/split_hub.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin"
        );
        assert_eq!(pieces.link_header("pages"), None);
        assert_eq!(pieces.link_header("tv_pages"), None);
    }
}
