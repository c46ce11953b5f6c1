//! When a page is live: `#app` gets `data-hydrated="true"` once every island
//! on it has hydrated (at once on a page without islands). The browser tests
//! wait for it before they use a form's JavaScript.

use std::cell::Cell;

use leptos::prelude::*;

thread_local! {
    static LIVE_ISLANDS: Cell<u32> = const { Cell::new(0) };
}

fn islands_on_page() -> u32 {
    document().get_elements_by_tag_name("leptos-island").length()
}

/// Marks `#app` with how many of the page's islands are live (`data-live`,
/// "2/3": what a stalled page's report shows) and, once all are,
/// `data-hydrated`.
fn mark_when_all_live() {
    let (live, on_page) = (LIVE_ISLANDS.get(), islands_on_page());
    let Some(root) = document().get_element_by_id("app") else {
        return;
    };
    let _ = root.set_attribute("data-live", &format!("{live}/{on_page}"));
    if live >= on_page {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Called by the hydrate entry, before any island hydrates.
pub fn page_loaded() {
    mark_when_all_live();
}

/// Called at the top of every island: counts it once it has hydrated.
pub fn island() {
    Effect::new(|_| {
        LIVE_ISLANDS.set(LIVE_ISLANDS.get() + 1);
        mark_when_all_live();
    });
}

/// A full page load of `path` (there is no client-side router in islands
/// mode): the server renders the next page, as it does without JavaScript.
pub fn go_to(path: &str) {
    let _ = window().location().set_href(path);
}
