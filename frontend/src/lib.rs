//! The hydrate entry: the browser takes over the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous hydration: the lazy routes (app/src/pages/lazy.rs) are wasm
    // chunks fetched first. Only once the whole page is live does `#app` get
    // `data-hydrated="true"`, which the browser tests wait for before they
    // use a form's JavaScript.
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        app.forget();
        if let Some(root) = leptos::tachys::dom::document().get_element_by_id("app") {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
