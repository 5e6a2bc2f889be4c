//! An empty Leptos app: one component, hydrated.

use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {
    view! { <p>"Hello"</p> }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
}
