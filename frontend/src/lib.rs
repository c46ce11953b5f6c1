//! The hydrate entry, in islands mode: the page stays the server's HTML, and
//! only its islands (`#[island]` components in `app/`) come alive. Leptos's
//! island script calls `hydrate` once the wasm is loaded, then hydrates each
//! `<leptos-island>` (a lazy one after its chunk arrives).

// Names the app crate so that its islands' exports are linked into the wasm.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::live::page_loaded();
}
