//! The hydrate entry: the browser takes over the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: the staff console's routes are wasm chunks loaded on demand.
    leptos::mount::hydrate_lazy(app::App);
}
