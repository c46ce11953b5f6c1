use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = crate::i18n::lang();
    view! {
        <leptos_meta::Title text=t::not_found_title(lang)/>
        <main class="card">
            <h1>{t::not_found_heading(lang)}</h1>
            <p>{t::not_found_text(lang)}<a href="/login">{t::go_to_sign_in(lang)}</a></p>
        </main>
    }
}
