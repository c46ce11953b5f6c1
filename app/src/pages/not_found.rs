use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Page not found · Patient Portal"/>
        <main class="card">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. "<a href="/login">"Go to sign in"</a></p>
        </main>
    }
}
