//! The lazily loaded pieces of the WASM (see shell/pages.rs): which files a
//! group of pages needs, so that the server can tell the browser to fetch
//! them beside the main module instead of after it has started.
//!
//! Told by a `Link` response header: the page's head is sent before the
//! router knows which page it renders, and leptos's own preload links find
//! no manifest when the site is compiled into the binary.

use std::collections::HashMap;
use std::sync::Arc;

use http::HeaderValue;
use leptos::prelude::*;

/// Each group's `Link` header, made once from what `cargo leptos build
/// --split` wrote; a page only looks its group up.
#[derive(Clone, Default)]
pub struct WasmPieces {
    /// Group (its lazily loaded function's name) → the header.
    links: Arc<HashMap<String, HeaderValue>>,
}

impl WasmPieces {
    /// `folder`: where the app's files are served ("pkg/0123…"); `manifest`:
    /// lazily loaded function (`<name>_<hash>`) → the pieces it needs;
    /// `loader`: the loader script in the same folder.
    pub fn new(folder: &str, manifest: &HashMap<String, Vec<String>>, loader: &str) -> WasmPieces {
        let links = manifest
            .iter()
            .filter_map(|(function, pieces)| {
                let (group, hash) = function.rsplit_once('_')?;
                if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let mut links = vec![format!("</{folder}/{loader}>; rel=modulepreload")];
                links.extend(pieces.iter().map(|p| {
                    format!("</{folder}/{p}.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin")
                }));
                let value = HeaderValue::from_str(&links.join(", ")).ok()?;
                Some((group.to_string(), value))
            })
            .collect();
        WasmPieces {
            links: Arc::new(links),
        }
    }

    /// The header that preloads what the pages of `group` need.
    pub fn link_header(&self, group: &str) -> Option<&HeaderValue> {
        self.links.get(group)
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
    if let Some(value) = pieces.link_header(group) {
        res.append_header(http::header::LINK, value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_groups_pieces_are_found_by_its_function_name() {
        let manifest = HashMap::from([
            (
                "hub_pages_123".to_string(),
                vec!["chunk_1".to_string(), "split_hub".to_string()],
            ),
            ("my_hub_pages_9".to_string(), vec!["chunk_9".to_string()]),
            ("no_hash_x".to_string(), vec!["chunk_2".to_string()]),
        ]);
        let pieces = WasmPieces::new("pkg/abc", &manifest, "__wasm_split.x.js");
        assert_eq!(
            pieces.link_header("hub_pages").unwrap(),
            "</pkg/abc/__wasm_split.x.js>; rel=modulepreload, \
             </pkg/abc/chunk_1.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin, \
             </pkg/abc/split_hub.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin"
        );
        assert!(pieces.link_header("my_hub_pages").is_some());
        assert_eq!(pieces.link_header("pages"), None);
        assert_eq!(pieces.link_header("no_hash"), None);
    }
}
