//! `/charts/{id}` (SPEC §2.7): one chart the account sees, with whose it is
//! on the page. A chart the account doesn't see is "not found", exactly as
//! one that doesn't exist.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::api::load_chart;
use crate::error::PortalError;
use crate::family::ChartPage;
use crate::i18n::{lang, t};
use crate::pages::not_found::NotFound;

#[component]
pub fn ChartRoute() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let chart = Resource::new_blocking(id, load_chart);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match chart.await {
                    Ok(Some(page)) => view! { <Chart page/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(PortalError::NotSignedIn) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <main class="card"><p class="error" role="alert">{e.text(lang())}</p></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Chart(page: ChartPage) -> impl IntoView {
    let lang = lang();
    let heading = t::chart_heading(lang, &page.full_name);
    view! {
        <Title text=heading.clone()/>
        <main class="card">
            <h1>{heading}</h1>
            {page.relation.map(|r| view! { <p>{r.label(lang)}</p> })}
            {page.contact.map(|(name, phone)| view! { <p>{t::practice_contact(lang, &name, &phone)}</p> })}
            <p><a href="/">{t::back_to_portal(lang)}</a></p>
            <crate::pages::idle::IdleWarning idle_timeout_secs=page.idle_timeout_secs/>
        </main>
    }
}
